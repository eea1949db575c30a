"""The mutmut score of each module of pipeline/ and schemas/, from `mutmut results --all true`.

    python -m tests.mutmut_scores     # after `make mutants`; modules never run are listed as such

Score = killed (or timed out, or caught) / mutants checked. Survivors are triaged in tests/mutants_triage.md.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_MODULE = re.compile(r"^\s*(?P<module>[\w.]+?)\.x[_ǁ].*?: (?P<status>.+)$")
_KILLED = {"killed", "timeout", "caught by type check", "segfault"}
_NOT_RUN = {"not checked", "skipped"}


def scores(lines: list[str]) -> dict[str, Counter]:
    found: dict[str, Counter] = defaultdict(Counter)
    for line in lines:
        match = _MODULE.match(line)
        if match:
            found[match["module"]][match["status"].strip()] += 1
    return found


def modules() -> list[str]:
    paths = [*(REPO / "pipeline").rglob("*.py"), *(REPO / "schemas").rglob("*.py")]
    return sorted(".".join(p.relative_to(REPO).with_suffix("").parts) for p in paths if p.name != "__init__.py")


def main() -> int:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("mutmut")), "results", "--all", "true"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    found = scores(done.stdout.splitlines())
    print("| module | mutants | killed | survived | no tests | not run | score |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for module in modules():
        counts = found.get(module)
        if not counts:
            print(f"| {module} | - | - | - | - | - | not run |")
            continue
        killed = sum(counts[s] for s in _KILLED)
        not_run = sum(counts[s] for s in _NOT_RUN)
        checked = sum(counts.values()) - not_run
        score = f"{100 * killed / checked:.1f}%" if checked else "not run"
        print(
            f"| {module} | {sum(counts.values())} | {killed} | {counts['survived']} | {counts['no tests']} "
            f"| {not_run} | {score} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
