"""Benchmark extraction at scale: `make bench`.

Builds two deterministic mixed corpora in bench/corpus/ (ignored by git; `make clean` removes it), of
3,000 and 27,000 documents in the same proportions (the small one is the first 3,000 of the large one):
60% HTML credential pages, 38% text renderings (glued and flattened tables, half each), 2% printed
PDFs from several producers (Chromium prints from raw/ and tests/fixtures/renderings, reportlab and
fpdf2 report layouts), and the Credentials by Course listing PDF.

Each step is a fresh process (interpreter start and imports included), and the steps are interleaved:
round after round, every step once, so a slow minute of a shared machine falls on all of them. For
each step it records, per round:

- CPU seconds: user + system of the whole process tree (the command and every worker it waited for),
  from the kernel's own accounting (`os.wait4`): steadier than wall time under the load of other processes,
  yet not immune to it (shared caches, a hypervisor's other guests), so the load average is recorded too;
- wall seconds, and the number of worker processes the extract may use;
- peak memory: the summed proportional set size (PSS) of the process and its descendants, sampled.

Steps: the floor (every document read and parsed with nothing else: HTML by lxml, text decoded, PDFs by
PDFium's plain-text extraction, in one process), `python -m pipeline extract` cold (no cache, no output),
nothing changed, and one value changed; and printed PDF pages read as extract reads them against PDFium.
The per-document cost is the slope between the two corpus sizes, so the fixed cost of starting is not
counted per document. Prints min and median of every figure and the targets as ratios of the same run,
writes .cache/bench/results.json; `python -m bench.run --record` copies them to bench/results.json and
regenerates the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from pipeline.workers import run_processes  # noqa: E402 - this checkout's, whatever the folder it is run from

CORPUS = REPO / "bench" / "corpus"
RESULTS = REPO / ".cache" / "bench" / "results.json"  # each run's; `--record` commits them below
RECORDED = REPO / "bench" / "results.json"
README = REPO / "README.md"
YEAR = "2024-2025"
SIZES = (3000, 27000)
# Of every 100 documents: kind and rendering, in this order (a corpus is a prefix of the largest one).
MIX = (("pdf", "print"),) * 2 + (("text", "glued"),) * 19 + (("text", "flattened"),) * 19 + (("html", "page"),) * 60
_CORPUS_VERSION = 3
REPEATS = 3
WORKERS = run_processes(None)  # extract's default: one worker per core this process may use
CODE = REPO  # the checkout whose `pipeline` the extract steps run (`--code`: another one, to compare)


# --- corpus -------------------------------------------------------------------------------


def corpus_name(size: int) -> str:
    return f"mixed-{size}"


def build_corpus() -> None:
    marker = CORPUS / f".built-{_CORPUS_VERSION}"
    if marker.exists():
        return
    shutil.rmtree(CORPUS, ignore_errors=True)
    pool = CORPUS / "pool"
    for kind in ("html", "text", "pdf"):
        (pool / kind).mkdir(parents=True)
    prints = _printouts()
    documents = []
    for number in range(max(SIZES)):
        kind, rendering = MIX[number % len(MIX)]
        documents.append(_write_document(pool, number, kind, rendering, prints))
    listing = REPO / "raw" / "2023-2024" / "pdf" / "credentials_by_course.pdf"
    for size in SIZES:
        root = CORPUS / corpus_name(size) / YEAR
        _link(documents[:size], root)
        shutil.copy(listing, root / "pdf" / "credentials_by_course.pdf")
    marker.touch()


def _write_document(pool: Path, number: int, kind: str, rendering: str, prints: list[bytes]) -> Path:
    from tools.make_samples import flattened_page, glued_page, html_page

    values = [_variant(number)]
    if kind == "pdf":
        path = pool / "pdf" / f"printed_{number:05d}.pdf"
        path.write_bytes(prints[number % len(prints)])
    elif kind == "text":
        path = pool / "text" / f"credential_{200000 + number}.txt"
        path.write_text((glued_page if rendering == "glued" else flattened_page)(YEAR, values))
    else:
        path = pool / "html" / f"credential_{100000 + number}.html"
        path.write_text(html_page(YEAR, values))
    return path


def _variant(number: int) -> dict[str, str]:
    """A distinct credential: its own name, so every page is a row of its own."""
    from tools.sample_data import CREDENTIALS_2023, CREDENTIALS_2024

    base = [values for _, values in CREDENTIALS_2023 + CREDENTIALS_2024]
    values = base[number % len(base)]
    return {**values, "Credential Name": f"{values['Credential Name']} {number:05d}"}


def _printouts() -> list[bytes]:
    """Printed credential and course pages from several producers: Chromium (the committed prints of raw/ and
    of the rendering fixtures), reportlab and fpdf2 (report layouts, rendered here)."""
    chromium = sorted((REPO / "raw" / "2023-2024" / "pdf").glob("*.pdf"))
    chromium += sorted((REPO / "tests" / "fixtures" / "renderings").glob("chromium_*.pdf"))
    prints = [path.read_bytes() for path in chromium if not path.name.startswith("credentials_by_course")]
    from tests.renderings.pages import PAGES
    from tests.renderings.pdfs import PdfLayout, render_pdf

    for producer in ("reportlab", "fpdf2"):
        for paper, chrome in (("letter", False), ("half", True), ("short", True)):
            for page in PAGES.values():
                prints.append(render_pdf(page, PdfLayout(producer=producer, paper=paper, chrome=chrome)))
    return prints


def _link(files: list[Path], root: Path) -> None:
    """The same documents in another corpus: hard links (a copy where links are not possible)."""
    for path in files:
        folder = root / path.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy(path, folder / path.name)


def corpus_files(corpus: str, kind: str) -> list[Path]:
    return sorted((CORPUS / corpus / YEAR / kind).glob("*"))


# --- steps run inside a child process ------------------------------------------------------


def step_floor(corpus: str) -> dict:
    """Every document read and parsed, nothing else: the least any extractor of these files must do."""
    import lxml.html
    import pypdfium2 as pdfium

    count = 0
    for path in corpus_files(corpus, "html"):
        lxml.html.document_fromstring(path.read_bytes())
        count += 1
    for path in corpus_files(corpus, "text"):
        path.read_bytes().decode("utf-8")
        count += 1
    for path in corpus_files(corpus, "pdf"):
        _pdfium_text(pdfium, path.read_bytes())
        count += 1
    return {"documents": count}


def _pdfium_text(pdfium, data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    pages = 0
    for page in document:
        page.get_textpage().get_text_range()
        pages += 1
    document.close()
    return pages


def _printed() -> list[Path]:
    large = corpus_name(max(SIZES))
    return [path for path in corpus_files(large, "pdf") if not path.name.startswith("credentials_by_course")][:60]


def step_pdf_parse() -> dict:
    """Printed pages as extract reads them: in a worker process of its own (one for the run)."""
    from pipeline.read import pdf_worker

    pages = 0
    with pdf_worker.session():
        for path in _printed():
            pages += pdf_worker.read_pdf(path.read_bytes()).pages
    return {"pages": pages}


def step_pdf_floor() -> dict:
    """PDFium's own plain-text extraction of the same pages."""
    import pypdfium2 as pdfium

    return {"pages": sum(_pdfium_text(pdfium, path.read_bytes()) for path in _printed())}


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


def write_producer_pdfs() -> None:
    """Each producer's printouts written once to bench/corpus/producers/, so no step pays for making them."""
    for producer in PRODUCERS:
        folder = CORPUS / "producers" / producer
        if folder.is_dir():
            continue
        staged = folder.with_name(producer + ".partial")
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        for number, data in enumerate(_producer_pdfs(producer)):
            (staged / f"{number:04d}.pdf").write_bytes(data)
        staged.rename(folder)


def step_producer(producer: str, floor: bool) -> dict:
    """One producer's printouts as extract reads them (in its PDF worker), or PDFium's plain-text extraction (the
    floor)."""
    documents = [path.read_bytes() for path in sorted((CORPUS / "producers" / producer).glob("*.pdf"))]
    if floor:
        import pypdfium2 as pdfium

        return _work(lambda: sum(_pdfium_text(pdfium, data) for data in documents))
    from pipeline.read import pdf_worker

    def read() -> int:
        with pdf_worker.session():
            return sum(pdf_worker.read_pdf(data).pages for data in documents)

    return _work(read)


def _work(count_pages) -> dict:
    """Pages counted, and the CPU the counting took (this process and the workers it reaped): a few hundred pages
    cost less than starting Python, so the whole process's CPU would hide the ratio."""
    import resource

    def cpu() -> float:
        own, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime

    started = cpu()
    pages = count_pages()
    return {"pages": pages, "work_cpu": cpu() - started}


CHILD_STEPS = {
    **{f"floor_{size}": (lambda size=size: step_floor(corpus_name(size))) for size in SIZES},
    "pdf_parse": step_pdf_parse,
    "pdf_floor": step_pdf_floor,
    **{
        f"pdf_{what}_{producer}": (lambda producer=producer, floor=what == "floor": step_producer(producer, floor))
        for producer in PRODUCERS
        for what in ("floor", "parse")
    },
}


# --- measuring a command -------------------------------------------------------------------


def measure(command: list[str], cwd: Path = REPO) -> dict:
    """Run a command; its CPU (user + system of it and every process it waited for), wall and peak memory."""
    os.sync()  # the last step's writes go to disk now, not during this one
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = PeakMemory(child.pid)
    sampler.start()
    out, err = _drain(child)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}:\n{err[-2000:].decode(errors='replace')}")
    return {
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": wall,
        "peak_mb": sampler.peak_mb,
        "stdout": out.decode(errors="replace"),
    }


def _drain(child: subprocess.Popen) -> tuple[bytes, bytes]:
    """Both outputs read to their end on threads (a full pipe would stall the child), without reaping it."""
    chunks: dict[str, bytes] = {}

    def read(name: str, stream) -> None:
        chunks[name] = stream.read()

    readers = [threading.Thread(target=read, args=(name, getattr(child, name))) for name in ("stdout", "stderr")]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    return chunks["stdout"], chunks["stderr"]


class PeakMemory(threading.Thread):
    """Peak of the summed proportional set size (PSS) of a process and all its descendants.

    PSS shares each shared page among the processes that map it, so workers forked from the parent are
    neither double-counted nor missed.
    """

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.every = every
        self.peak_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> None:
        total = sum(_pss_kb(pid) for pid in _family(self.pid))
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


# --- the steps, as the bench runs them ------------------------------------------------------


def _child(name: str) -> dict:
    measured = measure([sys.executable, "-m", "bench.run", "--step", name])
    return {**{k: v for k, v in measured.items() if k != "stdout"}, **json.loads(measured["stdout"].splitlines()[-1])}


def _extract(corpus: str) -> dict:
    """`python -m pipeline extract` on a corpus with its cache: the whole command, as a user runs it."""
    raw, out, cache = CORPUS / corpus, CORPUS / f"out-{corpus}", CORPUS / f"cache-{corpus}"
    command = [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]
    measured = measure(command, CODE)
    summary = json.loads((out / "summary.json").read_text())
    return {
        "cpu": measured["cpu"],
        "wall": measured["wall"],
        "peak_mb": measured["peak_mb"],
        "documents": summary["documents"],
        "credentials": summary["credentials"],
        "workers": WORKERS,
    }


def step_cold(corpus: str) -> dict:
    for folder in (CORPUS / f"out-{corpus}", CORPUS / f"cache-{corpus}"):
        shutil.rmtree(folder, ignore_errors=True)
    return _extract(corpus)


def step_one_changed(corpus: str, round_: int) -> dict:
    """One value of one HTML page edited since the last run (its last value, Directory Notes), differently each
    round; the file replaced, not written in place (the corpora link the same files)."""
    pages = corpus_files(corpus, "html")
    page = pages[len(pages) // 2]
    original = page.read_bytes()
    edited = original.replace(b"</td></tr>\n</table>", f" (edited {round_})</td></tr>\n</table>".encode(), 1)
    if edited == original:
        raise SystemExit(f"no value to edit in {page}")
    _replace(page, edited)
    try:
        return _extract(corpus)
    finally:
        _replace(page, original)


def _replace(path: Path, data: bytes) -> None:
    staged = path.with_name(path.name + ".bench-tmp")
    staged.write_bytes(data)
    os.replace(staged, path)


def steps() -> dict:
    """Every step, in the order of a round: each corpus's floor, cold, nothing changed and one value changed."""
    found = {}
    for size in SIZES:
        corpus = corpus_name(size)
        found[f"floor_{size}"] = lambda round_, size=size: _child(f"floor_{size}")
        found[f"cold_{size}"] = lambda round_, corpus=corpus: step_cold(corpus)
        found[f"unchanged_{size}"] = lambda round_, corpus=corpus: _extract(corpus)
        found[f"one_changed_{size}"] = lambda round_, corpus=corpus: step_one_changed(corpus, round_)
    found["pdf_floor"] = lambda round_: _child("pdf_floor")
    found["pdf_parse"] = lambda round_: _child("pdf_parse")
    for producer in PRODUCERS:
        for what in ("floor", "parse"):
            found[f"pdf_{what}_{producer}"] = lambda round_, name=f"pdf_{what}_{producer}": _child(name)
    return found


# --- report ------------------------------------------------------------------------------------


def summarise(rounds: list[dict]) -> dict:
    """Per step: min and median of CPU, wall and peak memory over the rounds, and what the step counted."""
    results = {}
    for name in rounds[0]:
        runs = [each[name] for each in rounds]
        figures = [figure for figure in ("cpu", "wall", "peak_mb", "work_cpu") if figure in runs[0]]
        row = {key: value for key, value in runs[0].items() if key not in figures}
        for figure in figures:
            values = [run[figure] for run in runs]
            row[figure] = {"min": min(values), "median": statistics.median(values), "runs": values}
        results[name] = row
    return results


def ratios(results: dict) -> dict:
    """The targets' figures, as ratios of medians of the same run."""
    small, large = SIZES

    def slope(step: str, figure: str = "cpu") -> float:
        low, high = results[f"{step}_{small}"], results[f"{step}_{large}"]
        return (high[figure]["median"] - low[figure]["median"]) / (high["documents"] - low["documents"])

    cold = results[f"cold_{large}"]["cpu"]["median"]
    pdf, pdf_floor = results["pdf_parse"], results["pdf_floor"]
    return {
        "cold_cpu_ms_per_document": 1000 * slope("cold"),
        "floor_cpu_ms_per_document": 1000 * slope("floor"),
        "cpu_slope_over_floor": slope("cold") / slope("floor"),
        "wall_over_floor": results[f"cold_{large}"]["wall"]["median"] / results[f"floor_{large}"]["wall"]["median"],
        "unchanged_of_cold": results[f"unchanged_{large}"]["cpu"]["median"] / cold,
        "one_changed_of_cold": results[f"one_changed_{large}"]["cpu"]["median"] / cold,
        "peak_mb": {str(size): results[f"cold_{size}"]["peak_mb"]["median"] for size in SIZES},
        "pdf_over_pdfium": pdf["cpu"]["median"] / pdf_floor["cpu"]["median"],
        "pdf_ms_per_page": 1000 * pdf["cpu"]["median"] / pdf["pages"],
        "pdf_over_pdfium_by_producer": {
            producer: _producer_over_floor(results, producer)
            for producer in PRODUCERS
            if f"pdf_parse_{producer}" in results
        },
    }


def _producer_over_floor(results: dict, producer: str) -> float:
    """CPU of reading one producer's printouts as extract does, over PDFium's plain-text extraction of them."""
    parse, floor = results[f"pdf_parse_{producer}"], results[f"pdf_floor_{producer}"]
    return parse["work_cpu"]["median"] / floor["work_cpu"]["median"]


def report(results: dict) -> str:
    meta = results["meta"]
    order = [f"{step}_{size}" for size in SIZES for step in ("floor", "cold", "unchanged", "one_changed")]
    order += ["pdf_floor", "pdf_parse"] + [f"pdf_{what}_{p}" for p in PRODUCERS for what in ("floor", "parse")]
    # a round's order (results.json keeps its keys sorted)
    names = [name for name in order if name in results]
    lines = [
        f"{meta['rounds']} interleaved rounds; CPU = user+system seconds of the whole process tree; "
        f"extract ran with {meta['workers']} workers on {meta['cpus']} cores",
        *_load_line(meta),
        "",
        f"{'step':<20}{'docs':>7}{'CPU min':>9}{'median':>8}{'wall min':>10}{'median':>8}{'peak MB':>9}",
    ]
    for name in names:
        row = results[name]
        count = row.get("documents", row.get("pages", 0))
        lines.append(
            f"{name:<20}{count:>7}{row['cpu']['min']:>9.2f}{row['cpu']['median']:>8.2f}"
            f"{row['wall']['min']:>10.2f}{row['wall']['median']:>8.2f}{row['peak_mb']['median']:>9.0f}"
        )
    r = results["ratios"]
    small, large = SIZES
    peak_small, peak_large = (r["peak_mb"][str(size)] for size in SIZES)
    lines += [
        "",
        f"cold CPU per document (slope {small:,} -> {large:,}): {r['cold_cpu_ms_per_document']:.3f} ms; "
        f"floor {r['floor_cpu_ms_per_document']:.3f} ms: {r['cpu_slope_over_floor']:.1f}x the floor "
        f"(target at most 6x: {_met(r['cpu_slope_over_floor'] <= 6)})",
        f"cold wall at {large:,} with {meta['workers']} workers: {r['wall_over_floor']:.1f}x the floor's wall "
        f"(one process) (target at most 3x on two free cores: {_met(r['wall_over_floor'] <= 3)})",
        f"nothing changed at {large:,}: {100 * r['unchanged_of_cold']:.1f}% of cold CPU "
        f"(target at most 5%: {_met(r['unchanged_of_cold'] <= 0.05)})",
        f"one value changed at {large:,}: {100 * r['one_changed_of_cold']:.1f}% of cold CPU "
        f"(target at most 10%: {_met(r['one_changed_of_cold'] <= 0.10)})",
        f"peak memory of a cold run (summed PSS): {peak_small:.0f} MB at {small:,}, "
        f"{peak_large:.0f} MB at {large:,} (target at most 400 MB: {_met(peak_large <= 400)})",
        f"printed PDF pages: {r['pdf_ms_per_page']:.1f} ms of CPU a page as extract reads them, "
        f"{r['pdf_over_pdfium']:.1f}x PDFium's plain-text extraction",
    ]
    for producer, ratio in r.get("pdf_over_pdfium_by_producer", {}).items():
        pages = results[f"pdf_parse_{producer}"]["pages"]
        lines.append(
            f"{producer}'s printouts of the rendering fuzzer's pages ({pages} pages): {ratio:.1f}x PDFium's "
            f"plain-text extraction (target at most 10x: {_met(ratio <= 10)})"
        )
    return "\n".join(lines)


def _load_line(meta: dict) -> list[str]:
    """The machine's load average (1 minute) before each step and at the end, when the run recorded it."""
    load = meta.get("load_average")
    if not load:
        return []
    return [
        f"load average (1 min) before each step: {load['min']:.1f} to {load['max']:.1f} "
        f"(on {meta['cpus']} cores; CPU seconds grow with it too)"
    ]


def _met(condition: bool) -> str:
    return "met" if condition else "NOT met"


def run(repeats: int, only: list[str] | None = None) -> dict:
    print(f"building corpus in {CORPUS} ...", file=sys.stderr)
    build_corpus()
    write_producer_pdfs()
    chosen = {name: step for name, step in steps().items() if not only or name in only}
    rounds, loads = [], []
    for round_ in range(repeats):
        done = {}
        for name, step in chosen.items():
            print(f"round {round_ + 1}/{repeats}: {name} ...", file=sys.stderr)
            loads.append(os.getloadavg()[0])
            done[name] = step(round_)
        rounds.append(done)
    loads.append(os.getloadavg()[0])
    results = summarise(rounds)
    if not only:
        results["ratios"] = ratios(results)
    results["meta"] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "workers": WORKERS,
        "rounds": repeats,
        "sizes": list(SIZES),
        "mix_per_100": {f"{kind} {rendering}": MIX.count((kind, rendering)) for kind, rendering in dict.fromkeys(MIX)},
        # CPU seconds are not immune to a busy machine (shared caches, a hypervisor's other guests): a floor of
        # 0.30 ms a document measured at a load of 4 to 8 was 0.18 ms at a load of 0.5 to 1.8. Said beside the figures.
        "load_average": {"min": min(loads), "max": max(loads)},
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=CHILD_STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=REPEATS, help="interleaved rounds (default %(default)s)")
    parser.add_argument("--code", type=Path, help="run the extract steps with the pipeline of this checkout")
    parser.add_argument("--only", nargs="+", help="these steps alone (no targets computed)")
    parser.add_argument(
        "--record", action="store_true", help="copy the last results to bench/results.json and regenerate the README"
    )
    args = parser.parse_args()
    if args.step:
        print(json.dumps(CHILD_STEPS[args.step]()))
        return
    if args.record:
        record()
        return
    global CODE
    CODE = (args.code or REPO).resolve()
    results = run(args.repeats, args.only)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    if "ratios" in results:
        print(report(results))
    else:
        print(json.dumps(results, indent=2))
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
