"""An extract output -> `report.html`: one self-contained page for the person reviewing a refresh.

It opens with what needs a decision (rejected values with the page's own text, schema drift labels,
conflicts by credential name, pages a refresh could not fetch, unreadable documents), each linked to its
source page; then what each school year holds (coverage), then what changed (year over year, and each
refresh), then charts drawn as inline SVG and the other checks. A table of contents leads to each part;
the header gives the data's date and the fetch dates. No script, no network, no CDN: the page opens
anywhere; every value from a page is HTML-escaped, and a link is only ever an http(s) URL from a manifest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.compare import diff
from pipeline.files import MARKER, REPORT_NAME, UsageError, locked, output_lock, write_atomic
from schemas.tables import DERIVED, SCHEMAS

TABLE_ROWS = 200
COLORS = {
    "unchanged": "#9aa5b1",
    "changed": "#f0b429",
    "added": "#2f9e44",
    "removed": "#d64545",
    "not in this copy": "#cbd2d9",
    "first year": "#5c7cfa",
    "bar": "#3b5bdb",
}
_WEB_URL = re.compile(r"^https?://[^\s\"'<>]+$")
_BREAK_AFTER = re.compile(r"([/?&=_.])")  # where a long path or URL may wrap (never inside a word)
_TOKEN = re.compile(r"^\S{1,32}$")


def write_report(out: Path) -> Path:
    """Write `<out>/report.html` from the output in `out`; UsageError when there is none.

    Only into a folder extract wrote (its marker is there), and never while a run writes it (its lock).
    """
    if (out / "parquet").is_dir() and not (out / MARKER).is_file():  # without parquet/, `_load` says what is wrong
        raise UsageError(
            f"--out {out} is not an extract output (no {MARKER} in it); report writes only beside extract's outputs"
        )
    with locked(output_lock(out), f"--out {out}"):
        tables, summary = _load(out)
        path = out / REPORT_NAME
        write_atomic(path, render(tables, summary, out).encode("utf-8"))
    return path


def _load(out: Path) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    try:
        tables = diff.load_tables(out, [name for name in SCHEMAS if name not in DERIVED])
    except diff.DiffError as error:
        raise UsageError(str(error)) from error
    for name in DERIVED:  # an output written before these tables existed still gets its report
        try:
            tables[name] = pd.read_parquet(out / "parquet" / f"{name}.parquet")
        except Exception:  # noqa: BLE001 - missing or unreadable: the report says what it cannot show
            tables[name] = None
    try:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {}
    return tables, summary


def render(tables: dict[str, pd.DataFrame], summary: dict[str, Any], out: Path) -> str:
    years = sorted(set(tables["credentials"]["school_year"].dropna()))
    changes = [
        diff.compare(diff.side(tables, old, old), diff.side(tables, new, new), by_year=False)
        for old, new in zip(years, years[1:], strict=False)
    ]
    links = _Links(tables["credentials"], summary.get("source_urls") or {})
    decide = _decisions(tables, summary, links)
    sections = [
        ("decide", f"What needs a decision ({sum(count for _, _, count, _ in decide)})", decide),
        ("coverage", "What each school year holds", [("counts", "Rows per school year", None, "")]),
        (
            "changes",
            "What changed",
            [(f"change-{r['new']}", f"{r['old']} → {r['new']}", None, "") for r in changes]
            + [("refreshes", "What each refresh changed", None, "")],
        ),
        ("charts", "Charts", []),
        ("details", "Other checks", []),
    ]
    body = [
        f"<h1>Credential data: review of <code>{escape(str(out))}</code></h1>",
        _meta(tables, summary, years),
        _samples_note(tables["credentials"]),
        _contents(sections),
        f"<h2 id=decide>{escape(sections[0][1])}</h2>",
        *(html for *_, html in decide),
        "<h2 id=coverage>What each school year holds</h2>",
        _coverage(tables.get("coverage"), summary),
        "<h3 id=counts>Rows per school year</h3>",
        _counts(tables, years),
        "<h2 id=changes>What changed</h2>",
        *([_change_section(report) for report in changes] or ["<p>Only one school year: nothing to compare.</p>"]),
        _refresh_changes(tables.get("changes")),
        "<h2 id=charts>Charts</h2>",
        "<div class=charts>",
        _change_chart(tables, years, changes),
        _score_chart(tables["credentials"]),
        _cost_chart(tables["instructor_training_costs"]),
        "</div>",
        "<h2 id=details>Other checks</h2>",
        _details(summary),
    ]
    return _page("Credential data review", "\n".join(part for part in body if part))


# --- header and contents ----------------------------------------------------------------------


def _meta(tables: dict[str, pd.DataFrame], summary: dict[str, Any], years: list[str]) -> str:
    coverage = summary.get("coverage") or {}
    fetched = sorted(
        when for facts in coverage.values() for when in (facts.get("fetched_from"), facts.get("fetched_until")) if when
    )
    dates = (
        f"data as of <b>{_plain(summary['extracted_at'])}</b> (the latest fetch; also the report's date)"
        if summary.get("extracted_at")
        else "data date unknown (no manifest gives a fetch date)"
    )
    span = f" · pages fetched {_plain(fetched[0])} to {_plain(fetched[-1])}" if fetched else ""
    return (
        f"<p class=meta>Generated by nccte {escape(__version__)} · {dates}{span} · "
        f"{len(tables['credentials'])} credentials in {len(years)} school years</p>"
    )


def _contents(sections) -> str:
    items = []
    for anchor, title, parts in sections:
        inner = "".join(f"<li><a href=#{part}>{escape(name)}</a>{_count(count)}</li>" for part, name, count, _ in parts)
        items.append(f"<li><a href=#{anchor}>{escape(title)}</a>{f'<ol>{inner}</ol>' if inner else ''}</li>")
    return f"<nav class=toc aria-label=Contents><h2>Contents</h2><ol>{''.join(items)}</ol></nav>"


def _count(count: int | None) -> str:
    return "" if count is None else f" <span class={'some' if count else 'none'}>({count})</span>"


def _samples_note(credentials: pd.DataFrame) -> str:
    samples = int((credentials["source_origin"] == "sample").sum()) if "source_origin" in credentials else 0
    if not samples:
        return ""
    return (
        f"<p class=warn>{samples} of {len(credentials)} credentials come from <b>sample</b> pages written for "
        "this repository (<code>source_origin = sample</code>); leave them out of any analysis.</p>"
    )


# --- what needs a decision --------------------------------------------------------------------


class _Links:
    """Source pages' URLs: by file (the summary's `source_urls`, the credentials' best sources), and by credential."""

    def __init__(self, credentials: pd.DataFrame, urls: dict[str, str]) -> None:
        rows = credentials[["school_year", "credential_slug", "credential_name", "source_path", "source_url"]]
        self.by_path: dict[str, str] = {path: url for path, url in urls.items() if _WEB_URL.match(str(url))}
        self.by_credential: dict[tuple, str] = {}
        self.names: dict[tuple, str] = {}
        for year, slug, name, path, url in rows.itertuples(index=False):
            self.names[(year, slug)] = name
            if isinstance(url, str) and _WEB_URL.match(url):
                self.by_path.setdefault(path, url)
                self.by_credential[(year, slug)] = url

    def url(self, path: Any) -> str | None:
        return self.by_path.get(path)

    def credential(self, year: Any, slug: Any) -> str:
        """The credential's name and school year, linked to its page when its URL is known."""
        found = self.names.get((year, slug))
        return _source(
            f"{found} ({year})" if found else f"{slug or '?'} ({year or '?'})",
            self.by_credential.get((year, slug)),
            False,
        )


def _decisions(tables: dict[str, pd.DataFrame], summary: dict[str, Any], links: _Links) -> list[tuple]:
    """(anchor, title, count, html) of each kind of item that needs a person's decision."""
    rejects = tables["rejects"]
    reject_rows = []
    for row in rejects.to_dict("records"):
        year, _, rest = (_text(row["key"])).partition("/")
        slug = rest.partition("/")[0]
        reject_rows.append(
            [
                links.credential(year, slug) if row["table"] != "label_values" else _plain(row["key"]),
                _plain(f"{row['table']}.{_text(row['column'])}"),
                _plain(row["check"]),
                _code(row.get("page_text")),
                _code(row["failure_case"]),
                _source(row["source_path"], links.url(row["source_path"])),
            ]
        )
    drift = _drift(tables)
    drift_rows = [
        [
            _code(row["label_raw"]),
            _code(row["value"]),
            links.credential(row["school_year"], row["credential_slug"]),
            _source(row["source_path"], links.url(row["source_path"])),
        ]
        for row in drift[["school_year", "credential_slug", "label_raw", "value", "source_path"]].to_dict("records")
    ]
    conflict_rows = [
        [
            links.credential(row["school_year"], row["credential_slug"]),
            _plain(row["column"]),
            _code(row["chosen"]),
            _code(row["other"]),
            _source(row["chosen_source"], links.url(row["chosen_source"])),
            _source(row["other_source"], links.url(row["other_source"])),
        ]
        for row in tables["conflicts"].to_dict("records")
    ]
    failed_rows = [
        [_plain(year), _source(url, url), _plain(cause)]
        for year, facts in sorted((summary.get("coverage") or {}).items())
        for url, cause in (facts.get("failed_pages") or {}).items()
    ]
    unreadable = summary.get("unreadable", {}).items()
    unreadable_rows = [[_source(path, links.url(path)), _plain(cause)] for path, cause in unreadable]
    kinds = [
        (
            "rejects",
            "Rejected values: the page's text failed a check (nulled, or its row left out)",
            ["credential", "column", "check", "on the page", "read as", "source"],
            reject_rows,
        ),
        (
            "drift",
            "Schema drift: labels not in the contract (map them or list them as known)",
            ["label", "value", "credential", "source"],
            drift_rows,
        ),
        (
            "conflicts",
            "Conflicts: copies of a credential disagree (the best-ranked copy is kept)",
            ["credential", "column", "kept", "other", "kept from", "other from"],
            conflict_rows,
        ),
        ("failed", "Pages the last refresh could not fetch", ["school year", "page", "cause"], failed_rows),
        ("unreadable", "Unreadable documents", ["file", "cause"], unreadable_rows),
    ]
    return [
        (
            anchor,
            title.partition(":")[0],
            len(rows),
            f"<h3 id={anchor}>{escape(title)} ({len(rows)})</h3>"
            + (_cells_table(header, rows, anchor) if rows else "<p class=none>None.</p>"),
        )
        for anchor, title, header, rows in kinds
    ]


# --- coverage -----------------------------------------------------------------------------------


def _coverage(coverage: pd.DataFrame | None, summary: dict[str, Any]) -> str:
    if coverage is None:
        return "<p class=none>This output has no coverage table (written by an earlier version: run extract).</p>"
    reasons = {year: facts.get("incomplete_because") or [] for year, facts in (summary.get("coverage") or {}).items()}
    rows = []
    for row in coverage.to_dict("records"):
        state = "complete" if row["complete"] else "incomplete: " + (", ".join(reasons.get(row["school_year"], [])))
        dates = dict.fromkeys(_text(row[key]) for key in ("fetched_from", "fetched_until") if _text(row[key]))
        last = [_plain(row["refreshed_at"])] if _text(row["refreshed_at"]) else []
        failed = [_plain(_failed(row["failed"]))] if _failed(row["failed"]) else []
        rows.append(
            [
                _plain(row["school_year"]),
                _plain(state),
                *(_plain(row[key]) for key in ("documents", "credentials", "cut")),
                _plain("read" if row["listing"] else "none"),
                _plain(row["origins"]),
                " to ".join(_plain(date) for date in dates),
                " · ".join(last + failed),
            ]
        )
    header = [
        "school year",
        "holds",
        "documents",
        "credentials",
        "cut",
        "listing",
        "origins",
        "fetched",
        "last refresh",
    ]
    note = (
        "<p>A year is <b>incomplete</b> when a credential's best copy is cut or its last refresh could not fetch "
        "a page: a credential missing from it is shown as <i>not in this copy</i>, never as removed.</p>"
    )
    return note + _cells_table(header, rows, "coverage")


def _failed(count: Any) -> str:
    return "" if count is None or count is pd.NA else f"{count} failed"


# The counts table: a column per table (rows of each school year), headed in words.
_COUNTED = (
    ("credentials", "credentials"),
    ("credential_courses", "courses"),
    ("credential_pathways", "pathways"),
    ("credential_soc_codes", "SOC codes"),
    ("instructor_training_costs", "training costs"),
    ("course_credentials", "listing rows"),
    ("label_values", "pairs"),
    ("conflicts", "conflicts"),
)


def _counts(tables: dict[str, pd.DataFrame], years: list[str]) -> str:
    header = ["school year", *(heading for _, heading in _COUNTED), "samples"]
    rows = []
    for year in years:
        counts = [int((tables[name]["school_year"] == year).sum()) for name, _ in _COUNTED]
        credentials = tables["credentials"]
        samples = int(((credentials["school_year"] == year) & (credentials["source_origin"] == "sample")).sum())
        rows.append([year, *counts, samples])
    return _table(header, rows, "counts")


# --- changes ------------------------------------------------------------------------------------


def _change_section(report: dict[str, Any]) -> str:
    counts = report["counts"]
    parts = [
        f"<h3 id=change-{escape(report['new'])}>{escape(report['old'])} → {escape(report['new'])}</h3>",
        f"<p class=change-counts>{counts['added']} added · {counts['removed']} removed · {counts['renamed']} renamed · "
        f"{counts['changed']} changed ({counts['values']} values, {counts['child_rows']} child rows)"
        + (f" · {counts['not_in_this_copy']} not in this copy" if counts["not_in_this_copy"] else "")
        + (f" · {counts['not_in_old_copy']} not in the old copy" if counts["not_in_old_copy"] else "")
        + "</p>",
    ]
    for side_name in ("old", "new"):
        for year, why in report["incomplete"][side_name].items():
            parts.append(
                f"<p class=warn>{escape(year)} is incomplete ({escape(why)}): a credential missing from it is "
                f"<i>not in {'this' if side_name == 'new' else 'the old'} copy</i>, not "
                f"{'removed' if side_name == 'new' else 'added'}.</p>"
            )
    if counts["unseen"]:
        parts.append(
            f"<p class=meta>{counts['unseen']} values or child rows not compared: a cut page does not show them.</p>"
        )
    gone = (
        [["added", r["credential_name"], r["cred_id"]] for r in report["added"]]
        + [["removed", r["credential_name"], r["cred_id"]] for r in report["removed"]]
        + [["not in this copy", r["credential_name"], r["cred_id"]] for r in report["not_in_this_copy"]]
        + [["not in the old copy", r["credential_name"], r["cred_id"]] for r in report["not_in_old_copy"]]
    )
    if gone:
        parts.append(_table(["change", "credential", "cred_id"], gone, "added-removed"))
    if report["renamed"]:
        parts.append(
            _table(
                ["cred_id", "old name", "new name"],
                [[r["cred_id"], r["old_name"], r["credential_name"]] for r in report["renamed"]],
                "renamed",
            )
        )
    values = [[r["credential_name"], c["column"], c["old"], c["new"]] for r in report["changed"] for c in r["columns"]]
    if values:
        parts.append(_table(["credential", "column", "old", "new"], values, "changed-values"))
    children = [
        [r["credential_name"], table, kind, diff.change_text(item) if kind == "changed" else diff.row_text(item)]
        for r in report["changed"]
        for table, kinds in r["children"].items()
        for kind, items in kinds.items()
        for item in items
    ]
    if children:
        parts.append(_table(["credential", "table", "change", "row"], children, "changed-children"))
    return "\n".join(parts)


def _refresh_changes(changes: pd.DataFrame | None) -> str:
    title = "<h3 id=refreshes>What each refresh changed</h3>"
    if changes is None:
        return title + "<p class=none>This output has no changes table (written by an earlier version).</p>"
    mine = changes[changes["between"] == "refreshes"]
    if mine.empty:
        return title + "<p class=none>No refresh has recorded a change.</p>"
    rows = [
        [
            row["school_year"],
            row["until"],
            row["credential_name"] or row["credential_slug"],
            row["table"],
            row["column"],
            row["kind"],
            row["old"],
            row["new"],
        ]
        for row in mine.to_dict("records")
    ]
    return title + _table(
        ["school year", "refresh", "credential", "table", "column", "change", "old", "new"], rows, "refresh-changes"
    )


def _drift(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    labels = tables["label_values"]
    return labels[labels["label"].isna()]


def _details(summary: dict[str, Any]) -> str:
    sections = [
        (
            "cross-check",
            "Course cross-check (Credentials by Course vs credential pages)",
            ["difference"],
            [[line] for line in summary.get("course_cross_check", [])]
            + [[f"not checked for {year}: no listing"] for year in summary.get("years_without_listing", [])],
        ),
        ("skipped", "Skipped files", ["file", "cause"], list(summary.get("skipped", {}).items())),
        (
            "manifest",
            "Manifest problems",
            ["manifest", "problem"],
            [
                [path, problem]
                for path, problems in summary.get("manifest_problems", {}).items()
                for problem in problems
            ],
        ),
    ]
    parts = []
    for anchor, title, header, rows in sections:
        parts.append(f"<h3 id={anchor}>{escape(title)} ({len(rows)})</h3>")
        parts.append(_table(header, rows, anchor) if rows else "<p class=none>None.</p>")
    return "\n".join(parts)


# --- charts -----------------------------------------------------------------------------------


def _change_chart(tables: dict[str, pd.DataFrame], years: list[str], changes: list[dict[str, Any]]) -> str:
    """Credentials per school year, split by what happened to them since the year before."""
    groups = []
    for index, year in enumerate(years):
        total = int((tables["credentials"]["school_year"] == year).sum())
        if index == 0:
            groups.append((year, [("first year", total)]))
            continue
        counts = changes[index - 1]["counts"]
        added, changed, unseen = counts["added"], counts["changed"], counts["not_in_old_copy"]
        bars = [
            ("unchanged", total - added - changed - unseen),
            ("changed", changed),
            ("added", added),
            ("removed", counts["removed"]),
        ]
        bars += [("not in this copy", counts["not_in_this_copy"])] if counts["not_in_this_copy"] else []
        groups.append((year, bars))
    return _bar_chart("Credentials per school year, by change since the year before", groups, "change-chart")


def _score_chart(credentials: pd.DataFrame) -> str:
    scores = credentials["passing_score_percent"].dropna()
    bins = [
        (
            f"{low}–{low + 9}" if low < 90 else "90–100",
            int(((scores >= low) & (scores < low + 10)).sum() + (scores == 100).sum() * (low == 90)),
        )
        for low in range(0, 100, 10)
    ]
    bins = [item for item in bins if item[1]] or [("none", 0)]
    return _bar_chart(
        f"Exam passing scores ({len(scores)} credentials with a percent)",
        [(label, [("bar", count)]) for label, count in bins],
        "score-chart",
    )


def _cost_chart(costs: pd.DataFrame) -> str:
    amounts = costs["amount_usd"].dropna()
    edges = [
        (0, 0.01, "$0"),
        (0.01, 100, "< $100"),
        (100, 500, "$100–499"),
        (500, 1000, "$500–999"),
        (1000, float("inf"), "$1,000+"),
    ]
    groups = [(label, [("bar", int(((amounts >= low) & (amounts < high)).sum()))]) for low, high, label in edges]
    return _bar_chart(f"Instructor training cost options ({len(amounts)})", groups, "cost-chart")


def _bar_chart(title: str, groups: list[tuple[str, list[tuple[str, int]]]], anchor: str) -> str:
    """Grouped bars as inline SVG: one group per label, one bar per series, each with its count."""
    width, height, top, bottom, bar = 460, 220, 40, 40, 16
    series_count = max(len(bars) for _, bars in groups)
    group_width = (width - 20) / max(len(groups), 1)
    peak = max([value for _, bars in groups for _, value in bars] + [1])
    scale = (height - top - bottom) / peak
    parts = [
        f'<svg id={anchor} class=chart viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title, quote=True)}">',
        f'<text x="10" y="16" class="title">{escape(title)}</text>',
        f'<line x1="10" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" class="axis"/>',
    ]
    for index, (label, bars) in enumerate(groups):
        left = 10 + index * group_width + (group_width - series_count * bar) / 2
        for position, (series, value) in enumerate(bars):
            x, size = left + position * bar, value * scale
            y = height - bottom - size
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2}" height="{size:.1f}" '
                f'fill="{COLORS[series]}" data-series="{escape(series, quote=True)}" data-value="{value}">'
                f"<title>{escape(label)}: {escape(series)} {value}</title></rect>"
            )
            parts.append(f'<text x="{x + (bar - 2) / 2:.1f}" y="{y - 3:.1f}" class="value">{value}</text>')
        parts.append(
            f'<text x="{10 + index * group_width + group_width / 2:.1f}" y="{height - bottom + 16}" '
            f'class="label">{escape(label)}</text>'
        )
    legend = sorted({series for _, bars in groups for series, _ in bars if series != "bar"}, key=list(COLORS).index)
    x = 10.0
    for series in legend:  # each entry as wide as its words (10 px type: about 5.5 px a character)
        parts.append(
            f'<rect x="{x:.0f}" y="{height - 14}" width="10" height="10" fill="{COLORS[series]}"/>'
            f'<text x="{x + 14:.0f}" y="{height - 5}" class="legend">{escape(series)}</text>'
        )
        x += 14 + 5.5 * len(series) + 12
    parts.append("</svg>")
    return "".join(parts)


# --- HTML -------------------------------------------------------------------------------------


def _table(header: list[str], rows: Iterable[list[Any]], anchor: str) -> str:
    """A table of plain values, each escaped."""
    return _cells_table(header, [[_plain(value) for value in row] for row in rows], anchor)


def _cells_table(header: list[str], rows: list[list[str]], anchor: str) -> str:
    """A table of cells already made safe (`_plain`, `_code`, `_source`), at most TABLE_ROWS of them."""
    cells = "".join(f"<tr>{''.join(f'<td>{cell}</td>' for cell in row)}</tr>" for row in rows[:TABLE_ROWS])
    more = f"<p class=more>… and {len(rows) - TABLE_ROWS} more.</p>" if len(rows) > TABLE_ROWS else ""
    head = "".join(f"<th>{escape(name)}</th>" for name in header)
    table = f"<table class={anchor}><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
    return f"<div class=scroll>{table}</div>{more}"


def _plain(value: Any) -> str:
    """A value, escaped; one short token (a school year, a date, a code) is never wrapped at its hyphens."""
    text = _text(value)
    if _TOKEN.match(text):
        return f"<span class=nw>{escape(text)}</span>"
    return escape(text)


def _code(value: Any) -> str:
    """Page text shown as written: `<code>`, wrapped only at its spaces."""
    text = _text(value)
    return f"<code>{escape(text)}</code>" if text else ""


def _source(path: Any, url: str | None, breakable: bool = True) -> str:
    """A file or page, linked to its URL when the manifest gives an http(s) one; long ones wrap at `/`, `?`, `&`..."""
    if not breakable:
        shown = escape(_text(path))
    else:
        shown = "".join(
            escape(part) + ("<wbr>" if _BREAK_AFTER.fullmatch(part) else "") for part in _BREAK_AFTER.split(_text(path))
        )
    if url and _WEB_URL.match(url):
        return f'<a href="{escape(url, quote=True)}" rel="noreferrer">{shown}</a>'
    return shown


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#1f2933;
padding:0 16px}
h1{font-size:22px;margin-bottom:4px}
h2{font-size:18px;margin-top:32px;border-bottom:1px solid #e4e7eb;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 4px}.meta{color:#52606d;margin-top:0}
.warn{background:#fff3bf;border:1px solid #f0b429;padding:8px 12px;border-radius:4px}
.toc{background:#f5f7fa;border:1px solid #e4e7eb;border-radius:4px;padding:4px 16px 8px;margin:12px 0}
.toc h2{font-size:15px;border:0;margin:8px 0 4px}.toc ol{margin:0;padding-left:20px}.toc .some{color:#d64545}
.scroll{overflow-x:auto}.nw{white-space:nowrap}
table{border-collapse:collapse;margin:8px 0;font-size:13px;width:100%}
th,td{border:1px solid #e4e7eb;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:normal;
word-break:normal;hyphens:manual}
code{font-size:12px;white-space:pre-wrap;background:#f5f7fa;padding:0 2px}
a{color:#1c4f9c}
th{background:#f5f7fa}.none{color:#7b8794}.change-counts{margin-top:0;color:#3e4c59}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{width:460px;border:1px solid #e4e7eb;border-radius:4px}
.chart .title{font-size:12px;font-weight:600}.chart .value,.chart .label,.chart .legend{font-size:10px}
.chart .value,.chart .label{text-anchor:middle}.chart .axis{stroke:#9aa5b1}
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
