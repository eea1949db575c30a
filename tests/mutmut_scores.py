"""The mutmut score of each module of pipeline/ and schemas/, from the per-module runs in tests/mutmut_runs.json.

    python -m tests.mutmut_scores     # every module: its last run, or "not run"

Each module is run on its own (`make mutants MODULE=pipeline/stamp.py`, tools/mutants_module.py) against
the tests that reach it. Score before triage = killed (or timed out, or caught) / mutants checked. After
triage = (killed + killed by a test written for a survivor + killed by an existing test run in a fresh process,
which mutmut's forked workers miss when the parent process has cached a result) / (checked - equivalent). A
module whose file changed since its run is marked "stale" (its score was for other code). Survivors are
triaged in tests/mutants_triage.md; the names triaged are kept with the run.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = REPO / "tests" / "mutmut_runs.json"
_KILLED = {"killed", "timeout", "caught by type check", "segfault"}
_NOT_RUN = {"not checked", "skipped"}


def modules() -> list[str]:
    paths = [*(REPO / "pipeline").rglob("*.py"), *(REPO / "schemas").rglob("*.py")]
    return sorted(p.relative_to(REPO).as_posix() for p in paths if p.name not in ("__init__.py", "__main__.py"))


def row(module: str, run: dict | None) -> str:
    if run is None:
        return f"| {module} | not run | | | | | | | | | |"
    statuses = run["statuses"]
    killed = sum(statuses.get(s, 0) for s in _KILLED)
    total = sum(statuses.values())
    checked = total - sum(statuses.get(s, 0) for s in _NOT_RUN)
    new = len(run["killed_by_new_tests"])
    fresh = len(run.get("killed_by_existing_tests", {}))
    equivalent = len(run["equivalent"])
    before = f"{100 * killed / checked:.1f}%" if checked else "-"
    after = f"{100 * (killed + new + fresh) / (checked - equivalent):.1f}%" if checked > equivalent else "-"
    current = hashlib.sha256((REPO / module).read_bytes()).hexdigest()[:16]
    note = run["date"] + ("" if current == run["module_sha256"] else ", stale: the module changed since")
    note += f", {run['note']}" if run.get("note") else ""
    return (
        f"| {module} | {checked} of {total} | {killed} | {statuses.get('survived', 0)} | {statuses.get('no tests', 0)} "
        f"| {before} | {new} | {fresh} | {equivalent} | {after} | {note} |"
    )


def main() -> int:
    runs = json.loads(RUNS.read_text(encoding="utf-8")) if RUNS.exists() else {}
    print(
        "| module | checked | killed | survived | no tests | before triage | killed by new tests "
        "| killed by existing tests in a fresh process | equivalent | after triage | run |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    every = modules()
    for module in every:
        print(row(module, runs.get(module)))
    ran = [runs[module]["statuses"] for module in every if module in runs]
    finished = sum(1 for statuses in ran if statuses and not any(statuses.get(s) for s in _NOT_RUN))
    print(
        f"\n{len(every)} modules: {finished} run to the end, {len(ran) - finished} unfinished or without mutants, "
        f"{len(every) - len(ran)} not run (`make mutants MODULE=path/to/module.py`)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
