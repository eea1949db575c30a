"""An extract output -> `report.html`: one self-contained page for the person reviewing a refresh.

Counts per school year, what changed year over year, rejects, drift,
conflicts, unreadable documents and the course cross-check, with charts drawn
as inline SVG. No script, no network, no CDN: the page opens anywhere, and
every value from a page is HTML-escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.compare import diff
from pipeline.files import MARKER, REPORT_NAME, UsageError, locked, output_lock, write_atomic
from schemas.tables import SCHEMAS

TABLE_ROWS = 200
COLORS = {
    "unchanged": "#9aa5b1",
    "changed": "#f0b429",
    "added": "#2f9e44",
    "removed": "#d64545",
    "first year": "#5c7cfa",
    "bar": "#3b5bdb",
}


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
        tables = diff.load_tables(out, list(SCHEMAS))
    except diff.DiffError as error:
        raise UsageError(str(error)) from error
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
    body = [
        f"<h1>Credential data: review of <code>{escape(str(out))}</code></h1>",
        f"<p class=meta>nccte {escape(__version__)} · {len(tables['credentials'])} credentials in "
        f"{len(years)} school years · {len(tables['rejects'])} rejects · {len(_drift(tables))} drift labels · "
        f"{len(summary.get('unreadable', {}))} unreadable documents</p>",
        _samples_note(tables["credentials"]),
        "<h2 id=counts>Counts per school year</h2>",
        _counts(tables, years),
        "<div class=charts>",
        _change_chart(tables, years, changes),
        _score_chart(tables["credentials"]),
        _cost_chart(tables["instructor_training_costs"]),
        "</div>",
        "<h2 id=changes>What changed, year over year</h2>",
        *([_change_section(report) for report in changes] or ["<p>Only one school year: nothing to compare.</p>"]),
        _problems(tables, summary),
    ]
    return _page("Credential data review", "\n".join(part for part in body if part))


# --- sections ---------------------------------------------------------------------------------


def _samples_note(credentials: pd.DataFrame) -> str:
    samples = int((credentials["source_origin"] == "sample").sum()) if "source_origin" in credentials else 0
    if not samples:
        return ""
    return (
        f"<p class=warn>{samples} of {len(credentials)} credentials come from <b>sample</b> pages written for "
        "this repository (<code>source_origin = sample</code>); leave them out of any analysis.</p>"
    )


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


def _change_section(report: dict[str, Any]) -> str:
    counts = report["counts"]
    parts = [
        f"<h3>{escape(report['old'])} → {escape(report['new'])}</h3>",
        f"<p class=change-counts>{counts['added']} added · {counts['removed']} removed · {counts['renamed']} renamed · "
        f"{counts['changed']} changed ({counts['values']} values, {counts['child_rows']} child rows)</p>",
    ]
    if report["added"] or report["removed"]:
        parts.append(
            _table(
                ["change", "credential", "cred_id"],
                [["added", r["credential_name"], r["cred_id"]] for r in report["added"]]
                + [["removed", r["credential_name"], r["cred_id"]] for r in report["removed"]],
                "added-removed",
            )
        )
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
        [
            r["credential_name"],
            table,
            kind,
            ", ".join(f"{k}={_text(v)}" for k, v in item.items() if v is not None)
            if "old" not in item
            else f"{item['old']} → {item['new']}",
        ]
        for r in report["changed"]
        for table, kinds in r["children"].items()
        for kind, items in kinds.items()
        for item in items
    ]
    if children:
        parts.append(_table(["credential", "table", "change", "row"], children, "changed-children"))
    return "\n".join(parts)


def _drift(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    labels = tables["label_values"]
    return labels[labels["label"].isna()]


def _problems(tables: dict[str, pd.DataFrame], summary: dict[str, Any]) -> str:
    rejects = tables["rejects"]
    drift = _drift(tables)
    conflicts = tables["conflicts"]
    sections = [
        (
            "rejects",
            "Rejected values",
            ["table", "key", "column", "check", "value", "file"],
            rejects[["table", "key", "column", "check", "failure_case", "source_path"]].values.tolist(),
        ),
        (
            "drift",
            "Schema drift (labels not in the contract)",
            ["file", "label", "value"],
            drift[["source_path", "label_raw", "value"]].values.tolist(),
        ),
        (
            "conflicts",
            "Conflicts (the best-ranked source wins)",
            ["school year", "credential", "column", "chosen", "other", "chosen from", "other from"],
            conflicts[
                ["school_year", "credential_slug", "column", "chosen", "other", "chosen_source", "other_source"]
            ].values.tolist(),
        ),
        ("unreadable", "Unreadable documents", ["file", "cause"], list(summary.get("unreadable", {}).items())),
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
        parts.append(f"<h2 id={anchor}>{escape(title)} ({len(rows)})</h2>")
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
        added, changed = counts["added"], counts["changed"]
        groups.append(
            (
                year,
                [
                    ("unchanged", total - added - changed),
                    ("changed", changed),
                    ("added", added),
                    ("removed", counts["removed"]),
                ],
            )
        )
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
    step = min(100, (width - 20) / max(len(legend), 1))
    for index, series in enumerate(legend):
        x = 10 + index * step
        parts.append(
            f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{COLORS[series]}"/>'
            f'<text x="{x + 14}" y="{height - 5}" class="legend">{escape(series)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- HTML -------------------------------------------------------------------------------------


def _table(header: list[str], rows: Iterable[list[Any]], anchor: str) -> str:
    rows = list(rows)
    cells = "".join(
        f"<tr>{''.join(f'<td>{escape(_text(value))}</td>' for value in row)}</tr>" for row in rows[:TABLE_ROWS]
    )
    more = f"<p class=more>… and {len(rows) - TABLE_ROWS} more.</p>" if len(rows) > TABLE_ROWS else ""
    head = "".join(f"<th>{escape(name)}</th>" for name in header)
    return f"<table class={anchor}><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>{more}"


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
h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e4e7eb;padding-bottom:4px}
h3{font-size:15px;margin-bottom:4px}.meta{color:#52606d;margin-top:0}
.warn{background:#fff3bf;border:1px solid #f0b429;padding:8px 12px;border-radius:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px;width:100%}
th,td{border:1px solid #e4e7eb;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
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
