"""The yearly refresh: scrape one school year, extract everything, and say what this refresh changed.

1. `--out` is checked as extract checks it, before anything is fetched.
2. The previous outputs are kept: a copy of OUT's tables and summary in KEEP (replaced by the next refresh),
   so this refresh can be compared with what was there before it.
3. The year is scraped (`fetch.crawl`): pages fetched, unchanged (304), not found, failed (each named).
4. The refresh is recorded in raw/<year>/refreshes.json (`history`): when, from which base URL, the pages
   and the failed ones; then everything is extracted, so the year's coverage knows its failed pages.
5. The previous outputs are diffed with the new ones (typed, credential by credential, coverage-aware); the
   year's changes are added to its record and extracted again (cheaply: only `changes` differs), so the
   `changes` table holds them and a fresh extraction of raw/ gives the same outputs; report.html is written.
6. reports/refresh-<year>-<date>.md and .json say all of it; their last line, and the command's, says
   whether the year came home whole. The outcome is INVALID (exit 1) when a page failed, the host could not
   be reached or the year is incomplete.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import exits, files, history, site
from pipeline.compare import changes, diff, report
from pipeline.extract import Result, extract
from pipeline.fetch import crawl
from pipeline.fetch.http import HostUnreachable
from pipeline.files import UsageError

KEEP_MARKER = ".nccte-refresh-previous"
_KEPT = ("parquet", "summary.json")  # what diff and the report need of the previous outputs


@dataclass
class Outcome:
    code: int
    year: str
    markdown: Path
    json: Path
    scrape_lines: list[str] = field(default_factory=list)  # the crawl's stats and its failed pages
    summary: dict[str, Any] | None = None  # the extract's, None when nothing could be extracted
    verdict: str = ""  # the last line: complete or INCOMPLETE, and why


def refresh(
    settings: crawl.Settings,
    out: Path,
    reports: Path,
    keep: Path,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] | crawl.Reporter = lambda message: None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Outcome:
    """Refresh one school year; UsageError for arguments it cannot start from (nothing is touched then)."""
    try:
        settings = settings.checked()
    except crawl.SettingsError as error:
        raise UsageError(str(error)) from error
    files.check_output(out, settings.raw)
    if cache_dir is not None:  # extract checks it again; a usage error must not wait for the whole crawl
        files.check_cache(cache_dir, settings.raw, out)
    say = progress.message if isinstance(progress, crawl.Reporter) else progress
    previous = _keep_previous(out, keep)
    since = _extracted_at(previous)
    refreshed_at = now().strftime("%Y-%m-%dT%H:%M:%SZ")
    year = settings.year
    record: dict[str, Any] = {
        "refreshed_at": refreshed_at,
        "base_url": settings.base_url,
        "origin": site.origin_of(settings.base_url),
        "since": since,
        "pages": {"written": 0, "unchanged": 0, "not_found": 0, "discovered": 0, "failed": {}},
        "listing": None,
        "changes": [],
    }
    lines = []
    try:
        scraped = crawl.scrape(settings, progress)
    except HostUnreachable as error:
        record["pages"]["failed"][settings.base_url] = f"{error} (check --base-url and the network)"
    else:
        lines += scraped.lines(year)
        record["pages"].update(
            written=scraped.written,
            unchanged=scraped.unchanged,
            not_found=scraped.not_found,
            discovered=scraped.discovered,
            failed=dict(scraped.errors),
        )
        record["listing"] = scraped.listing
        if scraped.stopped:
            record["pages"]["failed"][settings.base_url] = f"crawl stopped: {scraped.stopped}"
    failed = record["pages"]["failed"]
    lines += [f"error: {url}: {cause}" for url, cause in failed.items()]
    if (settings.raw / year).is_dir():
        history.append(settings.raw, year, record)
    result = _extract(settings.raw, out, cache_dir, say)
    comparison = None
    if result is not None and previous is not None:
        comparison = diff.diff_outputs(previous, out)
        comparison["old"], comparison["new"] = f"{out} before this refresh", f"{out} after it"
        found = changes.rows_of(comparison, changes.REFRESHES, since, refreshed_at)
        record["changes"] = [_recorded(row) for row in found if row["school_year"] == year]
        if record["changes"] and (settings.raw / year).is_dir():
            history.replace_last(settings.raw, year, record)
            result = _extract(settings.raw, out, cache_dir, say)
    if result is not None:
        report.write_report(out)
    coverage = (result.summary.get("coverage", {}) if result else {}).get(year)
    verdict = _verdict(year, failed, coverage)
    code = exits.INVALID if verdict["problems"] else exits.OK
    facts = {
        "year": year,
        "refreshed_at": refreshed_at,
        "base_url": settings.base_url,
        "origin": record["origin"],
        "since": since,
        "pages": record["pages"],
        "listing": record["listing"],
        "out": str(out),
        "kept": str(keep) if previous else None,
        "coverage": coverage,
        "extract": _extract_facts(result),
        "changes": comparison,
        "year_over_year": _year_over_year(out, year) if result else None,
        "exit": code,
        "verdict": _last_line(year, code, verdict, comparison, previous is not None),
    }
    markdown, data = _write_reports(reports, year, refreshed_at, facts)
    return Outcome(code, year, markdown, data, lines, result.summary if result else None, facts["verdict"])


# --- steps ----------------------------------------------------------------------------------------


def _keep_previous(out: Path, keep: Path) -> Path | None:
    """A copy of the previous outputs' tables and summary in `keep`; None when `out` holds none (a first run)."""
    if not (out / "parquet" / "credentials.parquet").is_file():
        return None
    if keep.exists():
        empty = keep.is_dir() and not keep.is_symlink() and not any(keep.iterdir())
        if not (keep / KEEP_MARKER).is_file() and not empty:
            raise UsageError(f"--keep {keep} holds files a refresh did not keep there; choose a new or empty folder")
        shutil.rmtree(keep)
    keep.mkdir(parents=True)
    (keep / KEEP_MARKER).write_text("The outputs before the last refresh, kept to compare; replaced by the next.\n")
    for name in _KEPT:
        source = out / name
        if source.is_dir():
            shutil.copytree(source, keep / name)
        elif source.is_file():
            shutil.copy2(source, keep / name)
    return keep


def _extracted_at(previous: Path | None) -> str | None:
    if previous is None:
        return None
    try:
        return json.loads((previous / "summary.json").read_text(encoding="utf-8")).get("extracted_at")
    except (OSError, ValueError, AttributeError):
        return None


def _extract(raw: Path, out: Path, cache_dir: Path | None, say: Callable[[str], None]) -> Result | None:
    """Extract everything; None when raw/ holds no document yet (a first refresh where nothing came home)."""
    try:
        return extract(raw, out, say, cache_dir=cache_dir)
    except files.UnsafeOutput:
        raise
    except UsageError as error:
        say(f"extract: {error}")
        return None


def _recorded(row: dict[str, Any]) -> dict[str, Any]:
    """A change row as the year's record keeps it (its year, and when, are the record's)."""
    return {key: value for key, value in row.items() if key not in ("school_year", "between", "since", "until")}


def _verdict(year: str, failed: dict[str, str], coverage: dict[str, Any] | None) -> dict[str, Any]:
    problems = []
    if failed:
        named = ", ".join(list(failed)[:3]) + (f" and {len(failed) - 3} more" if len(failed) > 3 else "")
        problems.append(f"{len(failed)} {'page' if len(failed) == 1 else 'pages'} failed ({named})")
    if coverage is None:
        problems.append(f"no credential of {year} was read")
    elif coverage["incomplete_because"]:
        problems.append(f"{year} is incomplete ({', '.join(coverage['incomplete_because'])})")
    return {"problems": problems}


def _last_line(
    year: str, code: int, verdict: dict[str, Any], comparison: dict[str, Any] | None, kept: bool = False
) -> str:
    if comparison is None:  # no previous outputs, or (when some were kept) nothing extracted to compare them with
        changed = f"nothing to compare ({'nothing was extracted' if kept else 'no previous outputs'})"
    else:
        counts = comparison["counts"]
        changed = (
            f"{counts['added']} added, {counts['removed']} removed, {counts['renamed']} renamed, "
            f"{counts['changed']} changed"
        )
    if verdict["problems"]:
        return f"refresh {year}: INCOMPLETE (exit {code}): {'; '.join(verdict['problems'])}; this refresh: {changed}"
    return f"refresh {year}: complete (exit {code}): every page came home; this refresh: {changed}"


def _extract_facts(result: Result | None) -> dict[str, Any] | None:
    if result is None:
        return None
    summary = result.summary
    return {
        key: summary.get(key)
        for key in ("extracted_at", "documents", "credentials", "rejects", "conflicts", "origins", "unreadable")
    } | {"drift_labels": len(summary.get("drift_labels", {}))}


def _year_over_year(out: Path, year: str) -> dict[str, Any]:
    """The headline of this year against the year before, or why there is none (a first year)."""
    first = int(year[:4])
    before = f"{first - 1}-{first}"
    try:
        compared = diff.diff_years(out, before, year)
    except diff.DiffError as error:
        return {"before": before, "nothing_to_compare": str(error)}
    return {"before": before, "counts": compared["counts"], "incomplete": compared["incomplete"]}


# --- the report -----------------------------------------------------------------------------------


def _write_reports(reports: Path, year: str, refreshed_at: str, facts: dict[str, Any]) -> tuple[Path, Path]:
    """reports/refresh-<year>-<date>.md and .json; a second refresh the same day gets `-2`, never overwrites."""
    reports.mkdir(parents=True, exist_ok=True)
    stem, number = f"refresh-{year}-{refreshed_at[:10]}", 1
    while (reports / f"{stem}.md").exists() or (reports / f"{stem}.json").exists():
        number += 1
        stem = f"refresh-{year}-{refreshed_at[:10]}-{number}"
    markdown, data = reports / f"{stem}.md", reports / f"{stem}.json"
    files.write_atomic(markdown, to_markdown(facts).encode("utf-8"))
    files.write_atomic(data, (json.dumps(facts, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())
    return markdown, data


def to_markdown(facts: dict[str, Any]) -> str:
    """The refresh report: what came home, what failed, the year's coverage, what this refresh changed."""
    inert = diff.inert
    pages = facts["pages"]
    failed = pages["failed"]
    lines = [
        f"## Refresh of {facts['year']}, {facts['refreshed_at']}",
        "",
        f"- base URL: {inert(facts['base_url'])}, rows marked `{facts['origin']}`"
        + ("" if facts["origin"] == "live" else " (not the directory's own host)"),
        f"- pages: {pages['written']} fetched, {pages['unchanged']} unchanged (304), {len(failed)} failed, "
        f"{pages['not_found']} not found; {pages['discovered']} discovered",
        f"- Credentials by Course listing: {inert(facts['listing']) if facts['listing'] else 'none'}",
        f"- outputs: {inert(facts['out'])}"
        + (f"; the previous ones are kept in {inert(facts['kept'])}" if facts["kept"] else "; none before"),
    ]
    extracted = facts["extract"]
    if extracted:
        origins = ", ".join(f"{origin} {count}" for origin, count in (extracted["origins"] or {}).items())
        lines.append(
            f"- extract: {extracted['credentials']} credentials ({origins or 'none'}), {extracted['rejects']} "
            f"rejects, {extracted['drift_labels']} drift labels, {len(extracted['unreadable'] or {})} unreadable "
            f"documents; data as of {extracted['extracted_at'] or 'unknown'}"
        )
    if failed:
        lines += ["", f"### Failed pages ({len(failed)})", "", "| page | cause |", "| --- | --- |"]
        lines += [f"| {inert(url)} | {inert(cause)} |" for url, cause in failed.items()]
    lines += ["", f"### Coverage of {facts['year']}", ""]
    coverage = facts["coverage"]
    if coverage is None:
        lines.append(f"No credential of {facts['year']} was read.")
    else:
        state = "complete" if coverage["complete"] else f"INCOMPLETE: {', '.join(coverage['incomplete_because'])}"
        lines.append(
            f"{state}. {coverage['documents']} documents, {coverage['credentials']} credentials, {coverage['cut']} "
            f"cut, listing {'read' if coverage['listing'] else 'not read'}, fetched "
            f"{coverage['fetched_from'] or '?'} to {coverage['fetched_until'] or '?'}."
        )
    lines += ["", "### What this refresh changed", ""]
    if facts["changes"] is None and facts["kept"]:
        lines.append("Nothing to compare: nothing was extracted.")
    elif facts["changes"] is None:
        lines.append("Nothing to compare: there were no previous outputs (a first refresh).")
    else:
        lines.append(diff.to_markdown(facts["changes"]).rstrip())
    over = facts["year_over_year"]
    if over:
        lines += ["", f"### {over['before']} → {facts['year']}, year over year", ""]
        if "counts" in over:
            counts = over["counts"]
            lines.append(
                f"{counts['added']} added, {counts['removed']} removed, {counts['renamed']} renamed, "
                f"{counts['changed']} changed, {counts['not_in_this_copy']} not in this copy "
                f"(`nccte diff {facts['out']} --years {over['before']} {facts['year']}` lists them)."
            )
        else:
            lines.append(f"Nothing to compare: {inert(over['nothing_to_compare'])}.")
    lines += ["", facts["verdict"]]
    return "\n".join(lines) + "\n"
