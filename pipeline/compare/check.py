"""CI's check: extract raw/ afresh, then say whether it is valid and whether the committed outputs are current.

Exit codes (`pipeline.exits`): 0 valid and current; 1 invalid (rejects,
unreadable documents, schema drift, skipped files, manifest problems); 2 valid
but the committed outputs are stale; 3 a usage error (named in the report).
The report names every problem with its file, so the comment CI posts on a
pull request points at the bad value; page text quoted in it is inert (code spans: no links, images, HTML or @mentions).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as parquet

from pipeline import exits, files
from pipeline.compare import diff
from pipeline.extract import extract
from pipeline.files import MARKER, REPORT_NAME, UsageError
from schemas.version import METADATA_KEY

VALID, INVALID, STALE, USAGE = exits.OK, exits.INVALID, exits.STALE, exits.USAGE
MD_ROWS = 100


@dataclass
class CheckResult:
    code: int
    causes: list[str] = field(default_factory=list)
    report: dict[str, Any] | None = None  # diff of baseline -> fresh extraction
    rejects: list[dict[str, Any]] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)
    drift: list[dict[str, Any]] = field(default_factory=list)  # source_path, label_raw, value
    skipped: dict[str, str] = field(default_factory=dict)
    manifest_problems: dict[str, list[str]] = field(default_factory=dict)
    stale: dict[str, str] = field(default_factory=dict)  # output file -> what differs
    usage: str | None = None


def check(raw: Path, baseline: Path, progress: Callable[[str], None] | None = None) -> CheckResult:
    if not raw.is_dir():
        return CheckResult(USAGE, usage=f"no raw folder at {raw} (give --raw)")
    if not baseline.is_dir():
        return CheckResult(
            USAGE, usage=f"no baseline folder at {baseline} (give --baseline, the committed extract output)"
        )
    with tempfile.TemporaryDirectory(prefix="nccte-check-") as temp:
        fresh = Path(temp) / "extracted"
        try:
            result = extract(raw, fresh, progress)  # no cache, and its own output: it waits for no other run
        except UsageError as error:
            return CheckResult(USAGE, usage=str(error))
        except Exception as error:  # noqa: BLE001 - the verdict says what stopped the extraction
            return CheckResult(INVALID, causes=[f"the fresh extraction of {raw} failed: {_error(error)}"])
        found = _problems(result.summary, result.tables)
        try:
            with files.reading(baseline, f"--baseline {baseline}"):
                _compare(baseline, fresh, raw, found)
        except UsageError as error:
            return CheckResult(USAGE, usage=str(error))
    found.causes += _causes(found, baseline)
    problems = found.rejects or found.unreadable or found.drift or found.skipped or found.manifest_problems
    found.code = INVALID if problems else STALE if found.stale else VALID
    return found


def _compare(baseline: Path, fresh: Path, raw: Path, found: CheckResult) -> None:
    """What differs between the baseline and the fresh extraction: files, then typed values (with the schema
    versions when they differ)."""
    try:
        found.stale = stale_outputs(baseline, fresh)
    except Exception as error:  # noqa: BLE001 - an unreadable baseline is stale, and the verdict says why
        found.stale = {str(baseline): f"cannot be compared ({_error(error)})"}
    if found.stale:
        found.report = _diff_report(baseline, fresh, raw, found)


def _error(error: BaseException) -> str:
    text = str(error).splitlines()[0][:200] if str(error) else "no detail"
    return f"{type(error).__name__}: {text}"


def _problems(summary: dict[str, Any], tables: dict[str, pd.DataFrame]) -> CheckResult:
    labels = tables["label_values"]
    drift = labels[labels["label"].isna()]
    return CheckResult(
        VALID,
        rejects=[_plain(row) for row in tables["rejects"].to_dict("records")],
        unreadable=dict(summary["unreadable"]),
        drift=[_plain(row) for row in drift[["source_path", "label_raw", "value"]].to_dict("records")],
        skipped=dict(summary["skipped"]),
        manifest_problems=dict(summary["manifest_problems"]),
    )


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {key: None if value is None or value is pd.NA else value for key, value in row.items()}


def _causes(found: CheckResult, baseline: Path) -> list[str]:
    causes = []
    for count, what in (
        (len(found.rejects), "rejected values or rows"),
        (len(found.unreadable), "unreadable documents"),
        (len(found.drift), "schema drift labels (map them, or list them as known: see README)"),
        (len(found.skipped), "skipped files"),
        (sum(map(len, found.manifest_problems.values())), "manifest problems"),
    ):
        if count:
            causes.append(f"{count} {what}")
    if found.stale:
        causes.append(
            f"{baseline} is stale: {len(found.stale)} outputs differ from a fresh extraction "
            "(run `make regen` and commit what it changed)"
        )
    return causes


def _diff_report(baseline: Path, fresh: Path, raw: Path, found: CheckResult) -> dict[str, Any] | None:
    try:
        report = diff.diff_outputs(baseline, fresh)
    except diff.DiffError as error:
        found.causes.append(f"the baseline cannot be compared table by table: {error}")
        return None
    except Exception as error:  # noqa: BLE001 - whatever the baseline holds, the verdict stands and says why
        found.causes.append(f"the baseline cannot be compared table by table: {_error(error)}")
        return None
    versions = diff.version_line(report, "the baseline", "this extraction")
    if versions:
        found.causes.append(versions)
    found.causes += [
        f"{table}: not compared ({change['not_compared']})"
        for table, change in report["schema"].items()
        if "not_compared" in change
    ]
    report["new"] = f"{raw} (fresh extraction)"
    return report


# --- staleness: every output the repo commits ------------------------------------------------


def stale_outputs(baseline: Path, fresh: Path) -> dict[str, str]:
    """Output files that differ between the baseline and a fresh extraction, each with what differs."""
    names = sorted(
        {_rel(path, fresh) for path in fresh.rglob("*") if path.is_file()}
        | {_rel(path, baseline) for path in baseline.rglob("*") if path.is_file()}
    )
    stale = {}
    for name in names:
        if name in (MARKER, REPORT_NAME):  # the marker, and the page `report` writes from the outputs
            continue
        old, new = baseline / name, fresh / name
        if not old.exists():
            stale[name] = "missing from the baseline"
        elif not new.exists():
            stale[name] = "not an output of extract any more"
        else:
            difference = _difference(old, new)
            if difference:
                stale[name] = difference
    return stale


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _difference(old: Path, new: Path) -> str | None:
    if old.read_bytes() == new.read_bytes():
        return None
    if old.suffix == ".parquet":
        try:
            before, after = parquet.read_table(old), parquet.read_table(new)
        except Exception as error:  # noqa: BLE001 - a garbage file is stale, whatever pyarrow raises
            return f"cannot be read ({type(error).__name__})"
        if before.equals(after, check_metadata=True):
            return None
        if before.schema.remove_metadata() != after.schema.remove_metadata():
            return _schema_differs(before.schema, after.schema)
        if before.equals(after):
            return f"same rows, other metadata ({_versions(before.schema, after.schema)})"
        return _rows_differ(before.to_pandas(ignore_metadata=True), after.to_pandas(ignore_metadata=True))
    if old.suffix == ".csv":
        try:
            return _rows_differ(*(pd.read_csv(path, dtype=str, keep_default_na=False) for path in (old, new)))
        except Exception as error:  # noqa: BLE001
            return f"cannot be read as CSV ({type(error).__name__})"
    if old.suffix == ".json":
        try:
            before, after = (_dated(json.loads(path.read_text())) for path in (old, new))
        except ValueError:
            return "not valid JSON"
        return None if before == after else "content differs"
    return "content differs"


def _dated(document: object) -> object:
    """A summary or data package without the date of its data (`extracted_at`, `created`): it comes from the
    inputs (README), and SOURCE_DATE_EPOCH may set it, so it alone never makes an output stale."""
    if isinstance(document, dict):
        return {key: value for key, value in document.items() if key not in ("extracted_at", "created")}
    return document


def _schema_differs(old: pa.Schema, new: pa.Schema) -> str:
    """Columns only on one side, and columns whose type differs."""
    retyped = [
        f"{name} {old.field(name).type} → {new.field(name).type}"
        for name in new.names
        if name in old.names and old.field(name).type != new.field(name).type
    ]
    parts = [
        f"only in baseline: {', '.join(c for c in old.names if c not in new.names) or 'none'}",
        f"only in fresh: {', '.join(c for c in new.names if c not in old.names) or 'none'}",
    ] + ([f"type changed: {', '.join(retyped)}"] if retyped else [])
    return f"columns differ ({'; '.join(parts)}); {_versions(old, new)}"


def _versions(old: pa.Schema, new: pa.Schema) -> str:
    named = [(schema.metadata or {}).get(METADATA_KEY, b"").decode() or "unknown" for schema in (old, new)]
    return f"schema version {named[0]} in the baseline, {named[1]} fresh"


def _rows_differ(old: pd.DataFrame, new: pd.DataFrame) -> str:
    if list(old.columns) != list(new.columns):
        return (
            f"columns differ (only in baseline: {', '.join(c for c in old.columns if c not in new) or 'none'}; "
            f"only in fresh: {', '.join(c for c in new.columns if c not in old) or 'none'})"
        )
    before = set(map(tuple, old.astype(str).itertuples(index=False)))
    after = set(map(tuple, new.astype(str).itertuples(index=False)))
    if before == after:
        return "same rows, different bytes (order or formatting)"
    return f"{len(after - before)} rows only in the fresh extraction, {len(before - after)} only in the baseline"


# --- report ---------------------------------------------------------------------------------


def to_json(result: CheckResult) -> str:
    return json.dumps({"exit": result.code, **asdict(result)}, indent=2, sort_keys=True, default=str) + "\n"


def to_markdown(result: CheckResult) -> str:
    if result.usage:
        return (
            f"## Credential data check: usage error (exit {result.code})\n\n- {diff.inert(result.usage)}\n"
            "\nNothing was checked; fix the command and run it again.\n"
        )
    verdict = {
        VALID: "valid, and extracted/ is current",
        INVALID: "INVALID entries",
        STALE: "valid, but extracted/ is stale",
    }[result.code]
    lines = [f"## Credential data check: {verdict} (exit {result.code})", ""]
    lines += [f"- {cause}" for cause in result.causes]
    lines += _section(
        "Rejected values",
        ["table", "credential (key)", "column", "check", "on the page", "read as", "file"],
        [
            [r["table"], r["key"], r["column"], r["check"], r.get("page_text"), r["failure_case"], r["source_path"]]
            for r in result.rejects
        ],
    )
    lines += _section("Unreadable documents", ["file", "cause"], list(map(list, result.unreadable.items())))
    lines += _section(
        "Schema drift",
        ["file", "label", "value"],
        [[r["source_path"], r["label_raw"], r["value"]] for r in result.drift],
    )
    lines += _section("Skipped files", ["file", "cause"], list(map(list, result.skipped.items())))
    lines += _section(
        "Manifest problems",
        ["manifest", "problem"],
        [[path, problem] for path, problems in result.manifest_problems.items() for problem in problems],
    )
    lines += _section("Stale outputs", ["output", "what differs"], list(map(list, result.stale.items())))
    if result.report is not None and diff.has_changes(result.report):
        lines += ["", diff.to_markdown(result.report)]
    elif result.stale:
        lines += [
            "",
            "No typed value or child row changed: only the outputs listed under Stale outputs differ "
            "(provenance such as source_sha256, label_values, the summary).",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, header: list[str], rows: list[list[Any]]) -> list[str]:
    if not rows:
        return []
    lines = ["", f"### {title} ({len(rows)})", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(diff.inert(value) for value in row) + " |" for row in rows[:MD_ROWS]]
    if len(rows) > MD_ROWS:
        lines.append(f"\n… and {len(rows) - MD_ROWS} more (`check --format json` lists all)")
    return lines
