"""Benchmark extraction at scale: `make bench`.

Builds a deterministic corpus from the committed samples in bench/corpus/
(ignored by git; `make clean` removes it):

- html-3000 and html-9000: 3,000 and 9,000 HTML credential pages;
- all: the whole mixed corpus, 5,000 HTML pages, 5,000 text renderings, 200 printed PDF pages.

Then measures each step in a fresh process, so its peak memory is its own (summed PSS of the
process and its workers):

- floor: read each HTML page and parse it with lxml, nothing else (best of three);
- naive: pandas.read_html on each of 3,000 pages;
- `python -m pipeline extract` cold (no cache, no output), then nothing changed, then one page
  changed: the whole command, interpreter start and imports included, three runs each (median);
- PDF pages per second (read as extract reads them, in a worker process) against PDFium's own text extraction,
  on the corpus's printouts and on each producer's printouts of the rendering fuzzer's pages (reportlab, fpdf2,
  Chromium).

The cold per-page cost is the slope between the 3,000 and 9,000-page runs, so
the fixed cost of starting (imports) is not counted per page. Prints the table,
writes .cache/bench/results.json; `python -m bench.run --record` copies them
to bench/results.json and regenerates the README's table.
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
SIZES = (3000, 9000)
MIXED = {"html": 5000, "text": 5000, "pdf_pages": 200}
_CORPUS_VERSION = 2


# --- corpus -------------------------------------------------------------------------------


def build_corpus() -> None:
    from tools.make_samples import flattened_page, glued_page, html_page
    from tools.sample_data import CREDENTIALS_2023, CREDENTIALS_2024

    marker = CORPUS / f".built-{_CORPUS_VERSION}"
    if marker.exists():
        return
    shutil.rmtree(CORPUS, ignore_errors=True)
    base = [values for _, values in CREDENTIALS_2023 + CREDENTIALS_2024]
    pages = CORPUS / f"html-{max(SIZES)}" / YEAR / "html"
    pages.mkdir(parents=True)
    for number in range(max(SIZES)):
        (pages / f"credential_{100000 + number}.html").write_text(html_page(YEAR, [_variant(base, number)]))
    html = sorted(pages.glob("*.html"))
    for size in SIZES[:-1]:
        _link(html[:size], CORPUS / f"html-{size}" / YEAR / "html")
    _link(html[: MIXED["html"]], CORPUS / "all" / YEAR / "html")
    text = CORPUS / "all" / YEAR / "text"
    text.mkdir(parents=True)
    for number in range(MIXED["text"]):
        render = glued_page if number % 2 else flattened_page
        page = render(YEAR, [_variant(base, max(SIZES) + number)])
        (text / f"credential_{200000 + number}.txt").write_text(page)
    (CORPUS / "all" / YEAR / "pdf").mkdir(parents=True)
    _copy_pdfs(CORPUS / "all" / YEAR / "pdf", MIXED["pdf_pages"])
    marker.touch()


def _variant(base: list[dict[str, str]], number: int) -> dict[str, str]:
    """A distinct credential: its own name, so every page is a row of its own."""
    values = base[number % len(base)]
    return {**values, "Credential Name": f"{values['Credential Name']} {number:05d}"}


def _link(files: list[Path], folder: Path) -> None:
    """The same pages in another corpus: hard links (a copy where links are not possible)."""
    folder.mkdir(parents=True)
    for path in files:
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy(path, folder / path.name)


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


def corpus_files(corpus: str, kind: str) -> list[Path]:
    return sorted((CORPUS / corpus / YEAR / kind).glob("*"))


# --- steps, each run in a fresh process ----------------------------------------------------


def step_floor(corpus: str) -> dict:
    """Best of three: the floor is short, so one run is at the mercy of the machine's noise."""
    import lxml.html

    files = corpus_files(corpus, "html")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        for path in files:
            lxml.html.document_fromstring(path.read_bytes())
        timings.append(time.perf_counter() - started)
    return {"pages": len(files), "seconds": min(timings)}


def step_naive(corpus: str) -> dict:
    import io

    import pandas as pd

    files = corpus_files(corpus, "html")
    started = time.perf_counter()
    for path in files:
        pd.read_html(io.StringIO(path.read_text()))
    return {"pages": len(files), "seconds": time.perf_counter() - started}


def _extract(corpus: str) -> dict:
    """`python -m pipeline extract` on a corpus with its cache: the whole command, as a user runs it."""
    raw, out, cache = CORPUS / corpus, CORPUS / f"out-{corpus}", CORPUS / f"cache-{corpus}"
    command = [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"extract on {corpus} exited {done.returncode}:\n{done.stderr[-2000:]}")
    summary = json.loads((out / "summary.json").read_text())
    return {"pages": summary["documents"], "credentials": summary["credentials"], "seconds": seconds}


def step_cold(corpus: str) -> dict:
    for folder in (CORPUS / f"out-{corpus}", CORPUS / f"cache-{corpus}"):
        shutil.rmtree(folder, ignore_errors=True)
    return _extract(corpus)


def step_unchanged(corpus: str) -> dict:
    """Nothing changed since the cold run: the stamp decides, before pandas is imported."""
    return _extract(corpus)


def step_one_changed(corpus: str) -> dict:
    """One page edited since the last run, each time differently; replaced, not written in place (other
    corpora link the same file)."""
    kind = "text" if corpus == "all" else "html"
    page = corpus_files(corpus, kind)[len(corpus_files(corpus, kind)) // 2]
    original = page.read_bytes()
    edit = f"edited {time.time_ns()}".encode()
    _replace(page, original + (b"\n<p>" + edit + b"</p>\n" if kind == "html" else b"\n" + edit + b"\n"))
    try:
        return _extract(corpus)
    finally:
        _replace(page, original)


def _replace(path: Path, data: bytes) -> None:
    staged = path.with_name(path.name + ".bench-tmp")
    staged.write_bytes(data)
    os.replace(staged, path)


def _printed_pages() -> list[Path]:
    """The corpus's printed credential and course pages (the listing is read by another reader)."""
    return [path for path in corpus_files("all", "pdf") if not path.name.startswith("credentials_by_course")]


def step_pdf() -> dict:
    """As extract reads them: in a worker process of their own (one for the run), limited in memory and time."""
    from pipeline.read import pdf_worker

    pages = 0
    started = time.perf_counter()
    with pdf_worker.session():
        for path in _printed_pages():
            pages += pdf_worker.read_pdf(path.read_bytes()).pages
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


# Printouts nobody here laid out for the reader: the rendering fuzzer's report generators over every hand-written
# page on every paper, with and without print chrome, and the committed Chromium printouts.
PRODUCERS = ("reportlab", "fpdf2", "chromium")


def _producer_pdfs(producer: str) -> list[bytes]:
    from tests.renderings import fixtures

    if producer == "chromium":
        return [fixture.data for fixture in fixtures.index().values() if fixture.family == "chromium"]
    from tests.renderings.pages import PAGES
    from tests.renderings.pdfs import PAPERS, PdfLayout, render_pdf

    return [
        render_pdf(page, PdfLayout(producer, paper, chrome=chrome, ruled=chrome))
        for page in PAGES.values()
        for paper in PAPERS
        for chrome in (False, True)
    ]


def step_producer(producer: str, floor: bool) -> dict:
    """As extract reads them (step_pdf), or PDFium's plain-text extraction (the floor), over one producer's
    printouts."""
    import pypdfium2 as pdfium

    from pipeline.read import pdf_worker

    documents = _producer_pdfs(producer)
    pages = 0
    started = time.perf_counter()
    if floor:
        for data in documents:
            document = pdfium.PdfDocument(data)
            for page in document:
                page.get_textpage().get_text_range()
                pages += 1
            document.close()
    else:
        with pdf_worker.session():
            pages = sum(pdf_worker.read_pdf(data).pages for data in documents)
    return {"pages": pages, "seconds": time.perf_counter() - started}


def _corpus_steps(corpus: str) -> dict:
    return {
        f"cold_{corpus}": lambda: step_cold(corpus),
        f"unchanged_{corpus}": lambda: step_unchanged(corpus),
        f"one_changed_{corpus}": lambda: step_one_changed(corpus),
    }


STEPS = {
    **{f"floor_html-{size}": (lambda size=size: step_floor(f"html-{size}")) for size in SIZES},
    "naive_html-3000": lambda: step_naive("html-3000"),
    **{name: step for size in SIZES for name, step in _corpus_steps(f"html-{size}").items()},
    **_corpus_steps("all"),
    "pdf_floor": step_pdf_floor,
    "pdf_parse": step_pdf,
    **{
        f"pdf_{what}_{producer}": (lambda producer=producer, floor=what == "floor": step_producer(producer, floor))
        for producer in PRODUCERS
        for what in ("floor", "parse")
    },
}


REPEATS = 3  # runs of each extract step; the median is reported (one run is at the mercy of the machine's noise)


def run_step(name: str) -> dict:
    """Run a step in child processes: an extract step three times unwatched (the median time) and once more
    for its peak memory (reading /proc while it runs slows it); any other step once, watched."""
    if not _is_extract(name):
        return _run_once(name, watched=True)
    runs = [_run_once(name, watched=False) for _ in range(REPEATS)]
    seconds = sorted(run["seconds"] for run in runs)
    return {
        **runs[0],
        "seconds": seconds[len(seconds) // 2],
        "runs": [round(value, 3) for value in seconds],
        "peak_rss_mb": _run_once(name, watched=True)["peak_rss_mb"],
    }


def _is_extract(step: str) -> bool:
    """cold_<corpus>, unchanged_<corpus>, one_changed_<corpus>: a run of the extract command."""
    return step.rsplit("_", 1)[0] in {"cold", "unchanged", "one_changed"}


def _run_once(name: str, watched: bool) -> dict:
    """One run in a child process; watched, its peak memory (with its workers') comes back with it."""
    command = [sys.executable, "-m", "bench.run", "--step", name] + (["--watched"] if watched else [])
    os.sync()  # the last step's writes go to disk now, not during this one
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench step {name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child_main(name: str, watched: bool) -> None:
    if not watched:
        print(json.dumps(STEPS[name]()))
        return
    sampler = PeakMemory(this_process=not _is_extract(name))  # an extract step: its command's processes only
    sampler.start()
    measured = STEPS[name]()
    sampler.stop()
    measured["peak_rss_mb"] = round(sampler.peak_mb, 1)
    print(json.dumps(measured))


class PeakMemory(threading.Thread):
    """Peak of the summed proportional set size (PSS) of this process and all its descendants.

    PSS shares each shared page among the processes that map it, so workers
    forked from the parent are neither double-counted nor missed.
    """

    def __init__(self, every: float = 0.05, this_process: bool = True) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.this_process = this_process
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
        family = _family(os.getpid())
        total = sum(_pss_kb(pid) for pid in (family if self.this_process else family[1:]))
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
    lines = [f"{'step':<26}{'pages':>7}{'seconds':>9}{'ms/page':>9}{'peak MB':>9}"]
    for name in [step for step in STEPS if step in results]:
        row = results[name]
        lines.append(
            f"{name:<26}{row['pages']:>7}{row['seconds']:>9.2f}{1000 * row['seconds'] / row['pages']:>9.3f}"
            f"{row['peak_rss_mb']:>9.0f}"
        )
    small, large = SIZES
    slope = _slope(results, "cold", small, large)
    floor = _slope(results, "floor", small, large)
    lines += [
        "",
        f"cold extract per page (slope {small:,} -> {large:,} pages): {slope:.3f} ms, lxml floor {floor:.3f} ms: "
        f"{slope / floor:.1f}x the floor (target at most 5x: {_met(slope <= 5 * floor)})",
    ]
    for run, target in (("unchanged", 0.05), ("one_changed", 0.25)):
        fractions = {
            corpus: results[f"{run}_{corpus}"]["seconds"] / results[f"cold_{corpus}"]["seconds"]
            for corpus in [f"html-{size}" for size in SIZES] + ["all"]
        }
        shown = ", ".join(f"{corpus} {100 * fraction:.1f}%" for corpus, fraction in fractions.items())
        what = "nothing changed" if run == "unchanged" else "one page changed"
        lines.append(
            f"{what}, as a fraction of a cold run: {shown} "
            f"(target at most {100 * target:.0f}% at {large:,} pages: {_met(fractions[f'html-{large}'] <= target)})"
        )
    peak = max(row["peak_rss_mb"] for name, row in results.items() if name != "meta")
    lines.append(
        f"peak memory (summed PSS of a step's process and its workers): {peak:.0f} MB "
        f"(target under 600 MB: {_met(peak < 600)})"
    )
    if "pdf_floor" in results:
        pdf, pdf_floor = results["pdf_parse"], results["pdf_floor"]
        per_page = (pdf["seconds"] / pdf["pages"]) / (pdf_floor["seconds"] / pdf_floor["pages"])
        lines.append(
            f"PDF: {pdf['pages'] / pdf['seconds']:.0f} printed pages/s, {1000 * pdf['seconds'] / pdf['pages']:.1f} ms "
            f"a page, {per_page:.1f}x PDFium's plain-text extraction of the same pages "
            f"(target at most 10x: {_met(per_page <= 10)})"
        )
    for producer in PRODUCERS:
        if f"pdf_parse_{producer}" in results:
            pdf, pdf_floor = results[f"pdf_parse_{producer}"], results[f"pdf_floor_{producer}"]
            per_page = (pdf["seconds"] / pdf["pages"]) / (pdf_floor["seconds"] / pdf_floor["pages"])
            lines.append(
                f"PDF, {producer}'s printouts of the rendering fuzzer's pages: {pdf['pages'] / pdf['seconds']:.0f} "
                f"pages/s, {per_page:.1f}x PDFium's plain-text extraction (target at most 10x: {_met(per_page <= 10)})"
            )
    return "\n".join(lines)


def _slope(results: dict, step: str, small: int, large: int) -> float:
    """Milliseconds per page between two corpus sizes: what one more page costs, without the fixed cost."""
    low, high = results[f"{step}_html-{small}"], results[f"{step}_html-{large}"]
    return 1000 * (high["seconds"] - low["seconds"]) / (high["pages"] - low["pages"])


def _met(condition: bool) -> str:
    return "met" if condition else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=STEPS)
    parser.add_argument("--watched", action="store_true", help="with --step: sample its peak memory")
    parser.add_argument(
        "--record",
        action="store_true",
        help="copy the last results to bench/results.json and regenerate the README's table",
    )
    args = parser.parse_args()
    if args.step:
        _child_main(args.step, args.watched)
        return
    if args.record:
        record()
        return
    print(f"building corpus in {CORPUS} ...", file=sys.stderr)
    build_corpus()
    results = {}
    for name in STEPS:
        print(f"running {name} ...", file=sys.stderr)
        results[name] = run_step(name)
    results["meta"] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "corpus": {"sizes": list(SIZES), "mixed": MIXED},
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
