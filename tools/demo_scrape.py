"""Watch a crawl offline: serve the committed samples on 127.0.0.1 and scrape them.

    python -m tools.demo_scrape [--year 2024-2025] [--rate 5] [--out .cache/demo]

Writes the crawl to <out>/raw (never over the committed raw/) and extracts it
to <out>/extracted.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from pipeline.cli import main as pipeline_main
from tools.demo_site import Site, SiteServer

MARKER = ".demo-scrape"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", default="2024-2025")
    parser.add_argument("--rate", default="5")
    parser.add_argument("--out", type=Path, default=Path(".cache/demo"))
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()) and not (args.out / MARKER).exists():
        parser.error(f"--out {args.out} holds files this demo did not write; choose a new or empty folder")
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    (args.out / MARKER).write_text("written by python -m tools.demo_scrape; replaced by its next run\n")
    with SiteServer(Site.from_raw(Path("raw"), args.year)) as server:
        print(f"demo site: {server.base_url}")
        status = pipeline_main(
            [
                "scrape",
                "--year",
                args.year,
                "--base-url",
                server.base_url,
                "--raw",
                str(args.out / "raw"),
                "--rate",
                args.rate,
            ]
        )
    if status:
        return status
    return pipeline_main(["extract", "--raw", str(args.out / "raw"), "--out", str(args.out / "extracted")])


if __name__ == "__main__":
    raise SystemExit(main())
