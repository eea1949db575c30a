"""CI's check: extract raw/ afresh, then say whether it is valid and whether extracted/ is current.

Exit codes: 0 valid and current; 1 invalid entries (rejects, unreadable
documents); 2 valid but the committed outputs are stale.
"""
from __future__ import annotations

import filecmp
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import diff
from .extract import extract

VALID, INVALID, STALE = 0, 1, 2


@dataclass
class CheckResult:
    code: int
    causes: list[str] = field(default_factory=list)
    report: dict[str, Any] | None = None       # diff of baseline -> fresh extraction


def check(raw: Path, baseline: Path, progress: Callable[[str], None] | None = None) -> CheckResult:
    with tempfile.TemporaryDirectory(prefix="nccte-check-") as temp:
        fresh = Path(temp) / "extracted"
        summary = extract(raw, fresh, progress).summary
        causes = _invalid_causes(summary)
        stale = _stale_tables(baseline, fresh)
        report = None
        if stale and (baseline / "parquet").is_dir():
            try:
                report = diff.diff_outputs(baseline, fresh)
                report["new"] = f"{raw} (fresh extraction)"
            except diff.DiffError as error:
                causes.append(f"baseline cannot be compared: {error}")
        code = INVALID if causes else STALE if stale else VALID
        if stale:
            causes.append(f"{baseline} is stale: {', '.join(stale)} differ from a fresh extraction of {raw} "
                          "(run `make run` and commit extracted/)")
        return CheckResult(code, causes, report)


def _invalid_causes(summary: dict[str, Any]) -> list[str]:
    causes = [f"unreadable document: {path}: {cause}" for path, cause in summary["unreadable"].items()]
    causes += [f"skipped: {path}: {cause}" for path, cause in summary["skipped"].items()]
    causes += [f"manifest problem: {path}: {problem}" for path, problems in summary["manifest_problems"].items()
               for problem in problems]
    if summary["rejects"]:
        causes.append(f"{summary['rejects']} rejected values or rows (see rejects.csv)")
    return causes


def _stale_tables(baseline: Path, fresh: Path) -> list[str]:
    if not (baseline / "csv").is_dir():
        return [f"{baseline}/csv (missing)"]
    names = sorted({p.name for p in (fresh / "csv").glob("*.csv")} | {p.name for p in (baseline / "csv").glob("*.csv")})
    return [name for name in names
            if not (baseline / "csv" / name).exists() or not (fresh / "csv" / name).exists()
            or not filecmp.cmp(baseline / "csv" / name, fresh / "csv" / name, shallow=False)]


def to_markdown(result: CheckResult) -> str:
    verdict = {VALID: "valid, and extracted/ is current", INVALID: "INVALID entries",
               STALE: "valid, but extracted/ is stale"}[result.code]
    lines = [f"## Credential data check: {verdict} (exit {result.code})", ""]
    lines += [f"- {cause}" for cause in result.causes]
    if result.report is not None:
        lines += ["", diff.to_markdown(result.report)]
    return "\n".join(lines).rstrip() + "\n"
