"""The fixed sample the test suite runs: every renderer family at least once, on every page, a few dozen
renderings in all. `make fuzz` draws thousands more (fuzz.py)."""

from __future__ import annotations

from tests.renderings import fixtures
from tests.renderings.converters import Converter
from tests.renderings.markup import Html
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
]


def fixture_sample() -> list[Spec]:
    """One committed fixture of each family and page kind (text browsers, a browser's print)."""
    chosen: dict[tuple[str, str], str] = {}
    for name, fixture in sorted(fixtures.index().items()):
        chosen.setdefault((fixture.family, fixture.page), name)
    picked = sorted(chosen.values())[::3] or []
    families = {fixtures.index()[name].family for name in picked}
    for name, fixture in sorted(fixtures.index().items()):  # every family at least once
        if fixture.family not in families:
            picked.append(name)
            families.add(fixture.family)
    return [Spec(fixtures.index()[name].page, "fixture", fixture=name) for name in picked]
