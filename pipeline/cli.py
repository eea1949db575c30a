"""Command line: parses arguments and calls the library; nothing else.

Installed as `nccte` (same as `python -m pipeline`). Heavy libraries are
imported by the command that needs them, so `--help` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline import __version__, exits, site
from pipeline.fetch.settings import DEFAULTS as HTTP
from pipeline.files import UsageError

PROG = "nccte"
EXAMPLES = {
    "extract": "nccte extract                      # raw/ -> extracted/\n"
    "nccte extract --raw raw --out /tmp/out --no-cache",
    "scrape": "nccte scrape --year 2025-2026 --contact you@dpi.nc.gov --listing-url URL\n"
    "nccte scrape --year 2025-2026 --ids 1-3000     # also walk ids no page links",
    "diff": "nccte diff old/extracted extracted --exit-code\n"
    "nccte diff extracted --years 2024-2025 2025-2026 --format json",
    "check": "nccte check                         # what CI runs on a pull request",
    "report": "nccte report                        # writes extracted/report.html",
    "refresh": "nccte refresh --year 2025-2026 --contact you@dpi.nc.gov --listing-url URL\n"
    "nccte refresh --year 2024-2025 --base-url http://127.0.0.1:8765/nccte-cms/   # a local stand-in",
}


def command() -> int:
    """The `nccte` command and `python -m pipeline`: `main` in a process of its own.

    pandera imports hypothesis whenever it is installed (the tests need it in
    the venv `make` builds), for data synthesis no command does: 0.14 s of
    every extract (measured with `python -X importtime`). A process of its own
    can hide it; `main`, called by tests beside hypothesis, leaves it alone.
    """
    sys.modules.setdefault("hypothesis", None)
    return main()


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        return exits.INTERRUPTED
    try:
        return args.run(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return exits.USAGE
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return exits.INVALID
    except KeyboardInterrupt:
        print(f"interrupted: {args.interrupted}", file=sys.stderr)
        return exits.INTERRUPTED
    except Exception as error:
        if os.environ.get("NCCTE_DEBUG"):
            raise
        print(
            f"error: internal error ({type(error).__name__}: {str(error)[:300]}); nothing was replaced. "
            "Please report it; NCCTE_DEBUG=1 shows the traceback",
            file=sys.stderr,
        )
        return exits.INVALID


class _Parser(argparse.ArgumentParser):
    """argparse's own errors (a bad flag, a missing value) exit 3, a usage error, as every command's do."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(exits.USAGE, f"{self.prog}: error: {message}\n")


def _command(commands, name: str, summary: str, description: str, run, interrupted: str) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"examples:\n  {EXAMPLES[name].replace(chr(10), chr(10) + '  ')}\n\n{exits.help_text(name)}",
        formatter_class=_Formatter,
    )
    command.set_defaults(run=run, interrupted=interrupted)
    return command


class _Formatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown after each option that has one; examples kept as written."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or action.required:
            return action.help
        return super()._get_help_string(action)


def _positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        formatter_class=_Formatter,
        description="NC CTE Credential Information directory -> validated CSV and Parquet tables.\n"
        "`nccte` and `python -m pipeline` are the same command.",
        epilog="examples:\n  nccte extract\n  nccte scrape --year 2025-2026 --contact you@dpi.nc.gov\n"
        "  nccte check\n\nRun `nccte COMMAND --help` for a command's options and what its exit codes mean.\n"
        "exit codes: " + ", ".join(f"{code} {meaning}" for code, meaning in exits.MEANING.items()),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = _command(
        commands,
        "extract",
        "read raw/ and write every table to CSV and Parquet",
        "Read every document under RAW/<school_year>/<kind>/ and write validated tables to OUT/csv and "
        "OUT/parquet, replacing OUT only if an earlier extract wrote it.",
        _extract,
        "extract stopped; the previous output is unchanged",
    )
    run.add_argument("--raw", type=Path, default=Path("raw"), help="raw folder to read")
    run.add_argument("--out", type=Path, default=Path("extracted"), help="output folder (new, empty, or extract's)")
    run.add_argument(
        "--cache",
        type=Path,
        default=Path(".cache/extract"),
        help="where unchanged documents' results are kept between runs",
    )
    run.add_argument("--no-cache", action="store_true", help="parse every document again")
    run.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        help="processes for parsing and building (default: every core this run may use)",
    )

    crawl = _command(
        commands,
        "scrape",
        "fetch one school year of the directory into raw/",
        "Fetch one school year of the Credential Information directory into raw/<year>/ with a "
        "manifest, politely (rate limit, robots.txt, retries) and resumably.",
        _scrape,
        "scrape stopped; pages saved so far are kept, and running the same command again resumes where it stopped",
    )
    _crawl_options(crawl)

    compare = _command(
        commands,
        "diff",
        "what changed between two outputs, or two school years of one",
        "Compare two extract outputs, or two school years of one output: credentials added, "
        "removed, renamed and changed (typed values and child rows; provenance ignored).",
        _diff,
        "diff stopped; nothing was written",
    )
    compare.add_argument("old", type=Path, metavar="OLD_OUT", help="an extract output folder")
    compare.add_argument(
        "new", type=Path, metavar="NEW_OUT", nargs="?", help="another extract output folder (not with --years)"
    )
    compare.add_argument(
        "--years",
        nargs=2,
        metavar=("OLD_YEAR", "NEW_YEAR"),
        help="compare two school years inside OLD_OUT, older first",
    )
    compare.add_argument("--format", choices=("md", "json"), default="md", help="report format")
    compare.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed (as git diff)")

    verify = _command(
        commands,
        "check",
        "extract afresh; exit 0 valid+current, 1 invalid, 2 stale",
        "Extract RAW afresh into a temporary folder, say whether it is valid (no rejects, no "
        "unreadable documents, no schema drift) and whether BASELINE is current; the report names "
        "each problem with its file.",
        _check,
        "check stopped before its verdict; nothing was written",
    )
    verify.add_argument("--raw", type=Path, default=Path("raw"), help="raw folder to check")
    verify.add_argument("--baseline", type=Path, default=Path("extracted"), help="the committed outputs")
    verify.add_argument("--format", choices=("md", "json"), default="md", help="report format")

    look = _command(
        commands,
        "report",
        "write OUT/report.html, a page to review a refresh",
        "Write one self-contained HTML page (no network) from an extract output: counts per school "
        "year, year-over-year changes, rejects, drift, conflicts, unreadable documents and the "
        "course cross-check, with charts.",
        _report,
        "report stopped; nothing was written",
    )
    look.add_argument("--out", type=Path, default=Path("extracted"), help="the extract output to describe")

    renew = _command(
        commands,
        "refresh",
        "scrape a school year, extract, and report what this refresh changed",
        "The yearly refresh: keep the previous outputs, scrape YEAR into RAW, extract everything into OUT "
        "(and report.html), then write REPORTS/refresh-<year>-<date>.md and .json: pages fetched, unchanged "
        "and failed (named), the year's coverage, and the typed diff of this refresh against the previous "
        "outputs. Exits 1 when a page failed or the year is incomplete; its last line says which.",
        _refresh,
        "refresh stopped; pages saved so far are kept, the previous outputs are unchanged unless extract had "
        "replaced them, and running the same command again resumes the crawl",
    )
    _crawl_options(renew)
    renew.add_argument("--out", type=Path, default=Path("extracted"), help="output folder (new, empty, or extract's)")
    renew.add_argument("--reports", type=Path, default=Path("reports"), help="where the refresh report goes")
    renew.add_argument(
        "--keep",
        type=Path,
        default=Path(".cache/refresh/previous"),
        help="where the previous outputs are kept to compare (replaced by the next refresh)",
    )
    renew.add_argument(
        "--cache", type=Path, default=Path(".cache/extract"), help="extract's cache (see extract --help)"
    )
    return parser


def _crawl_options(command: argparse.ArgumentParser) -> None:
    """The options of a crawl, shared by `scrape` and `refresh`."""
    command.add_argument("--year", required=True, help="school year the pages must show, e.g. 2024-2025")
    command.add_argument("--base-url", default=site.DEFAULT_BASE_URL, help="the directory's folder URL")
    command.add_argument("--raw", type=Path, default=Path("raw"), help="raw folder; pages go to RAW/YEAR/html/")
    command.add_argument(
        "--rate",
        type=float,
        default=HTTP.rate,
        help="requests per second, per host (a robots.txt Crawl-delay that asks for slower wins)",
    )
    command.add_argument("--ids", help="also walk this cred_id range, e.g. 1-3000 (empty ids count as not found)")
    command.add_argument("--draft", action="store_true", help="fetch next year's drafts (future_credential_info.php)")
    command.add_argument(
        "--timeout", type=float, default=HTTP.timeout, help="seconds for a whole response: connect, headers, body"
    )
    command.add_argument(
        "--retries", type=int, default=HTTP.retries, help="retries per request (5xx, 429, timeouts, resets)"
    )
    command.add_argument(
        "--listing-url",
        help="the year's Credentials by Course PDF (the one URL that may name another host; only it is fetched there)",
    )
    command.add_argument(
        "--contact", help="an email or URL for the User-Agent, so the site can reach you (default: $NCCTE_CONTACT)"
    )


def _extract(args: argparse.Namespace) -> int:
    from pipeline import files, stamp

    seen = None
    if not args.no_cache and args.raw.is_dir():
        files.check_cache(args.cache, args.raw, args.out)  # before its stamp is even read
        seen = stamp.look(args.cache, args.raw, args.out)
        if seen.unchanged is not None:
            print(
                f"nothing changed since the last run ({seen.unchanged} files under {args.raw}, same code): "
                f"{args.out} is current; nothing was done (--no-cache runs it all again)"
            )
            return 0
    from pipeline.extract import extract

    result = extract(
        args.raw,
        args.out,
        progress=print_progress,
        cache_dir=None if args.no_cache else args.cache,
        workers=args.workers,
        seen=seen,
    )
    print(format_summary(result.summary, args.out))
    return 0


def _settings(args: argparse.Namespace):
    """A crawl's settings from `_crawl_options`."""
    from pipeline.fetch import crawl as scrape

    return scrape.Settings(
        year=args.year,
        base_url=args.base_url,
        raw=args.raw,
        rate=args.rate,
        ids=args.ids,
        draft=args.draft,
        timeout=args.timeout,
        retries=args.retries,
        listing_url=args.listing_url,
        contact=scrape.contact_from_environment(args.contact),
    )


def _scrape(args: argparse.Namespace) -> int:
    from pipeline.fetch import crawl as scrape
    from pipeline.fetch.http import HostUnreachable

    settings = _settings(args)
    reporter = scrape.BarReporter() if sys.stderr.isatty() else scrape.Reporter(print_progress)
    try:
        summary = scrape.scrape(settings, reporter)
    except scrape.SettingsError as error:
        raise UsageError(str(error)) from error
    except HostUnreachable as error:
        print(f"error: {error} (check --base-url and the network); nothing came home", file=sys.stderr)
        return exits.INVALID
    for line in summary.lines(args.year):
        print(line)
    for url, cause in summary.errors.items():
        print(f"error: {url}: {cause}")
    return exits.INVALID if summary.errors or summary.stopped else exits.OK


def _diff(args: argparse.Namespace) -> int:
    from pipeline.compare import diff

    if args.years and args.new is not None:
        raise UsageError("give NEW_OUT or --years OLD_YEAR NEW_YEAR, not both")
    if args.years and args.years[0] >= args.years[1]:
        raise UsageError(f"--years {args.years[0]} {args.years[1]}: give the older school year first")
    try:
        if args.years:
            report = diff.diff_years(args.old, *args.years)
        elif args.new is not None:
            report = diff.diff_outputs(args.old, args.new)
        else:
            raise UsageError("give NEW_OUT, or --years OLD_YEAR NEW_YEAR")
    except diff.UnreadableOutput as error:
        print(f"error: {error}", file=sys.stderr)
        return exits.INVALID
    except diff.DiffError as error:
        raise UsageError(str(error)) from error
    print(diff.to_json(report) if args.format == "json" else diff.to_markdown(report), end="")
    return exits.INVALID if args.exit_code and diff.has_changes(report) else exits.OK


def _check(args: argparse.Namespace) -> int:
    from pipeline.compare import check

    result = check.check(args.raw, args.baseline, progress=print_progress)
    if args.format == "json":
        print(check.to_json(result), end="")
    else:
        print(check.to_markdown(result), end="")
    return result.code


def _report(args: argparse.Namespace) -> int:
    from pipeline.compare import report

    path = report.write_report(args.out)
    print(f"wrote {path}")
    return 0


def _refresh(args: argparse.Namespace) -> int:
    from pipeline import refresh
    from pipeline.fetch import crawl as scrape

    settings = _settings(args)
    reporter = scrape.BarReporter() if sys.stderr.isatty() else scrape.Reporter(print_progress)
    outcome = refresh.refresh(settings, args.out, args.reports, args.keep, args.cache, reporter)
    for line in outcome.scrape_lines:
        print(line)
    if outcome.summary is not None:
        print(format_summary(outcome.summary, args.out))
    print(f"wrote {outcome.markdown} and {outcome.json}")
    print(outcome.verdict)
    return outcome.code


def print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def format_summary(summary: dict, out: Path) -> str:
    """The run's summary for the terminal: paths and page text with every control character shown escaped."""
    from pipeline.terminal import printable

    lines = [
        f"documents read: {summary['documents']} ({len(summary['unreadable'])} unreadable, "
        f"{summary.get('cached_documents', 0)} unchanged since the last run)",
        f"credentials: {summary['credentials']}",
        "rows: " + ", ".join(f"{name} {count}" for name, count in summary["rows"].items()),
        "credentials by origin: "
        + (", ".join(f"{origin} {count}" for origin, count in summary.get("origins", {}).items()) or "none"),
        f"rejects: {summary['rejects']}   conflicts: {summary['conflicts']}",
        f"schema drift labels: {len(summary['drift_labels'])}",
        *(f"  {label!r} x{count}" for label, count in summary["drift_labels"].items()),
    ]
    lines.append(
        f"course cross-check (Credentials by Course vs credential pages): "
        f"{len(summary['course_cross_check'])} differences"
    )
    missing = summary.get("years_without_listing")
    if missing:
        lines.append(
            f"  not checked for {', '.join(missing)}: no Credentials by Course listing "
            "(raw/<year>/pdf/credentials_by_course.pdf; scrape --listing-url fetches it)"
        )
    lines += [f"  {difference}" for difference in summary["course_cross_check"]]
    lines += [
        f"incomplete: {year}: {', '.join(facts['incomplete_because'])} (a credential missing from it is "
        "'not in this copy' in diff and report, not 'removed')"
        for year, facts in summary.get("coverage", {}).items()
        if facts["incomplete_because"]
    ]
    lines += [f"unreadable: {path}: {cause}" for path, cause in summary["unreadable"].items()]
    lines += [f"skipped: {path}: {cause}" for path, cause in summary.get("skipped", {}).items()]
    lines += [
        f"manifest: {path}: {problem}"
        for path, problems in summary.get("manifest_problems", {}).items()
        for problem in problems
    ]
    lines += [f"note: {path}: {note}" for path, notes in summary["notes"].items() for note in notes]
    lines += [f"note: slug collision: {note}" for note in summary.get("slug_collisions", [])]
    lines.append(f"wrote {out}/csv and {out}/parquet")
    return "\n".join(map(printable, lines))
