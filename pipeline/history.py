"""What raw/ records about each school year besides its pages: when they were fetched, and each refresh.

- Fetch dates: the `fetched_at` column of `raw/<year>/manifest.csv`.
- Refreshes: `raw/<year>/refreshes.json`, written by `refresh` (`pipeline/refresh.py`): for each refresh of
  the year, when it ran, from which base URL, the pages it fetched, found unchanged and could not fetch
  (named), and the typed changes it found against the outputs it replaced. extract turns them into the
  `coverage` and `changes` tables, so a fresh extraction of raw/ gives the same outputs as the refresh did.

A record that cannot be used (not JSON, a change of the wrong shape) is a note, never an error: the run
goes on without it. This module imports only the standard library and what raw/ is read with.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import patterns
from pipeline.files import write_atomic
from pipeline.read.documents import MANIFEST_NAME, load_manifest

RECORD_NAME = "refreshes.json"
MAX_RECORD_BYTES = 64 * 1024 * 1024
_SLUG = re.compile(f"^{patterns.VALID_SLUG}$")
_TABLES = frozenset(
    {"credentials", "credential_courses", "credential_pathways", "credential_soc_codes", "instructor_training_costs"}
)
_KINDS = frozenset({"added", "removed", "renamed", "changed", "not in this copy", "not in the old copy"})
_TEXT_FIELDS = ("credential_name", "column", "old", "new")


@dataclass
class YearRecord:
    """What raw/<year>/ records besides its pages."""

    fetched: list[str] = field(default_factory=list)  # every manifest fetched_at, as ISO 8601 UTC
    refreshes: list[dict[str, Any]] = field(default_factory=list)  # usable refresh records, oldest first
    problems: list[str] = field(default_factory=list)  # about refreshes.json, each naming the refresh and change


def read(raw: Path) -> dict[str, YearRecord]:
    """Each school-year folder's record (folders not named like `2024-2025` have none)."""
    records = {}
    for year_dir in sorted(path for path in raw.iterdir() if path.is_dir() and not path.is_symlink()):
        if not patterns.SCHOOL_YEAR.match(year_dir.name):
            continue
        record = YearRecord()
        if (year_dir / MANIFEST_NAME).is_file():
            for row in load_manifest(year_dir / MANIFEST_NAME).rows.values():
                when = utc_iso(row.get("fetched_at") or "")
                if when:
                    record.fetched.append(when)
        record.refreshes, record.problems = _refreshes(year_dir / RECORD_NAME)
        records[year_dir.name] = record
    return records


def utc_iso(text: str) -> str | None:
    """An ISO 8601 time as `2025-11-20T10:00:00Z` (UTC, seconds); None when the text is not one."""
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (ValueError, TypeError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _refreshes(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    if not path.is_file():
        return [], []
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            return [], [f"over {MAX_RECORD_BYTES // 1024 // 1024} MB; not read"]
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError) as error:
        return [], [f"not a refresh record ({type(error).__name__}); not read"]
    if not isinstance(data, dict) or not isinstance(data.get("refreshes"), list):
        return [], ["no `refreshes` list; not read"]
    refreshes, problems = [], []
    for number, item in enumerate(data["refreshes"], 1):
        refresh, why = _refresh(item, f"refresh {number}")
        problems += why
        if refresh is not None:
            refreshes.append(refresh)
    return refreshes, problems


def _refresh(item: Any, where: str) -> tuple[dict[str, Any] | None, list[str]]:
    """A refresh record with only what extract uses, each part checked; None when it has no time."""
    if not isinstance(item, dict) or not utc_iso(str(item.get("refreshed_at") or "")):
        return None, [f"{where}: no refreshed_at time; left out"]
    pages = item.get("pages") if isinstance(item.get("pages"), dict) else {}
    failed = pages.get("failed") if isinstance(pages.get("failed"), dict) else {}
    refresh = {
        "refreshed_at": utc_iso(item["refreshed_at"]),
        "since": utc_iso(str(item.get("since") or "")),
        "failed": {str(url): str(cause) for url, cause in failed.items()},
        "changes": [],
    }
    problems = []
    changes = item.get("changes") if isinstance(item.get("changes"), list) else []
    for number, change in enumerate(changes, 1):
        cause = _change_problem(change)
        if cause:
            problems.append(f"{where}: change {number}: {cause}; left out")
        else:
            keys = ("credential_slug", "cred_id", "table", "kind", *_TEXT_FIELDS)
            refresh["changes"].append({key: change.get(key) for key in keys})
    return refresh, problems


def _change_problem(change: Any) -> str | None:
    if not isinstance(change, dict):
        return "not an object"
    if not isinstance(change.get("credential_slug"), str) or not _SLUG.match(change["credential_slug"]):
        return "no valid credential_slug"
    if change.get("table") not in _TABLES:
        return f"unknown table {str(change.get('table'))[:40]!r}"
    if change.get("kind") not in _KINDS:
        return f"unknown kind {str(change.get('kind'))[:40]!r}"
    cred_id = change.get("cred_id")
    if cred_id is not None and (type(cred_id) is not int or not 0 <= cred_id < 2**63):
        return "cred_id is not a directory id"
    if any(change.get(key) is not None and not isinstance(change.get(key), str) for key in _TEXT_FIELDS):
        return "a value that is not text"
    return None


_LAST_SECOND = 253_402_300_799  # 9999-12-31T23:59:59Z: the last second a date can be written in four digits


def extracted_at(records: dict[str, YearRecord], environ: dict[str, str] | None = None) -> str | None:
    """When the outputs' data is from: `SOURCE_DATE_EPOCH` when set, else the latest fetch in raw/.

    Derived from the inputs, never the clock, so extracting the same raw/ twice gives the same outputs.
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) <= 12 and int(epoch) <= _LAST_SECOND:
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    times = [when for record in records.values() for when in record.fetched]
    return max(times) if times else None


def append(raw: Path, year: str, refresh: dict[str, Any]) -> None:
    """Add a refresh to raw/<year>/refreshes.json (written atomically; earlier refreshes are kept as they are)."""
    _write(raw, year, _stored(raw, year) + [refresh])


def replace_last(raw: Path, year: str, refresh: dict[str, Any]) -> None:
    """Replace the year's last refresh record (the one this refresh appended) with its completed form."""
    _write(raw, year, _stored(raw, year)[:-1] + [refresh])


def _stored(raw: Path, year: str) -> list:
    """The record's list as stored (kept whole, even parts extract cannot use); a broken record is kept aside."""
    path = raw / year / RECORD_NAME
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        if isinstance(data, dict) and isinstance(data.get("refreshes"), list):
            return data["refreshes"]
    except (OSError, ValueError):
        pass
    aside = path.with_name(f"{RECORD_NAME}.unreadable-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    os.replace(path, aside)  # never overwritten: the user can read what it held
    return []


def _write(raw: Path, year: str, refreshes: list) -> None:
    text = json.dumps({"refreshes": refreshes}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(raw / year / RECORD_NAME, text.encode("utf-8"))
