"""Command line: parses arguments and calls the library; nothing else."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import check, diff
from .fetch import crawl as scrape
from .fetch.http import HostUnreachable
from .extract import UsageError, extract, print_progress
from .files import UnsafeOutput


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, UnsafeOutput) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"interrupted: {args.interrupted}", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a user sees one line, never a traceback
        if os.environ.get("NCCTE_DEBUG"):
            raise
        print(f"error: internal error ({type(error).__name__}: {str(error)[:300]}); nothing was replaced. "
              "Please report it; NCCTE_DEBUG=1 shows the traceback", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("extract", help="read raw/ and write every table to CSV and Parquet")
    run.add_argument("--raw", type=Path, default=Path("raw"))
    run.add_argument("--out", type=Path, default=Path("extracted"))
    run.add_argument("--cache", type=Path, default=Path(".cache/extract"),
                     help="where unchanged documents' results are kept between runs (default .cache/extract)")
    run.add_argument("--no-cache", action="store_true", help="parse every document again")
    run.add_argument("--workers", type=int, default=None, help="processes for parsing (default: every core)")
    run.set_defaults(run=_extract, interrupted="extract stopped; the previous output is unchanged")

    crawl = commands.add_parser(
        "scrape", help="fetch one school year of the directory into raw/",
        description="Fetch one school year of the Credential Information directory into raw/<year>/ with a "
                    "manifest, politely (rate limit, robots.txt, retries) and resumably.",
        epilog="example: python -m pipeline scrape --year 2025-2026 --contact you@dpi.nc.gov "
               "--listing-url https://www.dpi.nc.gov/.../credentials-by-course.pdf\n"
               "exit codes: 0 every existing page came home; 1 some page failed; 2 bad arguments or the host "
               "cannot be reached",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    crawl.add_argument("--year", required=True, help="school year the pages must show, e.g. 2024-2025")
    crawl.add_argument("--base-url", default=scrape.DEFAULT_BASE_URL, help="the directory's folder URL")
    crawl.add_argument("--raw", type=Path, default=Path("raw"), help="raw folder; pages go to RAW/YEAR/html/")
    crawl.add_argument("--rate", type=float, default=1.0, help="requests per second (a robots.txt Crawl-delay "
                                                               "that asks for slower wins)")
    crawl.add_argument("--ids", help="also walk this cred_id range, e.g. 1-3000 (empty ids count as not found)")
    crawl.add_argument("--draft", action="store_true", help="fetch next year's drafts (future_credential_info.php)")
    crawl.add_argument("--timeout", type=float, default=30.0, help="seconds for a whole response")
    crawl.add_argument("--retries", type=int, default=4, help="retries per request (5xx, 429, timeouts, resets)")
    crawl.add_argument("--listing-url", help="the year's Credentials by Course PDF (may be on another host: only "
                                             "that one URL is fetched there)")
    crawl.add_argument("--contact", help=f"an email or URL for the User-Agent, so the site can reach you "
                                         f"(default: ${scrape.CONTACT_VARIABLE})")
    crawl.set_defaults(run=_scrape, interrupted="scrape stopped; pages saved so far are kept, and running the "
                                                "same command again resumes where it stopped")

    compare = commands.add_parser("diff", help="what changed between two outputs, or two school years of one")
    compare.add_argument("old", type=Path, metavar="OLD_OUT")
    compare.add_argument("new", type=Path, metavar="NEW_OUT", nargs="?")
    compare.add_argument("--years", nargs=2, metavar=("OLD_YEAR", "NEW_YEAR"),
                         help="compare two school years inside OLD_OUT")
    compare.add_argument("--format", choices=("md", "json"), default="md")
    compare.set_defaults(run=_diff, interrupted="diff stopped; nothing was written")

    verify = commands.add_parser("check", help="extract afresh; exit 0 valid+current, 1 invalid, 2 stale")
    verify.add_argument("--raw", type=Path, default=Path("raw"))
    verify.add_argument("--baseline", type=Path, default=Path("extracted"))
    verify.add_argument("--format", choices=("md", "json"), default="md")
    verify.set_defaults(run=_check, interrupted="check stopped before its verdict; nothing was written")
    return parser


def _extract(args: argparse.Namespace) -> int:
    result = extract(args.raw, args.out, progress=print_progress, cache_dir=None if args.no_cache else args.cache,
                     workers=args.workers)
    print(format_summary(result.summary, args.out))
    return 0


def _scrape(args: argparse.Namespace) -> int:
    settings = scrape.Settings(year=args.year, base_url=args.base_url, raw=args.raw, rate=args.rate, ids=args.ids,
                               draft=args.draft, timeout=args.timeout, retries=args.retries,
                               listing_url=args.listing_url, contact=scrape.contact_from_environment(args.contact))
    reporter = scrape.BarReporter() if sys.stderr.isatty() else scrape.Reporter(print_progress)
    try:
        summary = scrape.scrape(settings, reporter)
    except scrape.SettingsError as error:
        raise UsageError(str(error)) from error
    except HostUnreachable as error:
        raise UsageError(f"{error} (check --base-url and the network)") from error
    for line in summary.lines(args.year):
        print(line)
    for url, cause in summary.errors.items():
        print(f"error: {url}: {cause}")
    return 1 if summary.errors else 0


def _diff(args: argparse.Namespace) -> int:
    try:
        if args.years:
            report = diff.diff_years(args.old, *args.years)
        elif args.new is not None:
            report = diff.diff_outputs(args.old, args.new)
        else:
            raise UsageError("give NEW_OUT, or --years OLD_YEAR NEW_YEAR")
    except diff.DiffError as error:
        raise UsageError(str(error)) from error
    print(diff.to_json(report) if args.format == "json" else diff.to_markdown(report), end="")
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        result = check.check(args.raw, args.baseline, progress=print_progress)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return check.INVALID
    if args.format == "json":
        print(json.dumps({"exit": result.code, "causes": result.causes, "report": result.report}, indent=2,
                         sort_keys=True))
    else:
        print(check.to_markdown(result), end="")
    return result.code


def format_summary(summary: dict, out: Path) -> str:
    lines = [
        f"documents read: {summary['documents']} ({len(summary['unreadable'])} unreadable, "
        f"{summary.get('cached_documents', 0)} unchanged since the last run)",
        f"credentials: {summary['credentials']}",
        "rows: " + ", ".join(f"{name} {count}" for name, count in summary["rows"].items()),
        f"rejects: {summary['rejects']}   conflicts: {summary['conflicts']}",
        f"schema drift labels: {len(summary['drift_labels'])}"
        + "".join(f"\n  {label!r} x{count}" for label, count in summary["drift_labels"].items()),
    ]
    lines.append(f"course cross-check (Credentials by Course vs credential pages): "
                 f"{len(summary['course_cross_check'])} differences")
    missing = summary.get("years_without_listing")
    if missing:
        lines.append(f"  not checked for {', '.join(missing)}: no Credentials by Course listing "
                     "(raw/<year>/pdf/credentials_by_course.pdf; scrape --listing-url fetches it)")
    lines += [f"  {difference}" for difference in summary["course_cross_check"]]
    lines += [f"unreadable: {path}: {cause}" for path, cause in summary["unreadable"].items()]
    lines += [f"skipped: {path}: {cause}" for path, cause in summary.get("skipped", {}).items()]
    lines += [f"manifest: {path}: {problem}" for path, problems in summary.get("manifest_problems", {}).items()
              for problem in problems]
    lines += [f"note: {path}: {note}" for path, notes in summary["notes"].items() for note in notes]
    lines += [f"note: slug collision: {note}" for note in summary.get("slug_collisions", [])]
    lines.append(f"wrote {out}/csv and {out}/parquet")
    return "\n".join(lines)
