"""Make the rendering fuzzer's committed fixtures: text-browser dumps and a browser's printouts.

    python -m tools.make_rendering_fixtures [--w3m w3m] [--lynx lynx] [--chromium /usr/bin/chromium]

Needs w3m, lynx and Debian's chromium (`apt-get install -y w3m lynx chromium`); the outputs are
committed to tests/fixtures/renderings/ with index.json, so tests need none of the tools. Every
source is an HTML rendering of a hand-written page (tests/renderings/markup.py); markups and chrome
rotate over the pages so that each page meets each tool setting once:

- w3m `-dump` at 40, 80 and 200 columns, with and without numbered links;
- lynx `-dump` at 40, 80 and 200 columns, with its numbered links and reference list, or `-nolist`;
- Chromium `--print-to-pdf` of the page served on 127.0.0.1 at its directory URL (so a printed footer
  names it, as a real print does): letter with the browser's header and footer, and narrow short
  pages (rows break across pages) with and without them.

Text browsers run no CSS or scripts, so their sources carry neither hidden elements nor scripts
(tests/renderings/converters.py says why); Chromium gets every kind of chrome.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.renderings.fixtures import FOLDER, INDEX
from tests.renderings.markup import MARKUPS, Html, html_dimensions, page_bytes
from tests.renderings.pages import PAGES, Page
from tools.make_pdfs import CHROMIUM_FLAGS

# Text-safe chrome, in turn (no hidden elements, no scripts: a text browser shows both)
TEXT_CHROME = (
    {},
    {"site": True},
    {"comments": True, "wrapper": "archive"},
    {"site": True, "wrapper": "saved", "encoding": "windows-1252"},
    {"site": True, "comments": True, "wrapper": "archive", "encoding": "windows-1252"},
)
PRINT_CHROME = (
    {"site": True, "scripts": True, "hidden": True, "comments": True},
    {"hidden": True},
    {"site": True, "wrapper": "archive"},
    {"scripts": True, "wrapper": "saved", "encoding": "windows-1252"},
)
WIDTHS = (40, 80, 200)
NARROW_PAGE = "@page { size: 4in 5in; margin: 0.4in; } body { font-size: 11px; }"
LETTER_PAGE = "@page { size: letter; }"


@dataclass(frozen=True)
class Made:
    name: str
    page: str
    family: str
    kind: str
    extension: str
    dimensions: dict[str, str]
    source_sha256: str


def options_of(dimensions: dict[str, str]) -> Html:
    """The HTML choices a fixture's dimensions record."""
    flags = {name: dimensions[name] == "True" for name in ("scripts", "hidden", "comments")}
    return Html(
        dimensions["markup"],
        site=dimensions["site chrome"] == "True",
        wrapper=dimensions["wrapper"],
        encoding=dimensions["encoding"],
        **flags,
    )


def source_of(page: Page, dimensions: dict[str, str]) -> bytes:
    """The HTML a fixture was made from, made again from the hand-written page."""
    paper = dimensions.get("paper")
    style = {"narrow": NARROW_PAGE, "letter": LETTER_PAGE}.get(paper or "", "")
    return page_bytes(page, options_of(dimensions), style)


def _run(command: list[str]) -> bytes:
    done = subprocess.run(command, capture_output=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return done.stdout


def text_dumps(tools: dict[str, str], out: Path) -> list[Made]:
    made = []
    settings = [("w3m", width, links) for width in WIDTHS for links in (False, True)]
    settings += [("lynx", width, links) for width in WIDTHS for links in (True, False)]
    with tempfile.TemporaryDirectory() as temp:
        for page_number, page in enumerate(PAGES.values()):
            for number, (browser, width, links) in enumerate(settings):
                turn = page_number + number
                options = Html(MARKUPS[turn % len(MARKUPS)], **TEXT_CHROME[turn % len(TEXT_CHROME)])
                source = page_bytes(page, options)
                html_file = Path(temp) / f"{page.file_stem}.html"
                html_file.write_bytes(source)
                if browser == "w3m":
                    command = [tools["w3m"], "-dump", "-cols", str(width), "-T", "text/html", "-O", "UTF-8"]
                    command += ["-o", f"display_link_number={int(links)}", str(html_file)]
                else:
                    command = [tools["lynx"], "-dump", f"-width={width}", "-display_charset=utf-8", "-nomargins"]
                    command += [] if links else ["-nolist"]
                    command.append(str(html_file))
                name = f"{browser}_{page.key}_{options.markup}_w{width}{'_links' if links else ''}.txt"
                (out / name).write_bytes(_run(command))
                dimensions = {**html_dimensions(options), "width": str(width), "link numbers": str(links)}
                made.append(
                    Made(name, page.key, browser, "text", ".txt", dimensions, hashlib.sha256(source).hexdigest())
                )
    return made


class _Pages(BaseHTTPRequestHandler):
    """Serves each page at its directory URL (path and query), nothing else."""

    pages: dict[str, bytes] = {}

    def do_GET(self) -> None:  # the name http.server calls
        body = self.pages.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _local_path(page: Page) -> str:
    parts = urlsplit(page.url)
    return f"{parts.path}?{parts.query}"


def printouts(chromium: str, out: Path) -> list[Made]:
    made = []
    settings = (("letter", True), ("narrow", False), ("narrow", True))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for page_number, page in enumerate(PAGES.values()):
            for number, (paper, header) in enumerate(settings):
                turn = page_number * len(settings) + number
                options = Html(MARKUPS[turn % len(MARKUPS)], **PRINT_CHROME[turn % len(PRINT_CHROME)])
                source = page_bytes(page, options, NARROW_PAGE if paper == "narrow" else LETTER_PAGE)
                _Pages.pages = {_local_path(page): source}
                name = f"chromium_{page.key}_{options.markup}_{paper}{'_header' if header else ''}.pdf"
                target = out / name
                with tempfile.TemporaryDirectory() as profile:
                    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={target}"]
                    flags += [] if header else ["--no-pdf-header-footer"]
                    _run([chromium, *flags, base + _local_path(page)])
                dimensions = {**html_dimensions(options), "paper": paper, "print chrome": str(header)}
                made.append(
                    Made(name, page.key, "chromium", "pdf", ".pdf", dimensions, hashlib.sha256(source).hexdigest())
                )
    finally:
        server.shutdown()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--w3m", default="w3m")
    parser.add_argument("--lynx", default="lynx")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*"):
        if old.suffix in (".txt", ".pdf", ".json"):
            old.unlink()
    made = text_dumps({"w3m": args.w3m, "lynx": args.lynx}, FOLDER) + printouts(args.chromium, FOLDER)
    INDEX.write_text(json.dumps([vars(entry) for entry in made], indent=1) + "\n", encoding="utf-8")
    print(f"{len(made)} fixtures in {FOLDER.relative_to(Path.cwd()) if FOLDER.is_relative_to(Path.cwd()) else FOLDER}")


if __name__ == "__main__":
    main()
