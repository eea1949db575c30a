"""Benchmark extraction at scale: `make bench`.

Builds a deterministic corpus from the committed samples (5,000 HTML credential
pages, 5,000 text renderings, 200 PDF pages) in bench/corpus/, then measures
on the same files, each step in its own process so its peak memory is its own:

- floor: read each HTML page and parse it with lxml, nothing else;
- naive: pandas.read_html on each HTML page;
- our extract on the HTML pages, cold (no cache) and warm (nothing changed);
- our extract on the whole corpus (HTML + text + PDF), cold and warm;
- PDF pages per second (parse_pdf alone).

Prints pages per second, ratios to the floor and peak RSS, and writes
bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORPUS = REPO / "bench" / "corpus"
RESULTS = REPO / ".cache" / "bench" / "results.json"  # each run's; `--record` commits them below
RECORDED = REPO / "bench" / "results.json"
README = REPO / "README.md"
YEAR = "2024-2025"


# --- corpus -------------------------------------------------------------------------------


def build_corpus(html_pages: int, text_pages: int, pdf_pages: int) -> None:
    from tools.make_samples import flattened_page, glued_page, html_page
    from tools.sample_data import CREDENTIALS_2023, CREDENTIALS_2024

    marker = CORPUS / f".built-{html_pages}-{text_pages}-{pdf_pages}"
    if marker.exists():
        return
    shutil.rmtree(CORPUS, ignore_errors=True)
    base = [values for _, values in CREDENTIALS_2023 + CREDENTIALS_2024]
    html_dir = CORPUS / "html-only" / YEAR / "html"
    all_dir = CORPUS / "all" / YEAR
    html_dir.mkdir(parents=True)
    (all_dir / "html").mkdir(parents=True)
    (all_dir / "text").mkdir(parents=True)
    (all_dir / "pdf").mkdir(parents=True)
    for number in range(html_pages):
        values = _variant(base[number % len(base)], number)
        page = html_page(YEAR, [values])
        (html_dir / f"credential_{100000 + number}.html").write_text(page)
        (all_dir / "html" / f"credential_{100000 + number}.html").write_text(page)
    for number in range(text_pages):
        values = _variant(base[number % len(base)], html_pages + number)
        render = glued_page if number % 2 else flattened_page
        (all_dir / "text" / f"credential_{200000 + number}.txt").write_text(render(YEAR, [values]))
    _copy_pdfs(all_dir / "pdf", pdf_pages)
    marker.touch()


def _variant(values: dict[str, str], number: int) -> dict[str, str]:
    """A distinct credential: its own name, so every page is a row of its own."""
    return {**values, "Credential Name": f"{values['Credential Name']} {number:05d}"}


def _copy_pdfs(target: Path, pages: int) -> None:
    import pypdfium2 as pdfium

    sources = [p for p in sorted((REPO / "raw" / "2023-2024" / "pdf").glob("*.pdf"))]
    counts = {}
    for source in sources:
        document = pdfium.PdfDocument(source.read_bytes())
        counts[source] = len(document)
        document.close()
    copied, number = 0, 0
    while copied < pages:
        source = sources[number % len(sources)]
        shutil.copy(source, target / f"{source.stem}_{number:04d}.pdf")
        copied += counts[source]
        number += 1


def corpus_files(kind: str) -> list[Path]:
    return sorted((CORPUS / "all" / YEAR / kind).glob("*"))


# --- steps, each run in a fresh process ----------------------------------------------------


def step_floor() -> dict:
    """Best of three: the floor is short, so one run is at the mercy of the machine's noise."""
    import lxml.html

    files = corpus_files("html")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        for path in files:
            lxml.html.document_fromstring(path.read_bytes())
        timings.append(time.perf_counter() - started)
    return {"pages": len(files), "seconds": min(timings)}


def step_naive() -> dict:
    import io

    import pandas as pd

    files = corpus_files("html")
    started = time.perf_counter()
    for path in files:
        pd.read_html(io.StringIO(path.read_text()))
    return {"pages": len(files), "seconds": time.perf_counter() - started}


def _extract_step(corpus: str, cache: str) -> dict:
    from pipeline.extract import extract

    raw = CORPUS / corpus
    started = time.perf_counter()
    result = extract(raw, CORPUS / f"out-{corpus}", cache_dir=CORPUS / cache)
    seconds = time.perf_counter() - started
    return {
        "documents": result.summary["documents"],
        "credentials": result.summary["credentials"],
        "cached": result.summary["cached_documents"],
        "seconds": seconds,
    }


def step_extract_html_cold() -> dict:
    shutil.rmtree(CORPUS / "cache-html", ignore_errors=True)
    return _extract_step("html-only", "cache-html")


def step_extract_html_warm() -> dict:
    return _extract_step("html-only", "cache-html")


def step_extract_html_unchanged() -> dict:
    """The command line on the HTML corpus again, nothing changed since the warm run: the stamp decides."""
    from pipeline import cli

    raw, out, cache = CORPUS / "html-only", CORPUS / "out-html-only", CORPUS / "cache-html"
    started = time.perf_counter()
    cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)])
    return {"pages": len(corpus_files("html")), "seconds": time.perf_counter() - started}


def step_extract_html_one_changed() -> dict:
    """One page edited since the last run: parse it, then merge, validate and write everything."""
    page = sorted((CORPUS / "html-only" / YEAR / "html").glob("*.html"))[0]  # a page of the corpus extracted here
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<p>edited</p></body>", 1))
    try:
        measured = _extract_step("html-only", "cache-html")
    finally:
        page.write_bytes(original)
    return measured


def step_extract_all_cold() -> dict:
    shutil.rmtree(CORPUS / "cache-all", ignore_errors=True)
    return _extract_step("all", "cache-all")


def step_extract_all_warm() -> dict:
    return _extract_step("all", "cache-all")


def _printed_pages() -> list[Path]:
    """The corpus's printed credential and course pages (the listing is read by another reader)."""
    return [path for path in corpus_files("pdf") if not path.name.startswith("credentials_by_course")]


def step_pdf() -> dict:
    from pipeline.read.pdf import parse_pdf

    pages = 0
    started = time.perf_counter()
    for path in _printed_pages():
        pages += parse_pdf(path.read_bytes()).pages
    return {"pages": pages, "seconds": time.perf_counter() - started}


def step_pdf_floor() -> dict:
    """PDFium's own plain-text extraction of the same pages: the floor our PDF reading is measured against."""
    import pypdfium2 as pdfium

    pages = 0
    started = time.perf_counter()
    for path in _printed_pages():
        document = pdfium.PdfDocument(path.read_bytes())
        for page in document:
            page.get_textpage().get_text_range()
            pages += 1
        document.close()
    return {"pages": pages, "seconds": time.perf_counter() - started}


STEPS = {
    "floor": step_floor,
    "naive_read_html": step_naive,
    "extract_html_cold": step_extract_html_cold,
    "extract_html_warm": step_extract_html_warm,
    "extract_html_unchanged": step_extract_html_unchanged,
    "extract_html_one_changed": step_extract_html_one_changed,
    "extract_all_cold": step_extract_all_cold,
    "extract_all_warm": step_extract_all_warm,
    "pdf_floor": step_pdf_floor,
    "pdf_parse": step_pdf,
}


def run_step(name: str) -> dict:
    """Run a step in a child process; its peak RSS (and its workers') comes back with it."""
    done = subprocess.run([sys.executable, "-m", "bench.run", "--step", name], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench step {name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child_main(name: str) -> None:
    sampler = PeakMemory()
    sampler.start()
    measured = STEPS[name]()
    sampler.stop()
    measured["peak_rss_mb"] = round(sampler.peak_mb, 1)
    measured["peak_rss_workers_mb"] = 0.0
    print(json.dumps(measured))


class PeakMemory(threading.Thread):
    """Peak of the summed proportional set size (PSS) of this process and all its descendants.

    PSS shares each shared page among the processes that map it, so workers
    forked from the parent are neither double-counted nor missed.
    """

    def __init__(self, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.peak_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self._done.set()
        self.join()

    def sample(self) -> None:
        total = sum(_pss_kb(pid) for pid in _family(os.getpid()))
        self.peak_mb = max(self.peak_mb, total / 1024)


def _family(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        for children in Path(f"/proc/{pids[index]}/task").glob("*/children"):
            try:
                pids += [int(child) for child in children.read_text().split()]
            except OSError:
                pass
        index += 1
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# --- report ------------------------------------------------------------------------------------


def report(results: dict) -> str:
    floor = results["floor"]["seconds"]
    html_pages = results["floor"]["pages"]
    lines = [f"{'step':<22}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'x floor':>10}{'peak RSS MB':>14}"]
    for name in [step for step in STEPS if step in results]:
        row = results[name]
        pages = row.get("pages") or row.get("documents")
        ratio = (
            row["seconds"] / floor
            if name in ("floor", "naive_read_html", "extract_html_cold", "extract_html_warm")
            else None
        )
        rss = row["peak_rss_mb"] + row.get("peak_rss_workers_mb", 0)
        lines.append(
            f"{name:<22}{pages:>8}{row['seconds']:>10.2f}{pages / row['seconds']:>10.0f}"
            f"{(f'{ratio:.1f}x' if ratio else '-'):>10}{rss:>14.0f}"
        )
    cold, warm = results["extract_html_cold"]["seconds"], results["extract_html_warm"]["seconds"]
    all_cold, all_warm = results["extract_all_cold"]["seconds"], results["extract_all_warm"]["seconds"]
    peak = max(r["peak_rss_mb"] + r.get("peak_rss_workers_mb", 0) for k, r in results.items() if k != "meta")
    lines += [
        "",
        f"targets: cold HTML extract within 3x floor: {cold / floor:.1f}x "
        f"({'met' if cold <= 3 * floor else 'NOT met'}); "
        f"warm under 10% of cold: HTML {100 * warm / cold:.0f}%, all {100 * all_warm / all_cold:.0f}% "
        f"({'met' if all_warm <= 0.1 * all_cold and warm <= 0.1 * cold else 'NOT met'}); "
        f"peak memory under 1 GB: {peak:.0f} MB ({'met' if peak < 1024 else 'NOT met'})",
        f"({html_pages} HTML pages; memory is the peak of the summed PSS of a step's process and all its workers)",
    ]
    if "extract_html_unchanged" in results:
        unchanged = results["extract_html_unchanged"]["seconds"] / cold
        one = results["extract_html_one_changed"]["seconds"] / cold
        lines.append(
            f"re-runs as a fraction of a cold HTML extract: nothing changed {100 * unchanged:.1f}% "
            f"(target at most 5%: {'met' if unchanged <= 0.05 else 'NOT met'}), one page changed {100 * one:.0f}% "
            f"(target at most 25%: {'met' if one <= 0.25 else 'NOT met'})"
        )
    if "pdf_floor" in results:
        pdf, pdf_floor = results["pdf_parse"], results["pdf_floor"]
        per_page = (pdf["seconds"] / pdf["pages"]) / (pdf_floor["seconds"] / pdf_floor["pages"])
        lines.append(
            f"PDF: {pdf['pages'] / pdf['seconds']:.0f} printed pages/s, {1000 * pdf['seconds'] / pdf['pages']:.1f} ms "
            f"a page, {per_page:.1f}x PDFium's plain-text extraction of the same pages "
            f"(target at most 10x: {'met' if per_page <= 10 else 'NOT met'})"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=STEPS)
    parser.add_argument("--html", type=int, default=5000)
    parser.add_argument("--text", type=int, default=5000)
    parser.add_argument("--pdf-pages", type=int, default=200)
    parser.add_argument(
        "--record",
        action="store_true",
        help="copy the last results to bench/results.json and regenerate the README's table",
    )
    args = parser.parse_args()
    if args.step:
        _child_main(args.step)
        return
    if args.record:
        record()
        return
    print(f"building corpus in {CORPUS} ...", file=sys.stderr)
    build_corpus(args.html, args.text, args.pdf_pages)
    results = {}
    for name in STEPS:
        print(f"running {name} ...", file=sys.stderr)
        results[name] = run_step(name)
    results["meta"] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "corpus": {"html": args.html, "text": args.text, "pdf_pages": args.pdf_pages},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(report(results))
    print(f"\nwrote {RESULTS.relative_to(REPO)} (`python -m bench.run --record` commits it and updates the README)")


def record() -> None:
    """bench/results.json and the README's table, from the last run's results."""
    results = json.loads(RESULTS.read_text())
    RECORDED.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    readme = README.read_text()
    start = readme.index("<!-- bench:start -->") + len("<!-- bench:start -->\n")
    end = readme.index("<!-- bench:end -->")
    README.write_text(readme[:start] + "```\n" + report(results) + "\n```\n" + readme[end:])
    print(f"wrote {RECORDED.relative_to(REPO)} and the table in README.md")


if __name__ == "__main__":
    main()
