"""mutmut on one module at a time, with only the tests that reach it (`make mutants MODULE=pipeline/stamp.py`).

The whole of mutmut over pipeline/ and schemas/ against the whole suite takes hours; one module against the
tests that reach it takes minutes. Which test files reach which module is derived once from the imports (a
test file that imports the module) and from tests/semantic_mutants.py (the tests named for the module's rules),
and committed in tests/mutmut_tests.json; mutmut's own first step then finds which of their tests call which
function. (Coverage per test was tried: the suite under it runs for over an hour on this machine.)

    python -m tools.mutants_module map      # writes tests/mutmut_tests.json
    python -m tools.mutants_module run pipeline/stamp.py      # mutmut in .cache/mutants/<module>, recorded
    python -m tools.mutants_module survivors pipeline/stamp.py  # each survivor with its diff
    python -m tools.mutants_module verify pipeline/stamp.py NAME... --tests tests/test_x.py::test_y ...
    python -m tools.mutants_module triage pipeline/stamp.py NAME... --killed-by TEST | --equivalent WHY

`run` copies the checkout to .cache/mutants/<module> (the working tree is never mutated), narrows
[tool.mutmut] there to `only_mutate = [module]` and the test selection to the module's tests, runs
`nice -n 10 mutmut run --max-children 1`, and records the counts, the survivors and the module's hash in
tests/mutmut_runs.json (`python -m tests.mutmut_scores` prints them). `verify` runs the given tests with each
named mutant switched on in that copy (mutmut's MUTANT_UNDER_TEST) and says whether they fail: how a test
written for a survivor is checked against the mutant it is meant to kill.

Tests that run the CLI in a subprocess: the child inherits MUTANT_UNDER_TEST. In mutmut's stats pass ("stats")
its trampolines would record their hits through mutmut's config(), which a child started from a tmp folder
cannot find (it crashed, and the stats pass stopped); tests/conftest.py, only under mutmut, starts every child
of the stats pass with MUTANT_UNDER_TEST="" so it runs the original code (its hits were never recorded anyway:
the stats live in the parent's memory). In a mutant's run the child keeps the mutant's name, so a CLI test
kills a mutant when it runs; but mutmut runs only the tests its stats pass saw reach the function, so a mutant
reached only through a subprocess is "no tests" or survives, and `verify` with that test settles it. The
tests that run `make` use the copy's Makefile (in also_copy) with this Python (`PY=`), never a new .venv.
"""

from __future__ import annotations

import argparse
import ast
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS_MAP = REPO / "tests" / "mutmut_tests.json"
RUNS = REPO / "tests" / "mutmut_runs.json"
SCRATCH = REPO / ".cache" / "mutants"
_IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "mutants", ".hypothesis", ".pytest_cache", ".ruff_cache", ".cache", "__pycache__", "corpus"
)
# Left out of every selection: tests that run the whole suite or other tools in a subprocess (mutmut cannot see
# into them, and they take minutes), and the tests written for survivors (a run scores the tests before triage;
# `verify` checks each of those against its mutant).
_LEFT_OUT = {
    "tests/test_adding_a_field.py",
    "tests/test_clone.py",
    "tests/test_workflow.py",
    "tests/test_mutmut_survivors.py",
}
# Deselected in every run: a test of a process racing the test in a subprocess (Ctrl-C sent to a command and
# waited for 60 s), which failed under mutmut's stats pass on a loaded machine and stopped the run before its first
# mutant (it passes in the stats mode of a copy now, but was not seen through a whole run), and
_DESELECTED = [
    "tests/test_exit_codes.py::test_a_command_interrupted_by_ctrl_c_exits_130",
    # one that counts the modules a re-run imports (mutmut's trampolines import more)
    "tests/test_stamp.py::test_a_rerun_with_nothing_changed_does_nothing_and_loads_no_pandas",
]
# `mutmut run` without its "clean tests" pass: its stats pass has just run the same tests on the unmutated code
# (and stops the run when one fails), so the second pass only doubles the time of a module
_MUTMUT_RUN = """
import sys
import mutmut.workers.isolation as isolation
from mutmut.__main__ import cli
for runner in vars(isolation).values():
    if isinstance(runner, type) and "run_clean_tests" in vars(runner):
        runner.run_clean_tests = lambda self, tests: 0
sys.argv[0] = "mutmut"
sys.exit(cli())
"""
_RESULT = re.compile(r"^\s*(?P<name>[\w.]+\.x[_ǁ]\S*?): (?P<status>.+)$")


def module_name(path: str) -> str:
    """pipeline/read/blocks.py -> pipeline.read.blocks"""
    return ".".join(Path(path).with_suffix("").parts)


def module_hash(path: str) -> str:
    return hashlib.sha256((REPO / path).read_bytes()).hexdigest()[:16]


def _imports(path: Path, known: set[str]) -> set[str]:
    """The modules of pipeline/ and schemas/ that `path` imports (absolute or relative, `from X import module`)."""
    found = set()
    package = ".".join(path.relative_to(REPO).with_suffix("").parts)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: -node.level]) if node.level else ""
            base = ".".join(part for part in (base, node.module or "") if part)
            found |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    return found & known


def build_map() -> dict[str, list[str]]:
    """Each module -> the test files that import it, and those tests/semantic_mutants.py names for its rules;
    a module no test imports gets the tests of the modules that import it (one step)."""
    from tests.semantic_mutants import MUTANTS

    paths = {module_name(p.relative_to(REPO).as_posix()): p for p in _sources()}
    tests = {
        p.relative_to(REPO).as_posix(): _imports(p, set(paths)) for p in sorted((REPO / "tests").glob("test_*.py"))
    }
    importers: dict[str, set[str]] = defaultdict(set)
    for name, path in paths.items():
        for imported in _imports(path, set(paths)):
            importers[imported].add(name)
    by_rules: dict[str, set[str]] = defaultdict(set)
    for mutant in MUTANTS:
        by_rules[module_name(mutant.file)] |= {test.split("::")[0] for test in mutant.tests}
    found = {}
    for name, path in sorted(paths.items()):
        chosen = {test for test, imported in tests.items() if name in imported} | by_rules[name]
        if not chosen:
            callers = importers[name] - {"pipeline.cli", "pipeline.__main__"}
            chosen = {test for test, imported in tests.items() if imported & callers}
        found[path.relative_to(REPO).as_posix()] = sorted(chosen - _LEFT_OUT)
    return found


def _sources() -> list[Path]:
    paths = [*(REPO / "pipeline").rglob("*.py"), *(REPO / "schemas").rglob("*.py")]
    return sorted(p for p in paths if p.name not in ("__init__.py", "__main__.py"))


def _narrow(pyproject: Path, module: str, tests: list[str]) -> None:
    """Point the copy's [tool.mutmut] at one module and its tests."""
    text = pyproject.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^only_mutate = .*$", f"only_mutate = {json.dumps([module])}", text)
    text = re.sub(
        r"(?m)^pytest_add_cli_args_test_selection = .*$",
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
        text,
    )
    deselect = [arg for test in _DESELECTED for arg in ("--deselect", test)]
    text = re.sub(r"(?m)^pytest_add_cli_args = \[(.*)\]$", lambda m: m[0][:-1] + ", " + json.dumps(deselect)[1:], text)
    pyproject.write_text(text, encoding="utf-8")


def scratch(module: str) -> Path:
    return SCRATCH / module_name(module)


def results(copy: Path) -> dict[str, str]:
    """mutant name -> status, from `mutmut results --all true` in the copy."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("mutmut")), "results", "--all", "true"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    return {m["name"]: m["status"].strip() for line in done.stdout.splitlines() if (m := _RESULT.match(line))}


@contextmanager
def _runs_locked() -> Iterator[dict]:
    """tests/mutmut_runs.json, read and written back under a lock (runs of two modules may end together)."""
    with (SCRATCH.parent / "mutmut_runs.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = json.loads(RUNS.read_text(encoding="utf-8")) if RUNS.exists() else {}
        yield runs
        RUNS.write_text(json.dumps(runs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def run(module: str, fresh: bool, chosen: list[str] | None = None) -> int:
    """mutmut on `module` against the tests that reach it (or the `chosen` ones), recorded in RUNS."""
    tests = chosen or json.loads(TESTS_MAP.read_text(encoding="utf-8")).get(module, [])
    copy = scratch(module)
    if fresh and copy.exists():
        shutil.rmtree(copy)
    if not copy.exists():
        shutil.copytree(REPO, copy, ignore=_IGNORED)
    _narrow(copy / "pyproject.toml", module, tests or ["tests/test_clone.py"])
    print(f"{module}: {len(tests)} test files reach it; mutmut in {copy}", flush=True)
    mutated = module_hash(module)  # the code the mutants are made of: an edit during the run leaves it stale
    started = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with (copy / "mutmut.log").open("w", encoding="utf-8") as log:  # mutmut's spinner, kept out of the terminal
        command = ["nice", "-n", "10", sys.executable, "-c", _MUTMUT_RUN, "run", "--max-children", "1"]
        subprocess.run(command, cwd=copy, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    seconds = round(time.monotonic() - started)
    log_text = (copy / "mutmut.log").read_text(encoding="utf-8", errors="replace")
    if "failed to collect stats" in log_text:  # the run stopped before its first mutant: nothing to record
        failed = [line for line in log_text.splitlines() if line.startswith("FAILED ")]
        print(f"{module}: mutmut's stats pass failed ({'; '.join(failed) or 'see the log'}); {copy / 'mutmut.log'}")
        return 1
    found = results(copy)
    statuses: dict[str, int] = defaultdict(int)
    for status in found.values():
        statuses[status] += 1
    with _runs_locked() as runs:
        previous = runs.get(module, {})
        runs[module] = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
            "mutmut": "3.8.1",
            "module_sha256": mutated,
            "tests": tests if chosen else f"{len(tests)} test files of {TESTS_MAP.relative_to(REPO).as_posix()}",
            "seconds": seconds,
            "statuses": dict(sorted(statuses.items())),
            "survived": sorted(n for n, s in found.items() if s == "survived"),
            "no_tests": sorted(n for n, s in found.items() if s == "no tests"),
            # the triage of a previous run, for the mutants that still survive
            **{
                key: {n: why for n, why in previous.get(key, {}).items() if found.get(n) in ("survived", "no tests")}
                for key in ("killed_by_new_tests", "killed_by_existing_tests", "equivalent")
            },
        }
    print(f"{module}: {dict(statuses)} in {seconds} s; recorded in {RUNS.relative_to(REPO)}")
    return 0


def survivors(module: str) -> int:
    copy = scratch(module)
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    for name, status in results(copy).items():
        if status in ("survived", "no tests"):
            print(f"=== {name}: {status}")
            shown = subprocess.run([mutmut, "show", name], cwd=copy, capture_output=True, text=True)
            diff = shown.stdout.splitlines()
            print("\n".join(line for line in diff if line[:1] in "-+" and line[:3] not in ("---", "+++")))
    return 0


def verify(module: str, names: list[str], tests: list[str], timeout: float = 600) -> int:
    """Run the tests with each mutant on; 'killed' when they fail. The copy gets the working tree's tests first."""
    copy = scratch(module) / "mutants"
    unknown = _not_mutants(module, names, copy)
    if unknown:  # MUTANT_UNDER_TEST naming no mutant switches none on: the tests pass and it would read SURVIVED
        print(f"not mutants of {module} in {copy} (give full names, as `survivors` prints them): {unknown}")
        return 2
    shutil.copytree(REPO / "tests", copy / "tests", dirs_exist_ok=True, ignore=_IGNORED)
    survived = 0
    for name in names:
        env = {**os.environ, "MUTANT_UNDER_TEST": name, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(copy)}
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests]
        verdict = _verdict(command, copy, env, timeout)
        survived += not verdict.startswith("killed")
        print(f"{name}: {verdict}", flush=True)
    clean = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=copy,
        env={**os.environ, "MUTANT_UNDER_TEST": "", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
    )
    print(f"unmutated: {'pass' if clean.returncode == 0 else 'FAIL ' + clean.stdout[-500:]}")
    return 1 if survived or clean.returncode else 0


def _not_mutants(module: str, names: list[str], copy: Path) -> list[str]:
    """The names that are no mutant of the module's last run: a full name is the module's dotted name, a dot,
    then a function mutmut wrote into the mutated copy of the module."""
    try:
        source = (copy / module).read_text(encoding="utf-8")
    except OSError:
        return names
    prefix = module_name(module) + "."
    return [name for name in names if not name.startswith(prefix) or f"def {name[len(prefix) :]}(" not in source]


def _verdict(command: list[str], copy: Path, env: dict[str, str], timeout: float) -> str:
    """Failed tests, a crash (a signal, a module that no longer imports) or a hang kill a mutant, as in mutmut;
    pytest's 5 (no test ran) and 4 (usage) say the selection is wrong, not that the mutant was seen."""
    try:
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"killed (no end in {timeout:g} s)"  # a loop made endless: killed by the wait, as mutmut counts it
    if done.returncode == 0:
        return "SURVIVED"
    if done.returncode in (4, 5):
        return f"exit {done.returncode} (no test ran)"
    return "killed" if done.returncode == 1 else f"killed (exit {done.returncode})"


def triage(module: str, names: list[str], killed_by: str | None, equivalent: str | None, existing: bool) -> int:
    """Record survivors of the module's last run as killed by a new test, by an existing test in a fresh process
    (mutmut's forked workers share what the parent process cached), or as equivalent with the reason."""
    with _runs_locked() as runs:
        run = runs[module]
        unknown = [name for name in names if name not in (*run["survived"], *run["no_tests"])]
        key, why = ("equivalent", equivalent)
        if killed_by:
            key, why = ("killed_by_existing_tests" if existing else "killed_by_new_tests"), killed_by
        if not unknown:
            run.setdefault(key, {}).update(dict.fromkeys(names, why))
    if unknown:
        print(f"not survivors of the last run of {module}: {', '.join(unknown)}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("map")
    runner = commands.add_parser("run")
    runner.add_argument("module")
    runner.add_argument("--fresh", action="store_true", help="start from a new copy (after the code changed)")
    runner.add_argument("--tests", nargs="+", help="these tests instead of the module's in the map")
    commands.add_parser("survivors").add_argument("module")
    checker = commands.add_parser("verify")
    checker.add_argument("module")
    checker.add_argument("names", nargs="+", metavar="NAME")
    checker.add_argument("--tests", nargs="+", required=True)
    checker.add_argument("--timeout", type=float, default=600, help="seconds a mutant's tests may take (default 600)")
    marker = commands.add_parser("triage")
    marker.add_argument("module")
    marker.add_argument("names", nargs="+", metavar="NAME")
    verdict = marker.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--killed-by", help="the test written for it")
    verdict.add_argument("--equivalent", help="why no input can tell it from the code")
    marker.add_argument("--existing", action="store_true", help="--killed-by names an existing test (`verify`)")
    args = parser.parse_args(argv)
    if args.command == "map":
        TESTS_MAP.write_text(json.dumps(build_map(), indent=1) + "\n", encoding="utf-8")
        return 0
    if args.command in ("run", "survivors") and not Path(sys.executable).with_name("mutmut").exists():
        print(
            "mutants_module: mutmut is not installed beside this Python; "
            "`make mutants` installs it, or: pip install -e '.[test,mutation]'",
            file=sys.stderr,
        )
        return 3
    if args.command == "run":
        return run(args.module, args.fresh, args.tests)
    if args.command == "triage":
        return triage(args.module, args.names, args.killed_by, args.equivalent, args.existing)
    if args.command == "survivors":
        return survivors(args.module)
    return verify(args.module, args.names, args.tests, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
