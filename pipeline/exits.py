"""Exit codes: one table for every command (CONTRACT section 6), shown by `--help` and in the README.

python -m pipeline.exits          # print the README's table
"""

from __future__ import annotations

OK, INVALID, STALE, USAGE, INTERRUPTED = 0, 1, 2, 3, 130
MEANING = {OK: "ok", INVALID: "invalid or changed", STALE: "stale", USAGE: "usage error", INTERRUPTED: "interrupted"}

# What each code means for each command; a code a command never uses is left out.
WHEN: dict[str, dict[int, str]] = {
    "extract": {
        OK: "wrote the outputs, rejects or not (it prints how many)",
        USAGE: "no raw folder, no documents, an unsafe --out or --cache, a bad option",
    },
    "scrape": {
        OK: "every page that exists came home",
        INVALID: "a page failed (each is listed as `error: URL: cause`), the host cannot be reached, or a host "
        "asked for a pause beyond the cap (`stopped:` says when to run it again)",
        USAGE: "a bad option (`--rate 0`, `--year 2024-2026`, a malformed `--base-url`)",
    },
    "diff": {
        OK: "compared (with --exit-code: nothing changed)",
        INVALID: "with --exit-code: something changed; an output file that cannot be read",
        USAGE: "a folder that is not an extract output, a bad option",
    },
    "check": {
        OK: "valid, and the committed outputs are current",
        INVALID: "invalid: rejects, unreadable documents, schema drift, skipped files, manifest problems",
        STALE: "valid, but the committed outputs differ from a fresh extraction",
        USAGE: "no raw folder, no baseline folder, a bad option",
    },
    "report": {
        OK: "wrote report.html",
        USAGE: "no extract output to read, a bad option",
    },
    "refresh": {
        OK: "every page came home and the year is complete",
        INVALID: "a page failed, the host cannot be reached or asked us to stop, or the year is incomplete (its "
        "last line says which)",
        USAGE: "a bad option, an unsafe --out",
    },
}
ANY = "Any command: an unexpected error (a file that cannot be read or written, an internal error) exits 1."
STOPPED = "stopped by Ctrl-C; the command says what it left behind"


def help_text(command: str) -> str:
    """The exit codes as `COMMAND --help` shows them: the one table, with what each code means here."""
    lines = ["exit codes:"]
    for code, meaning in MEANING.items():
        when = STOPPED if code == INTERRUPTED else WHEN[command].get(code, "not used by this command")
        lines.append(f"  {code:<4} {meaning}: {when}")
    return "\n".join(lines)


def markdown() -> str:
    """The README's table: one row per code, what it means for each command."""
    commands = list(WHEN)
    lines = [
        "| code | meaning | " + " | ".join(f"`{command}`" for command in commands) + " |",
        "| --- | --- |" + " --- |" * len(commands),
    ]
    for code, meaning in MEANING.items():
        cells = [STOPPED if code == INTERRUPTED else WHEN[command].get(code, "") for command in commands]
        lines.append(f"| {code} | {meaning} | " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + f"\n\n{ANY}\n"


if __name__ == "__main__":
    print(markdown(), end="")
