"""The command line in process (`cli.main([...])`): arguments, defaults, usage errors (exit 3), what each command
prints and its exit code (CONTRACT section 6, README). The heavy work each command calls (extract, scrape, diff,
check, report, refresh) is replaced by a stand-in that records what it was given and returns a value made here;
every expected line and code is written by hand.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline import cli, files, stamp
from pipeline.compare import check, diff, report
from pipeline.fetch import crawl
from pipeline.fetch.http import HostUnreachable
from pipeline.fetch.settings import SettingsError
from pipeline.files import UsageError


def usage_error(capsys, argv: list[str]) -> str:
    """argparse's own errors exit 3 (a usage error, as every command's), with the usage and the message on stderr."""
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("usage: nccte")
    return captured.err


# --- argparse's errors and --version -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "nccte: error: the following arguments are required: COMMAND\n"),
        (["extract", "--bogus"], "nccte: error: unrecognized arguments: --bogus\n"),
        (["scrape"], "nccte scrape: error: the following arguments are required: --year\n"),
        (["refresh", "--raw", "r"], "nccte refresh: error: the following arguments are required: --year\n"),
        (["extract", "--workers", "0"], "nccte extract: error: argument --workers: must be 1 or more, not 0\n"),
        (["extract", "--workers", "-2"], "nccte extract: error: argument --workers: must be 1 or more, not -2\n"),
        (["extract", "--workers", "two"], "nccte extract: error: argument --workers: invalid _positive_int value"),
        (["diff", "a", "--format", "html"], "nccte diff: error: argument --format: invalid choice: 'html'"),
        (["check", "--format", "csv"], "nccte check: error: argument --format: invalid choice: 'csv'"),
        (["scrape", "--year", "2024-2025", "--rate", "fast"], "argument --rate: invalid float value: 'fast'"),
        (["scrape", "--year", "2024-2025", "--retries", "1.5"], "argument --retries: invalid int value: '1.5'"),
        (["diff"], "nccte diff: error: the following arguments are required: OLD_OUT\n"),
        (["diff", "a", "--years", "2024-2025"], "argument --years: expected 2 arguments\n"),
        (["nothing"], "nccte: error: argument COMMAND: invalid choice: 'nothing'"),
    ],
)
def test_argparse_errors_exit_3_with_the_message(capsys, argv, message):
    assert message in usage_error(capsys, argv)


def test_usage_error_prints_the_usage_line_then_the_message(capsys):
    err = usage_error(capsys, ["report", "--out"])
    assert err == "usage: nccte report [-h] [--out OUT]\nnccte report: error: argument --out: expected one argument\n"


def test_version_prints_the_program_and_its_version(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == "nccte 0.1.0\n"


@pytest.mark.parametrize("value", ["1", "7"])
def test_workers_one_or_more_is_taken(monkeypatch, tmp_path, value):
    seen = record_extract(monkeypatch)
    assert cli.main(["extract", "--raw", str(tmp_path / "none"), "--workers", value]) == 0
    assert seen["workers"] == int(value)


def test_positive_int_message():
    assert cli._positive_int("1") == 1
    with pytest.raises(Exception, match=r"^must be 1 or more, not 0$"):
        cli._positive_int("0")


# --- help: defaults shown, examples and exit codes ------------------------------------------------------------


def help_of(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        cli.main([*argv, "--help"])
    assert stop.value.code == 0
    return " ".join(capsys.readouterr().out.split())


@pytest.fixture(autouse=True)
def _columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")


def test_top_help_names_every_command_and_every_exit_code(capsys):
    text = help_of(capsys, [])
    assert text.startswith("usage: nccte [-h] [--version] COMMAND ...")
    assert "NC CTE Credential Information directory -> validated CSV and Parquet tables." in text
    for name in ("extract", "scrape", "diff", "check", "report", "refresh"):
        assert f" {name} " in text
    assert "extract afresh; exit 0 valid+current, 1 invalid, 2 stale" in text
    assert "examples: nccte extract nccte scrape --year 2025-2026 --contact you@dpi.nc.gov nccte check" in text
    assert "Run `nccte COMMAND --help` for a command's options and what its exit codes mean." in text
    assert "exit codes: 0 ok, 1 invalid or changed, 2 stale, 3 usage error, 130 interrupted" in text


@pytest.mark.parametrize(
    ("argv", "shown", "not_shown"),
    [
        (
            ["extract"],
            [
                "--raw RAW raw folder to read (default: raw)",
                "--out OUT output folder (new, empty, or extract's) (default: extracted)",
                "kept between runs (default: .cache/extract)",
                "--no-cache parse every document again --workers",
                "processes for parsing and building (default: every core this run may use) examples:",
            ],
            ["(default: None)", "(default: False)"],
        ),
        (
            ["scrape"],
            [
                "--year YEAR school year the pages must show, e.g. 2024-2025 --base-url",
                "the directory's folder URL (default: https://center.ncsu.edu/nccte-cms/)",
                "(a robots.txt Crawl-delay that asks for slower wins) (default: 1.0)",
                "connect, headers, body (default: 30.0)",
                "(5xx, 429, timeouts, resets) (default: 4)",
            ],
            ["(default: None)", "(default: False)"],
        ),
        (
            ["diff"],
            ["--format {md,json} report format (default: md)", "OLD_OUT an extract output folder"],
            ["(default: None)", "(default: False)"],
        ),
        (["check"], ["the committed outputs (default: extracted)", "raw folder to check (default: raw)"], []),
        (["report"], ["the extract output to describe (default: extracted)"], []),
        (
            ["refresh"],
            [
                "where the refresh report goes (default: reports)",
                "(replaced by the next refresh) (default: .cache/refresh/previous)",
                "extract's cache (see extract --help) (default: .cache/extract)",
            ],
            ["(default: None)", "(default: False)"],
        ),
    ],
)
def test_command_help_shows_each_default_but_none_and_false(capsys, argv, shown, not_shown):
    text = help_of(capsys, argv)
    for part in shown:
        assert part in text
    for part in not_shown:
        assert part not in text


def test_command_help_keeps_the_examples_as_written_and_gives_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        cli.main(["diff", "--help"])
    out = capsys.readouterr().out
    assert (
        "examples:\n  nccte diff old/extracted extracted --exit-code\n"
        "  nccte diff extracted --years 2024-2025 2025-2026 --format json\n\nexit codes:\n"
        "  0    ok: compared (with --exit-code: nothing changed)\n"
    ) in out
    assert "  130  interrupted: stopped by Ctrl-C; the command says what it left behind\n" in out


# --- main: what an error of a command becomes ------------------------------------------------------------------


def run_raising(monkeypatch, error: BaseException, argv=("report", "--out", "x")) -> int:
    def stand_in(args):
        raise error

    monkeypatch.setattr(cli, "_report", stand_in)
    return cli.main(list(argv))


def test_usage_error_of_a_command_exits_3(monkeypatch, capsys):
    assert run_raising(monkeypatch, UsageError("no extract output in x")) == 3
    assert capsys.readouterr() == ("", "error: no extract output in x\n")


def test_os_error_names_the_file_and_exits_1(monkeypatch, capsys):
    assert run_raising(monkeypatch, PermissionError(13, "Permission denied", "x/report.html")) == 1
    assert capsys.readouterr() == ("", "error: x/report.html: Permission denied\n")


def test_os_error_without_a_file_or_cause_gives_the_error(monkeypatch, capsys):
    assert run_raising(monkeypatch, OSError("disk gone")) == 1
    assert capsys.readouterr() == ("", "error: : disk gone\n")


def test_ctrl_c_in_a_command_says_what_it_left_and_exits_130(monkeypatch, capsys):
    assert run_raising(monkeypatch, KeyboardInterrupt()) == 130
    assert capsys.readouterr() == ("", "interrupted: report stopped; nothing was written\n")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["extract"], "extract stopped; the previous output is unchanged"),
        (
            ["scrape", "--year", "2024-2025"],
            "scrape stopped; pages saved so far are kept, and running the same command again resumes where it stopped",
        ),
        (["diff", "a", "b"], "diff stopped; nothing was written"),
        (["check"], "check stopped before its verdict; nothing was written"),
        (
            ["refresh", "--year", "2024-2025"],
            "refresh stopped; pages saved so far are kept, the previous outputs are unchanged unless extract had "
            "replaced them, and running the same command again resumes the crawl",
        ),
    ],
)
def test_ctrl_c_message_of_each_command(monkeypatch, capsys, argv, said):
    def interrupted(args):
        raise KeyboardInterrupt

    for name in ("_extract", "_scrape", "_diff", "_check", "_refresh"):
        monkeypatch.setattr(cli, name, interrupted)
    assert cli.main(argv) == 130
    assert capsys.readouterr().err == f"interrupted: {said}\n"


def test_ctrl_c_while_parsing_exits_130(monkeypatch, capsys):
    class Parser:
        def parse_args(self, argv):
            raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_parser", Parser)
    assert cli.main(["extract"]) == 130
    assert capsys.readouterr() == ("", "")


def test_internal_error_is_reported_in_one_line_and_exits_1(monkeypatch, capsys):
    monkeypatch.delenv("NCCTE_DEBUG", raising=False)
    assert run_raising(monkeypatch, ValueError("x" * 301)) == 1
    assert capsys.readouterr().err == (
        f"error: internal error (ValueError: {'x' * 300}); nothing was replaced. "
        "Please report it; NCCTE_DEBUG=1 shows the traceback\n"
    )


def test_nccte_debug_shows_the_traceback(monkeypatch):
    monkeypatch.setenv("NCCTE_DEBUG", "1")
    with pytest.raises(ValueError, match="^boom$"):
        run_raising(monkeypatch, ValueError("boom"))


def test_command_hides_hypothesis_and_runs_main(monkeypatch):
    modules = {name: module for name, module in sys.modules.items() if name != "hypothesis"}
    monkeypatch.setattr(sys, "modules", modules)  # a copy: the test process keeps its hypothesis
    monkeypatch.setattr(cli, "main", lambda: 7)
    assert cli.command() == 7
    assert modules["hypothesis"] is None


def test_command_leaves_an_imported_hypothesis_alone(monkeypatch):
    modules = {**sys.modules, "hypothesis": "imported"}
    monkeypatch.setattr(sys, "modules", modules)
    monkeypatch.setattr(cli, "main", lambda: 0)
    assert cli.command() == 0
    assert modules["hypothesis"] == "imported"


def test_print_progress_goes_to_stderr(capsys):
    cli.print_progress("scrape: 3/10 pages, 0 errors")
    assert capsys.readouterr() == ("", "scrape: 3/10 pages, 0 errors\n")


# --- extract -----------------------------------------------------------------------------------------------------

SUMMARY = {
    "documents": 3,
    "unreadable": {},
    "credentials": 2,
    "rows": {"credentials": 2, "courses": 5},
    "rejects": 0,
    "conflicts": 0,
    "drift_labels": {},
    "course_cross_check": [],
    "notes": {},
}


def record_extract(monkeypatch, summary: dict | None = None) -> dict:
    """Stand-ins for extract, the cache check and the stamp: what each was given goes into `seen`."""
    import pipeline.extract

    record: dict = {}

    def extract(raw, out, progress, cache_dir, workers, seen):
        record.update(raw=raw, out=out, progress=progress, cache_dir=cache_dir, workers=workers, seen=seen)
        return SimpleNamespace(summary=summary or SUMMARY)

    monkeypatch.setattr(pipeline.extract, "extract", extract)
    monkeypatch.setattr(files, "check_cache", lambda *given: record.setdefault("check_cache", given))
    return record


def test_extract_defaults_and_its_summary(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # no raw/ here: no cache check, no stamp
    seen = record_extract(monkeypatch)
    assert cli.main(["extract"]) == 0
    assert seen == {
        "raw": Path("raw"),
        "out": Path("extracted"),
        "progress": cli.print_progress,
        "cache_dir": Path(".cache/extract"),
        "workers": None,
        "seen": None,
    }
    assert capsys.readouterr().out == (
        "documents read: 3 (0 unreadable, 0 unchanged since the last run)\n"
        "credentials: 2\n"
        "rows: credentials 2, courses 5\n"
        "credentials by origin: none\n"
        "rejects: 0   conflicts: 0\n"
        "schema drift labels: 0\n"
        "course cross-check (Credentials by Course vs credential pages): 0 differences\n"
        "wrote extracted/csv and extracted/parquet\n"
    )


def test_extract_with_a_raw_folder_checks_the_cache_then_the_stamp(monkeypatch, capsys, tmp_path):
    (tmp_path / "r").mkdir()
    seen = record_extract(monkeypatch)
    look = SimpleNamespace(unchanged=None)
    monkeypatch.setattr(stamp, "look", lambda *given: seen.setdefault("look", given) and look)
    argv = ["extract", "--raw", str(tmp_path / "r"), "--out", str(tmp_path / "o"), "--cache", str(tmp_path / "c")]
    assert cli.main(argv) == 0
    assert seen["check_cache"] == (tmp_path / "c", tmp_path / "r", tmp_path / "o")
    assert seen["look"] == (tmp_path / "c", tmp_path / "r", tmp_path / "o")
    assert seen["seen"] is look
    assert seen["cache_dir"] == tmp_path / "c"
    assert capsys.readouterr().out.endswith(f"wrote {tmp_path / 'o'}/csv and {tmp_path / 'o'}/parquet\n")


def test_extract_with_nothing_changed_says_so_and_does_nothing(monkeypatch, capsys, tmp_path):
    (tmp_path / "r").mkdir()
    seen = record_extract(monkeypatch)
    monkeypatch.setattr(stamp, "look", lambda *given: SimpleNamespace(unchanged=12))
    assert cli.main(["extract", "--raw", str(tmp_path / "r"), "--out", "o"]) == 0
    assert "raw" not in seen  # extract never called
    assert capsys.readouterr() == (
        f"nothing changed since the last run (12 files under {tmp_path / 'r'}, same code): "
        "o is current; nothing was done (--no-cache runs it all again)\n",
        "",
    )


def test_extract_no_cache_skips_cache_and_stamp(monkeypatch, tmp_path):
    (tmp_path / "r").mkdir()
    seen = record_extract(monkeypatch)
    monkeypatch.setattr(stamp, "look", lambda *given: pytest.fail("the stamp is not read with --no-cache"))
    assert cli.main(["extract", "--raw", str(tmp_path / "r"), "--no-cache", "--workers", "2"]) == 0
    assert "check_cache" not in seen
    assert seen["cache_dir"] is None
    assert seen["seen"] is None
    assert seen["workers"] == 2


def test_extract_cache_check_refusal_is_a_usage_error(monkeypatch, capsys, tmp_path):
    (tmp_path / "r").mkdir()

    def refuse(*given):
        raise UsageError("--cache c holds files extract did not write")

    monkeypatch.setattr(files, "check_cache", refuse)
    assert cli.main(["extract", "--raw", str(tmp_path / "r"), "--cache", "c"]) == 3
    assert capsys.readouterr().err == "error: --cache c holds files extract did not write\n"


# --- format_summary --------------------------------------------------------------------------------------------


def test_format_summary_names_every_problem():
    summary = {
        "documents": 10,
        "unreadable": {"raw/a.pdf": "not a PDF"},
        "cached_documents": 7,
        "credentials": 4,
        "rows": {"credentials": 4},
        "origins": {"live": 3, "archive": 1},
        "rejects": 2,
        "conflicts": 1,
        "drift_labels": {"New Label": 2, "Other\x1b": 1},
        "course_cross_check": ["C1: missing on page"],
        "years_without_listing": ["2023-2024", "2024-2025"],
        "coverage": {
            "2024-2025": {"incomplete_because": ["3 pages failed", "no listing"]},
            "2025-2026": {"incomplete_because": []},
        },
        "skipped": {"raw/x.txt": "not a document"},
        "manifest_problems": {"raw/2024-2025/manifest.json": ["a", "b"]},
        "notes": {"raw/b.html": ["n1", "n2"]},
        "slug_collisions": ["s1 and s2"],
    }
    assert cli.format_summary(summary, Path("out")).split("\n") == [
        "documents read: 10 (1 unreadable, 7 unchanged since the last run)",
        "credentials: 4",
        "rows: credentials 4",
        "credentials by origin: live 3, archive 1",
        "rejects: 2   conflicts: 1",
        "schema drift labels: 2",
        "  'New Label' x2",
        "  'Other\\x1b' x1",
        "course cross-check (Credentials by Course vs credential pages): 1 differences",
        "  not checked for 2023-2024, 2024-2025: no Credentials by Course listing "
        "(raw/<year>/pdf/credentials_by_course.pdf; scrape --listing-url fetches it)",
        "  C1: missing on page",
        "incomplete: 2024-2025: 3 pages failed, no listing (a credential missing from it is 'not in this copy' in "
        "diff and report, not 'removed')",
        "unreadable: raw/a.pdf: not a PDF",
        "skipped: raw/x.txt: not a document",
        "manifest: raw/2024-2025/manifest.json: a",
        "manifest: raw/2024-2025/manifest.json: b",
        "note: raw/b.html: n1",
        "note: raw/b.html: n2",
        "note: slug collision: s1 and s2",
        "wrote out/csv and out/parquet",
    ]


def test_format_summary_escapes_control_characters_in_paths():
    summary = {**SUMMARY, "unreadable": {"raw/\x1b[31mred.pdf": "bad\u202e"}}
    lines = cli.format_summary(summary, Path("o\x07")).split("\n")
    assert lines[-2] == "unreadable: raw/\\x1b[31mred.pdf: bad\\u202e"
    assert lines[-1] == "wrote o\\x07/csv and o\\x07/parquet"


# --- scrape and refresh: the crawl's settings -------------------------------------------------------------------


class Summary:
    def __init__(self, errors=None, stopped=None):
        self.errors = errors or {}
        self.stopped = stopped

    def lines(self, year):
        return [f"scrape {year}: lines", "second line"]


def record_scrape(monkeypatch, summary=None, error: Exception | None = None) -> dict:
    seen: dict = {}

    def scrape(settings, reporter):
        seen.update(settings=settings, reporter=reporter)
        if error is not None:
            raise error
        return summary or Summary()

    monkeypatch.setattr(crawl, "scrape", scrape)
    return seen


def test_scrape_defaults(monkeypatch, capsys):
    monkeypatch.delenv("NCCTE_CONTACT", raising=False)
    seen = record_scrape(monkeypatch)
    assert cli.main(["scrape", "--year", "2024-2025"]) == 0
    assert seen["settings"] == crawl.Settings(
        year="2024-2025",
        base_url="https://center.ncsu.edu/nccte-cms/",
        raw=Path("raw"),
        rate=1.0,
        ids=None,
        draft=False,
        timeout=30.0,
        retries=4,
        listing_url=None,
        contact=None,
    )
    assert type(seen["reporter"]) is crawl.Reporter  # not a terminal: plain lines
    assert seen["reporter"].say is cli.print_progress
    assert capsys.readouterr() == ("scrape 2024-2025: lines\nsecond line\n", "")


def test_scrape_every_option_reaches_the_settings(monkeypatch):
    monkeypatch.setenv("NCCTE_CONTACT", "env@x.org")
    seen = record_scrape(monkeypatch)
    argv = ["scrape", "--year", "2025-2026", "--base-url", "http://127.0.0.1:8765/c/", "--raw", "r", "--rate", "2.5"]
    argv += ["--ids", "1-30", "--draft", "--timeout", "4.5", "--retries", "0", "--listing-url", "http://h/l.pdf"]
    argv += ["--contact", "me@x.org"]
    assert cli.main(argv) == 0
    assert seen["settings"] == crawl.Settings(
        year="2025-2026",
        base_url="http://127.0.0.1:8765/c/",
        raw=Path("r"),
        rate=2.5,
        ids="1-30",
        draft=True,
        timeout=4.5,
        retries=0,
        listing_url="http://h/l.pdf",
        contact="me@x.org",
    )


def test_scrape_contact_from_the_environment(monkeypatch):
    monkeypatch.setenv("NCCTE_CONTACT", "env@x.org")
    seen = record_scrape(monkeypatch)
    assert cli.main(["scrape", "--year", "2025-2026"]) == 0
    assert seen["settings"].contact == "env@x.org"


def test_scrape_on_a_terminal_shows_a_bar(monkeypatch, capsys):
    bars = []

    class Bar:
        def __init__(self):
            bars.append(self)

    monkeypatch.setattr(crawl, "BarReporter", Bar)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    seen = record_scrape(monkeypatch)
    assert cli.main(["scrape", "--year", "2025-2026"]) == 0
    assert seen["reporter"] is bars[0]


@pytest.mark.parametrize(
    ("summary", "code", "errors"),
    [
        (Summary(errors={"http://h/a": "HTTP 500", "http://h/b": "timeout"}), 1, "error: http://h/a: HTTP 500\n"),
        (Summary(stopped="stopped: run again after 10:00"), 1, ""),
        (Summary(), 0, ""),
    ],
)
def test_scrape_exits_1_when_a_page_failed_or_it_stopped(monkeypatch, capsys, summary, code, errors):
    record_scrape(monkeypatch, summary)
    assert cli.main(["scrape", "--year", "2025-2026"]) == code
    out = capsys.readouterr().out
    assert out.startswith("scrape 2025-2026: lines\nsecond line\n" + errors)
    if summary.errors:
        assert out.endswith("error: http://h/b: timeout\n")


def test_scrape_bad_settings_are_a_usage_error(monkeypatch, capsys):
    record_scrape(monkeypatch, error=SettingsError("--rate must be more than 0, not 0.0"))
    assert cli.main(["scrape", "--year", "2025-2026", "--rate", "0"]) == 3
    assert capsys.readouterr() == ("", "error: --rate must be more than 0, not 0.0\n")


def test_scrape_host_unreachable_exits_1(monkeypatch, capsys):
    record_scrape(monkeypatch, error=HostUnreachable("center.ncsu.edu: connection refused"))
    assert cli.main(["scrape", "--year", "2025-2026"]) == 1
    assert capsys.readouterr() == (
        "",
        "error: center.ncsu.edu: connection refused (check --base-url and the network); nothing came home\n",
    )


def record_refresh(monkeypatch, outcome) -> dict:
    from pipeline import refresh

    seen: dict = {}

    def stand_in(settings, out, reports, keep, cache, reporter):
        seen.update(settings=settings, out=out, reports=reports, keep=keep, cache=cache, reporter=reporter)
        return outcome

    monkeypatch.setattr(refresh, "refresh", stand_in)
    return seen


def outcome(code=0, summary=None):
    return SimpleNamespace(
        code=code,
        scrape_lines=["scrape 2024-2025: 3 written", "error: http://h/a: HTTP 500"],
        summary=summary,
        markdown=Path("reports/refresh-2024-2025-2026-12-01.md"),
        json=Path("reports/refresh-2024-2025-2026-12-01.json"),
        verdict="2024-2025: INCOMPLETE (a page failed)",
    )


def test_refresh_defaults_and_what_it_prints(monkeypatch, capsys):
    monkeypatch.delenv("NCCTE_CONTACT", raising=False)
    seen = record_refresh(monkeypatch, outcome(code=1))
    assert cli.main(["refresh", "--year", "2024-2025"]) == 1
    assert seen["settings"] == crawl.Settings(year="2024-2025")
    assert seen["settings"].contact is None
    assert (seen["out"], seen["reports"], seen["keep"], seen["cache"]) == (
        Path("extracted"),
        Path("reports"),
        Path(".cache/refresh/previous"),
        Path(".cache/extract"),
    )
    assert type(seen["reporter"]) is crawl.Reporter
    assert seen["reporter"].say is cli.print_progress
    assert capsys.readouterr() == (
        "scrape 2024-2025: 3 written\nerror: http://h/a: HTTP 500\n"
        "wrote reports/refresh-2024-2025-2026-12-01.md and reports/refresh-2024-2025-2026-12-01.json\n"
        "2024-2025: INCOMPLETE (a page failed)\n",
        "",
    )


def test_refresh_options_and_the_extract_summary(monkeypatch, capsys):
    seen = record_refresh(monkeypatch, outcome(code=0, summary=SUMMARY))
    argv = ["refresh", "--year", "2024-2025", "--out", "o", "--reports", "rep", "--keep", "k", "--cache", "c"]
    argv += ["--raw", "r", "--rate", "3", "--contact", "me@x.org"]
    assert cli.main(argv) == 0
    assert (seen["out"], seen["reports"], seen["keep"], seen["cache"]) == (
        Path("o"),
        Path("rep"),
        Path("k"),
        Path("c"),
    )
    assert seen["settings"] == crawl.Settings(year="2024-2025", raw=Path("r"), rate=3.0, contact="me@x.org")
    out = capsys.readouterr().out
    assert "error: http://h/a: HTTP 500\ndocuments read: 3 (0 unreadable" in out
    assert "wrote o/csv and o/parquet\nwrote reports/refresh-" in out


def test_refresh_on_a_terminal_shows_a_bar(monkeypatch):
    bars = []

    class Bar:
        def __init__(self):
            bars.append(self)

    monkeypatch.setattr(crawl, "BarReporter", Bar)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    seen = record_refresh(monkeypatch, outcome())
    assert cli.main(["refresh", "--year", "2024-2025"]) == 0
    assert seen["reporter"] is bars[0]


# --- diff ----------------------------------------------------------------------------------------------------


def record_diff(monkeypatch, changes: bool = False, error: Exception | None = None) -> dict:
    seen: dict = {}
    made = {"report": 1}

    def outputs(old, new):
        seen["outputs"] = (old, new)
        if error is not None:
            raise error
        return made

    def years(out, old_year, new_year):
        seen["years"] = (out, old_year, new_year)
        return made

    monkeypatch.setattr(diff, "diff_outputs", outputs)
    monkeypatch.setattr(diff, "diff_years", years)
    monkeypatch.setattr(diff, "to_json", lambda report: f"json {report is made}\n")
    monkeypatch.setattr(diff, "to_markdown", lambda report: f"md {report is made}\n")
    monkeypatch.setattr(diff, "has_changes", lambda report: report is made and changes)
    return seen


@pytest.mark.parametrize(
    ("argv", "changes", "code", "out"),
    [
        (["diff", "a", "b"], True, 0, "md True\n"),  # changes without --exit-code: 0
        (["diff", "a", "b", "--exit-code"], True, 1, "md True\n"),
        (["diff", "a", "b", "--exit-code"], False, 0, "md True\n"),
        (["diff", "a", "b", "--format", "json"], False, 0, "json True\n"),
        (["diff", "a", "b", "--format", "md"], False, 0, "md True\n"),
    ],
)
def test_diff_outputs_format_and_exit_code(monkeypatch, capsys, argv, changes, code, out):
    seen = record_diff(monkeypatch, changes)
    assert cli.main(argv) == code
    assert seen == {"outputs": (Path("a"), Path("b"))}
    assert capsys.readouterr() == (out, "")


def test_diff_years_inside_one_output(monkeypatch, capsys):
    seen = record_diff(monkeypatch, changes=True)
    assert cli.main(["diff", "out", "--years", "2024-2025", "2025-2026", "--exit-code", "--format", "json"]) == 1
    assert seen == {"years": (Path("out"), "2024-2025", "2025-2026")}
    assert capsys.readouterr() == ("json True\n", "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["diff", "a", "b", "--years", "2024-2025", "2025-2026"],
            "give NEW_OUT or --years OLD_YEAR NEW_YEAR, not both",
        ),
        (
            ["diff", "a", "--years", "2025-2026", "2024-2025"],
            "--years 2025-2026 2024-2025: give the older school year first",
        ),
        (
            ["diff", "a", "--years", "2024-2025", "2024-2025"],
            "--years 2024-2025 2024-2025: give the older school year first",
        ),
        (["diff", "a"], "give NEW_OUT, or --years OLD_YEAR NEW_YEAR"),
    ],
)
def test_diff_usage_errors_exit_3(monkeypatch, capsys, argv, message):
    seen = record_diff(monkeypatch)
    assert cli.main(argv) == 3
    assert seen == {}
    assert capsys.readouterr() == ("", f"error: {message}\n")


def test_diff_unreadable_output_exits_1(monkeypatch, capsys):
    record_diff(monkeypatch, error=diff.UnreadableOutput("b/parquet/credentials.parquet: not a Parquet file"))
    assert cli.main(["diff", "a", "b"]) == 1
    assert capsys.readouterr() == ("", "error: b/parquet/credentials.parquet: not a Parquet file\n")


def test_diff_not_an_output_is_a_usage_error(monkeypatch, capsys):
    record_diff(monkeypatch, error=diff.DiffError("b is not an extract output"))
    assert cli.main(["diff", "a", "b"]) == 3
    assert capsys.readouterr() == ("", "error: b is not an extract output\n")


# --- check and report --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code", "out", "given"),
    [
        (["check"], 2, "md 2\n", (Path("raw"), Path("extracted"))),
        (["check", "--format", "json", "--raw", "r", "--baseline", "b"], 1, "json 1\n", (Path("r"), Path("b"))),
        (["check", "--format", "md"], 0, "md 0\n", (Path("raw"), Path("extracted"))),
    ],
)
def test_check_exits_with_its_verdict(monkeypatch, capsys, argv, code, out, given):
    seen = {}

    def stand_in(raw, baseline, progress):
        seen.update(given=(raw, baseline), progress=progress)
        return SimpleNamespace(code=code)

    monkeypatch.setattr(check, "check", stand_in)
    monkeypatch.setattr(check, "to_json", lambda result: f"json {result.code}\n")
    monkeypatch.setattr(check, "to_markdown", lambda result: f"md {result.code}\n")
    assert cli.main(argv) == code
    assert seen == {"given": given, "progress": cli.print_progress}
    assert capsys.readouterr() == (out, "")


@pytest.mark.parametrize(("argv", "out"), [(["report"], Path("extracted")), (["report", "--out", "o"], Path("o"))])
def test_report_says_what_it_wrote(monkeypatch, capsys, argv, out):
    seen = []
    monkeypatch.setattr(report, "write_report", lambda given: seen.append(given) or given / "report.html")
    assert cli.main(argv) == 0
    assert seen == [out]
    assert capsys.readouterr() == (f"wrote {out / 'report.html'}\n", "")


# --- each command's help, whole: its usage line, description, and every option's help with its default ----------

SCRAPE_OPTIONS = (
    "  --year YEAR           school year the pages must show, e.g. 2024-2025\n"
    "  --base-url BASE_URL   the directory's folder URL (default: https://center.ncsu.edu/nccte-cms/)\n"
    "  --raw RAW             raw folder; pages go to RAW/YEAR/html/ (default: raw)\n"
    "  --rate RATE           requests per second, per host (a robots.txt Crawl-delay that asks for slower wins) "
    "(default: 1.0)\n"
    "  --ids IDS             also walk this cred_id range, e.g. 1-3000 (empty ids count as not found)\n"
    "  --draft               fetch next year's drafts (future_credential_info.php)\n"
    "  --timeout TIMEOUT     seconds for a whole response: connect, headers, body (default: 30.0)\n"
    "  --retries RETRIES     retries per request (5xx, 429, timeouts, resets) (default: 4)\n"
    "  --listing-url LISTING_URL\n"
    "                        the year's Credentials by Course PDF (the one URL that may name another host; only it "
    "is fetched there)\n"
    "  --contact CONTACT     an email or URL for the User-Agent, so the site can reach you (default: $NCCTE_CONTACT)\n"
)
HELP = {
    "extract": "usage: nccte extract [-h] [--raw RAW] [--out OUT] [--cache CACHE] [--no-cache] [--workers WORKERS]\n\n"
    "Read every document under RAW/<school_year>/<kind>/ and write validated tables to OUT/csv and OUT/parquet, "
    "replacing OUT only if an earlier extract wrote it.\n\n"
    "options:\n"
    "  -h, --help         show this help message and exit\n"
    "  --raw RAW          raw folder to read (default: raw)\n"
    "  --out OUT          output folder (new, empty, or extract's) (default: extracted)\n"
    "  --cache CACHE      where unchanged documents' results are kept between runs (default: .cache/extract)\n"
    "  --no-cache         parse every document again\n"
    "  --workers WORKERS  processes for parsing and building (default: every core this run may use)\n\n"
    "examples:\n"
    "  nccte extract                      # raw/ -> extracted/\n"
    "  nccte extract --raw raw --out /tmp/out --no-cache\n\n",
    "scrape": "usage: nccte scrape [-h] --year YEAR [--base-url BASE_URL] [--raw RAW] [--rate RATE] [--ids IDS] "
    "[--draft] [--timeout TIMEOUT] [--retries RETRIES] [--listing-url LISTING_URL] [--contact CONTACT]\n\n"
    "Fetch one school year of the Credential Information directory into raw/<year>/ with a manifest, politely "
    "(rate limit, robots.txt, retries) and resumably.\n\n"
    "options:\n"
    "  -h, --help            show this help message and exit\n" + SCRAPE_OPTIONS + "\n"
    "examples:\n"
    "  nccte scrape --year 2025-2026 --contact you@dpi.nc.gov --listing-url URL\n"
    "  nccte scrape --year 2025-2026 --ids 1-3000     # also walk ids no page links\n\n",
    "diff": "usage: nccte diff [-h] [--years OLD_YEAR NEW_YEAR] [--format {md,json}] [--exit-code] "
    "OLD_OUT [NEW_OUT]\n\n"
    "Compare two extract outputs, or two school years of one output: credentials added, removed, renamed and "
    "changed (typed values and child rows; provenance ignored).\n\n"
    "positional arguments:\n"
    "  OLD_OUT               an extract output folder\n"
    "  NEW_OUT               another extract output folder (not with --years)\n\n"
    "options:\n"
    "  -h, --help            show this help message and exit\n"
    "  --years OLD_YEAR NEW_YEAR\n"
    "                        compare two school years inside OLD_OUT, older first\n"
    "  --format {md,json}    report format (default: md)\n"
    "  --exit-code           exit 1 when anything changed (as git diff)\n\n"
    "examples:\n",
    "check": "usage: nccte check [-h] [--raw RAW] [--baseline BASELINE] [--format {md,json}]\n\n"
    "Extract RAW afresh into a temporary folder, say whether it is valid (no rejects, no unreadable documents, no "
    "schema drift) and whether BASELINE is current; the report names each problem with its file.\n\n"
    "options:\n"
    "  -h, --help           show this help message and exit\n"
    "  --raw RAW            raw folder to check (default: raw)\n"
    "  --baseline BASELINE  the committed outputs (default: extracted)\n"
    "  --format {md,json}   report format (default: md)\n\n"
    "examples:\n"
    "  nccte check                         # what CI runs on a pull request\n\n",
    "report": "usage: nccte report [-h] [--out OUT]\n\n"
    "Write one self-contained HTML page (no network) from an extract output: counts per school year, "
    "year-over-year changes, rejects, drift, conflicts, unreadable documents and the course cross-check, with "
    "charts.\n\n"
    "options:\n"
    "  -h, --help  show this help message and exit\n"
    "  --out OUT   the extract output to describe (default: extracted)\n\n"
    "examples:\n"
    "  nccte report                        # writes extracted/report.html\n\n",
    "refresh": "usage: nccte refresh [-h] --year YEAR [--base-url BASE_URL] [--raw RAW] [--rate RATE] [--ids IDS] "
    "[--draft] [--timeout TIMEOUT] [--retries RETRIES] [--listing-url LISTING_URL] [--contact CONTACT] [--out OUT] "
    "[--reports REPORTS] [--keep KEEP] [--cache CACHE]\n\n"
    "The yearly refresh: keep the previous outputs, scrape YEAR into RAW, extract everything into OUT (and "
    "report.html), then write REPORTS/refresh-<year>-<date>.md and .json: pages fetched, unchanged and failed "
    "(named), the year's coverage, and the typed diff of this refresh against the previous outputs. Exits 1 when a "
    "page failed or the year is incomplete; its last line says which.\n\n"
    "options:\n"
    "  -h, --help            show this help message and exit\n" + SCRAPE_OPTIONS + ""
    "  --out OUT             output folder (new, empty, or extract's) (default: extracted)\n"
    "  --reports REPORTS     where the refresh report goes (default: reports)\n"
    "  --keep KEEP           where the previous outputs are kept to compare (replaced by the next refresh) "
    "(default: .cache/refresh/previous)\n"
    "  --cache CACHE         extract's cache (see extract --help) (default: .cache/extract)\n\n"
    "examples:\n"
    "  nccte refresh --year 2025-2026 --contact you@dpi.nc.gov --listing-url URL\n"
    "  nccte refresh --year 2024-2025 --base-url http://127.0.0.1:8765/nccte-cms/   # a local stand-in\n\n",
}


@pytest.mark.parametrize("name", list(HELP))
def test_command_help_whole_up_to_its_exit_codes(capsys, name):
    """Each command's --help as a user reads it: usage, description, every option with its default, examples."""
    with pytest.raises(SystemExit) as stop:
        cli.main([name, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(HELP[name])
    assert "\n\nexit codes:\n  0    ok: " in out


def test_top_help_whole(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert capsys.readouterr().out == (
        "usage: nccte [-h] [--version] COMMAND ...\n\n"
        "NC CTE Credential Information directory -> validated CSV and Parquet tables.\n"
        "`nccte` and `python -m pipeline` are the same command.\n\n"
        "positional arguments:\n"
        "  COMMAND\n"
        "    extract   read raw/ and write every table to CSV and Parquet\n"
        "    scrape    fetch one school year of the directory into raw/\n"
        "    diff      what changed between two outputs, or two school years of one\n"
        "    check     extract afresh; exit 0 valid+current, 1 invalid, 2 stale\n"
        "    report    write OUT/report.html, a page to review a refresh\n"
        "    refresh   scrape a school year, extract, and report what this refresh changed\n\n"
        "options:\n"
        "  -h, --help  show this help message and exit\n"
        "  --version   show program's version number and exit\n\n"
        "examples:\n"
        "  nccte extract\n"
        "  nccte scrape --year 2025-2026 --contact you@dpi.nc.gov\n"
        "  nccte check\n\n"
        "Run `nccte COMMAND --help` for a command's options and what its exit codes mean.\n"
        "exit codes: 0 ok, 1 invalid or changed, 2 stale, 3 usage error, 130 interrupted\n"
    )


def test_print_progress_is_flushed_at_once(monkeypatch):
    """Progress reaches a buffered stream (a pipe to a log) as it happens, not when the buffer fills."""
    flushes = []

    class Buffered(io.StringIO):
        def flush(self):
            flushes.append(self.getvalue())

    stream = Buffered()
    monkeypatch.setattr(sys, "stderr", stream)
    cli.print_progress("scrape: 1/2 pages, 0 errors")
    assert flushes == ["scrape: 1/2 pages, 0 errors\n"]
