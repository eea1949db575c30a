"""The fixed sample the test suite runs: every renderer family at least once, on every page, a few dozen
renderings in all. `make fuzz` draws thousands more (fuzz.py)."""

from __future__ import annotations

from tests.renderings import fixtures
from tests.renderings.converters import Converter
from tests.renderings.listing import ListingLayout
from tests.renderings.markup import Html
from tests.renderings.pages import PAGES
from tests.renderings.pdfs import INCH, PdfLayout
from tests.renderings.renderings import Spec

FULL_CHROME = {"site": True, "scripts": True, "hidden": True, "comments": True}

SAMPLE: list[Spec] = [
    # HTML markups, bare and with every kind of chrome, on every page
    Spec("credential_cpt_maintenance", html=Html("table")),
    Spec("course_131_im11", html=Html("table", **FULL_CHROME)),
    Spec("credential_bls_provider", html=Html("dl")),
    Spec("credential_comptia_a_core1", html=Html("dl", **FULL_CHROME, wrapper="archive")),
    Spec("credential_mos_excel", html=Html("divs")),
    Spec("course_889_prostart", html=Html("divs", **FULL_CHROME, wrapper="saved", encoding="windows-1252")),
    Spec("credential_cpt_safety", html=Html("bold")),
    Spec("credential_bls_provider", html=Html("bold", site=True, encoding="windows-1252"), manifest=False),
    Spec("course_131_im11", html=Html("cards")),
    Spec("credential_comptia_a_core1", html=Html("cards", site=True, scripts=True)),
    Spec("credential_mos_excel", html=Html("aria")),
    Spec("course_131_im11", html=Html("aria", hidden=True, comments=True, wrapper="archive")),
    Spec("course_889_prostart", html=Html("table", scripts=True, wrapper="saved")),
    Spec("credential_bls_provider", html=Html("table", hidden=True)),
    Spec("credential_cpt_maintenance", html=Html("dl", comments=True, encoding="windows-1252")),
    # converters, run for real at several widths
    Spec("credential_cpt_maintenance", "html2text", Html("table"), converter=Converter("html2text", 40)),
    Spec("course_131_im11", "html2text", Html("dl", site=True), converter=Converter("html2text", 80)),
    Spec("credential_mos_excel", "html2text", Html("bold"), converter=Converter("html2text", 0)),
    Spec("credential_comptia_a_core1", "markdownify", Html("table"), converter=Converter("markdownify", 0)),
    Spec("course_889_prostart", "markdownify", Html("divs", comments=True), converter=Converter("markdownify", 40)),
    Spec("credential_bls_provider", "inscriptis", Html("table"), converter=Converter("inscriptis")),
    Spec(
        "course_131_im11", "inscriptis", Html("bold", wrapper="archive"), converter=Converter("inscriptis", links=True)
    ),
    # report generators: letter, narrow, and short pages where rows break across pages; with print chrome
    Spec("credential_mos_excel", "reportlab", pdf=PdfLayout("reportlab", "letter")),
    Spec("course_131_im11", "reportlab", pdf=PdfLayout("reportlab", "short", chrome=True, ruled=False)),
    Spec("credential_comptia_a_core1", "reportlab", pdf=PdfLayout("reportlab", "half", label_width=1.1 * INCH)),
    Spec("credential_cpt_maintenance", "fpdf2", pdf=PdfLayout("fpdf2", "letter", ruled=False)),
    Spec("course_889_prostart", "fpdf2", pdf=PdfLayout("fpdf2", "short", chrome=True)),
    # the Credentials by Course listing under header words no list in the code holds
    Spec("listing", "reportlab", listing=ListingLayout("reportlab", "perkins", ruled=True, paper="half")),
    Spec("listing", "reportlab", listing=ListingLayout("reportlab", "reversed", ruled=False, chrome=True)),
    Spec("listing", "fpdf2", listing=ListingLayout("fpdf2", "abbreviated", ruled=True, paper="short"), manifest=False),
]


def fixture_sample() -> list[Spec]:
    """Committed fixtures (text browsers, a browser's print): per family, one credential page and one course
    page with several blocks, each in a markup not picked yet where there is one."""
    chosen: dict[tuple[str, bool], str] = {}
    markups: set[str] = set()
    for name, fixture in sorted(fixtures.index().items(), key=lambda item: item[0][::-1]):
        key = (fixture.family, len(PAGES[fixture.page].credentials) > 1)
        if key not in chosen and fixture.dimensions["markup"] not in markups:
            chosen[key] = name
            markups = markups | {fixture.dimensions["markup"]} if len(markups) < 5 else set()
    return [Spec(fixtures.index()[name].page, "fixture", fixture=name) for name in sorted(chosen.values())]
