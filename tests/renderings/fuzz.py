"""`make fuzz`: hypothesis draws thousands of renderings, each is extracted alone and checked against the
hand-written oracle; prints and records the pass rate per renderer family.

    python -m tests.renderings.fuzz [--count 2000] [--seed 19] [--jobs 1] [--out tests/renderings/last_run]
    python -m tests.renderings.fuzz --family reportlab --family fpdf2 --out /tmp/pdfs   # only those families
    python -m tests.renderings.fuzz --every-layout reportlab --every-layout fpdf2   # no draw: every PDF layout

hypothesis picks the combinations (family x page x markup x chrome x wrapper x encoding x converter x
width x PDF layout x listing headers x manifest row or none); each distinct rendering is run once. The
last run's rates go to `<out>.json` and `<out>.md` (the README quotes the Markdown). Exit status 0 when
every rendering passed, 1 otherwise. `--family` keeps only the renderings of the families named, out of the
same `--count` drawn: exactly those that the whole run would extract. `--every-layout` runs every page in
every PDF layout of a producer instead (756 each) and writes tests/renderings/every_layout.md and .json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.renderings import fixtures
from tests.renderings.check import differences, extract_tables, parsed_tables
from tests.renderings.converters import WIDTHS, Converter
from tests.renderings.listing import HEADERS, ListingLayout
from tests.renderings.markup import ENCODINGS, MARKUPS, WRAPPERS, Html
from tests.renderings.pages import PAGES
from tests.renderings.pdfs import INCH, PAPERS, PdfLayout
from tests.renderings.renderings import Spec, make

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "last_run"
FAMILIES = (
    *(f"html/{markup}" for markup in MARKUPS),
    "html2text",
    "markdownify",
    "inscriptis",
    "w3m",
    "lynx",
    "chromium",
    "reportlab",
    "fpdf2",
    "listing/reportlab",
    "listing/fpdf2",
)

PDF_LABEL_WIDTHS = (1.1, 1.6, 2.2)  # inches
PDF_FONT_SIZES = (8.0, 9.0, 11.0)
EVERY_LAYOUT_OUT = HERE / "every_layout"

pages = st.sampled_from(sorted(PAGES))
flags = st.booleans()


@st.composite
def html_options(draw, markup: str, text_safe: bool = False) -> Html:
    return Html(
        markup,
        site=draw(flags),
        scripts=False if text_safe else draw(flags),
        hidden=False if text_safe else draw(flags),
        comments=draw(flags),
        wrapper=draw(st.sampled_from(WRAPPERS)),
        encoding=draw(st.sampled_from(ENCODINGS)),
    )


@st.composite
def family_spec(draw, family: str) -> Spec:
    manifest = draw(st.booleans())
    if family.startswith("html/"):
        return Spec(draw(pages), html=draw(html_options(family.split("/")[1])), manifest=manifest)
    if family in WIDTHS:
        converter = Converter(
            family,
            draw(st.sampled_from(WIDTHS[family])),
            draw(flags) if family == "inscriptis" else False,
        )
        source = draw(html_options(draw(st.sampled_from(MARKUPS)), text_safe=True))
        return Spec(draw(pages), family, source, converter=converter, manifest=manifest)
    if family in ("w3m", "lynx", "chromium"):
        names = sorted(name for name, fixture in fixtures.index().items() if fixture.family == family)
        name = draw(st.sampled_from(names))
        return Spec(fixtures.index()[name].page, "fixture", fixture=name, manifest=manifest)
    if family in ("reportlab", "fpdf2"):
        layout = PdfLayout(
            family,
            draw(st.sampled_from(sorted(PAPERS))),
            chrome=draw(flags),
            ruled=draw(flags),
            label_width=draw(st.sampled_from(PDF_LABEL_WIDTHS)) * INCH,
            font_size=draw(st.sampled_from(PDF_FONT_SIZES)),
        )
        return Spec(draw(pages), family, pdf=layout, manifest=manifest)
    producer = family.split("/")[1]
    layout = ListingLayout(
        producer,
        draw(st.sampled_from(sorted(HEADERS))),
        ruled=draw(flags),
        paper=draw(st.sampled_from(sorted(PAPERS))),
        landscape=draw(flags),
        chrome=draw(flags),
    )
    return Spec("listing", producer, listing=layout, manifest=manifest)


def draw_specs(count: int, chosen_seed: int) -> list[Spec]:
    """`count` distinct specs, as even across the families as their choices allow: hypothesis draws each
    family's share; a family with few distinct renderings (a committed fixture set) leaves its rest to others."""
    found: dict[Spec, None] = {}
    share = -(-count // len(FAMILIES))
    for number, family in enumerate(FAMILIES):
        _draw(family, share, chosen_seed + number, found)
    rounds = 0
    while len(found) < count and rounds < 100:
        rounds += 1
        for number, family in enumerate(FAMILIES):
            if len(found) >= count:
                break
            _draw(family, min(10, count - len(found)), chosen_seed + 1000 * rounds + number, found)
    return list(found)[:count]


def _draw(family: str, wanted: int, chosen_seed: int, found: dict[Spec, None]) -> None:
    """Add up to `wanted` new distinct specs of one family to `found`."""
    target = len(found) + wanted

    @seed(chosen_seed)
    @settings(
        max_examples=wanted * 4,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(family_spec(family))
    def collect(spec: Spec) -> None:
        if len(found) < target:
            found.setdefault(spec, None)

    collect()


def every_layout(producer: str) -> list[Spec]:
    """Each credential and course page in each of the PDF layouts the draw chooses from, with a manifest row."""
    return [
        Spec(page, producer, pdf=PdfLayout(producer, paper, chrome, ruled, width * INCH, size))
        for page, paper, size, width, chrome, ruled in itertools.product(
            sorted(PAGES), sorted(PAPERS), PDF_FONT_SIZES, PDF_LABEL_WIDTHS, (False, True), (False, True)
        )
    ]


def run_one(spec: Spec) -> dict:
    """One rendering's verdict, as plain data (it crosses a process boundary)."""
    try:
        rendering = make(spec)
        quick = parsed_tables(rendering)
        found = differences(rendering, quick) if quick is not None else ["two blocks of one name"]
        if found:  # the whole extract, for the exact differences
            found = differences(rendering, extract_tables(rendering))
    except Exception as error:  # noqa: BLE001 - a renderer or extract crash is this rendering's failure
        return {"name": spec.label, "family": spec.family, "dimensions": {}, "differences": [f"crash: {error!r}"]}
    return {
        "name": rendering.name,
        "family": spec.family,
        "dimensions": rendering.dimensions,
        "differences": [str(difference) for difference in found],
        "columns": sorted({difference.column for difference in found}),
    }


def summarize(results: list[dict], seconds: float, chosen_seed: int | None) -> dict:
    """Pass counts per family and per choice; `chosen_seed` None for a run of every layout (no draw)."""
    families: dict[str, Counter] = defaultdict(Counter)
    dimensions: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    columns: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for result in results:
        passed = not result["differences"]
        families[result["family"]]["passed" if passed else "failed"] += 1
        for name, value in result["dimensions"].items():
            dimensions[name][value]["passed" if passed else "failed"] += 1
        for column in result.get("columns", ["crash"]) if not passed else ():
            columns[result["family"]][column] += 1
        if not passed and len(examples[result["family"]]) < 3:
            examples[result["family"]].append(result["differences"][0][:300])
    total = Counter()
    for counts in families.values():
        total.update(counts)
    return {
        "renderings": len(results),
        "passed": total["passed"],
        "seed": chosen_seed,
        "seconds": round(seconds),
        "families": {
            family: {
                "renderings": sum(families[family].values()),
                "passed": families[family]["passed"],
                "pass_rate": round(families[family]["passed"] / sum(families[family].values()), 3),
                "failing_columns": dict(columns[family].most_common(8)),
                "examples": examples[family],
            }
            for family in FAMILIES
            if family in families
        },
        "dimensions": {
            name: {value: dict(counts) for value, counts in sorted(values.items())}
            for name, values in sorted(dimensions.items())
        },
        "failed": sorted(result["name"] for result in results if result["differences"]),
    }


def markdown(summary: dict) -> str:
    run = f"seed {summary['seed']}" if summary["seed"] is not None else "every PDF layout, no draw"
    lines = [
        f"Last `make fuzz`: {summary['renderings']} renderings, {summary['passed']} passed "
        f"({run}, {summary['seconds']} s).",
        "",
        "| family | renderings | passed | pass rate | most frequent failing columns |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for family, row in summary["families"].items():
        failing = ", ".join(f"{column} ({count})" for column, count in list(row["failing_columns"].items())[:4])
        lines.append(f"| {family} | {row['renderings']} | {row['passed']} | {row['pass_rate']:.0%} | {failing} |")
    lines += ["", "By choice (passed / renderings):", ""]
    for name, values in summary["dimensions"].items():
        cells = ", ".join(
            f"{value} {counts.get('passed', 0)}/{counts.get('passed', 0) + counts.get('failed', 0)}"
            for value, counts in values.items()
        )
        lines.append(f"- {name}: {cells}")
    if summary["failed"]:
        lines += ["", "Failed:", "", *(f"- `{name}`" for name in summary["failed"])]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000, help="distinct renderings to run")
    parser.add_argument("--seed", type=int, default=19, help="hypothesis seed (the same seed draws the same specs)")
    parser.add_argument("--jobs", type=int, default=2, help="processes extracting renderings")
    parser.add_argument("--out", type=Path, help=f"writes OUT.json and OUT.md (default {DEFAULT_OUT.name})")
    parser.add_argument(
        "--family", action="append", choices=FAMILIES, help="run only this family's renderings (repeatable)"
    )
    parser.add_argument(
        "--every-layout",
        action="append",
        choices=("reportlab", "fpdf2"),
        help="instead of a draw: every page in every layout of this PDF producer (756 each; repeatable)",
    )
    args = parser.parse_args(argv)
    start = time.monotonic()
    if args.every_layout:
        chosen = [spec for producer in args.every_layout for spec in every_layout(producer)]
    else:
        chosen = [spec for spec in draw_specs(args.count, args.seed) if not args.family or spec.family in args.family]
    print(f"{len(chosen)} distinct renderings drawn; extracting each alone ...", file=sys.stderr)
    results = []
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            iterator = pool.map(run_one, chosen, chunksize=8)
            for number, result in enumerate(iterator, 1):
                results.append(result)
                _progress(number, len(chosen), start)
    else:
        for number, spec in enumerate(chosen, 1):
            results.append(run_one(spec))
            _progress(number, len(chosen), start)
    summary = summarize(results, time.monotonic() - start, None if args.every_layout else args.seed)
    args.out = args.out or (EVERY_LAYOUT_OUT if args.every_layout else DEFAULT_OUT)
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(summary), encoding="utf-8")
    print(markdown(summary))
    return 0 if summary["passed"] == summary["renderings"] else 1


def _progress(number: int, total: int, start: float) -> None:
    if number % 100 == 0 or number == total:
        print(f"  {number}/{total} ({time.monotonic() - start:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
