"""Command line: parses arguments and calls the library; nothing else."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .extract import UsageError, extract, print_progress


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("extract", help="read raw/ and write every table to CSV and Parquet")
    run.add_argument("--raw", type=Path, default=Path("raw"))
    run.add_argument("--out", type=Path, default=Path("extracted"))
    run.set_defaults(run=_extract)
    return parser


def _extract(args: argparse.Namespace) -> int:
    result = extract(args.raw, args.out, progress=print_progress)
    print(format_summary(result.summary, args.out))
    return 0


def format_summary(summary: dict, out: Path) -> str:
    lines = [
        f"documents read: {summary['documents']} ({len(summary['unreadable'])} unreadable)",
        f"credentials: {summary['credentials']}",
        "rows: " + ", ".join(f"{name} {count}" for name, count in summary["rows"].items()),
        f"rejects: {summary['rejects']}   conflicts: {summary['conflicts']}",
        f"schema drift labels: {len(summary['drift_labels'])}"
        + "".join(f"\n  {label!r} x{count}" for label, count in summary["drift_labels"].items()),
    ]
    lines += [f"unreadable: {path}: {cause}" for path, cause in summary["unreadable"].items()]
    lines += [f"note: {path}: {note}" for path, notes in summary["notes"].items() for note in notes]
    lines.append(f"wrote {out}/csv and {out}/parquet")
    return "\n".join(lines)
