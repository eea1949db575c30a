"""Spec -> Rendering: every renderer family behind one description of its choices.

A `Spec` names a page and a producer with its choices (markup and chrome of the HTML, the converter and
its width, the PDF layout, a committed fixture); `make` runs the producer for real and returns the
document. Families, as the pass rates count them:

- `html/<markup>`: the HTML itself (table, dl, divs, bold, cards, aria);
- `html2text`, `markdownify`, `inscriptis`: a converter run on an HTML rendering;
- `reportlab`, `fpdf2`: a report generator's PDF;
- `w3m`, `lynx`, `chromium`: committed dumps and printouts made by tools/make_rendering_fixtures.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.renderings import fixtures
from tests.renderings.check import Rendering
from tests.renderings.converters import Converter, text_safe
from tests.renderings.listing import LISTING_PAGE, ListingLayout, render_listing
from tests.renderings.markup import ARCHIVE, Html, html_dimensions, page_bytes, page_html
from tests.renderings.pages import PAGES
from tests.renderings.pdfs import PdfLayout, render_pdf

# Renderers that print a value's blank line (`<br><br>`) as a single break: what only that blank line
# tells (check.BLANK_LINE_COLUMNS) is not asked of them.
LOSE_BLANK_LINES = frozenset({"lynx"})


@dataclass(frozen=True)
class Spec:
    page: str  # a key of PAGES
    producer: str = "html"  # html | a converter | reportlab | fpdf2 | fixture
    html: Html = field(default_factory=Html)
    converter: Converter | None = None
    pdf: PdfLayout | None = None
    fixture: str | None = None  # a committed fixture's file name (tests/fixtures/renderings/)
    listing: ListingLayout | None = None  # the Credentials by Course listing (page: "listing")
    manifest: bool = True  # with a manifest row; without one, ids come from the file name

    @property
    def family(self) -> str:
        if self.producer == "html":
            return f"html/{self.html.markup}"
        if self.producer == "fixture":
            return fixtures.family_of(self.fixture)
        if self.listing is not None:
            return f"listing/{self.listing.producer}"
        return self.producer

    @property
    def label(self) -> str:
        """The family and its choices, as reports and test ids name a rendering."""
        if self.producer == "html":
            choices = self.html.name
        elif self.converter is not None:
            choices = f"{self.converter.variant} of {self.html.name}"
        elif self.pdf is not None:
            choices = self.pdf.variant
        elif self.listing is not None:
            choices = self.listing.variant
        else:
            choices = str(self.fixture)
        return f"{self.family}[{choices}{_manifest_note(self)}]"


def make(spec: Spec) -> Rendering:
    if spec.listing is not None:
        layout = spec.listing
        dimensions = {"headers": layout.headers, "ruled": str(layout.ruled), "paper": layout.paper}
        dimensions.update({"print chrome": str(layout.chrome), "manifest": str(spec.manifest)})
        return Rendering(
            spec.family,
            layout.variant + _manifest_note(spec),
            LISTING_PAGE,
            "pdf",
            ".pdf",
            render_listing(layout),
            manifest=spec.manifest,
            dimensions=dimensions,
        )
    page = PAGES[spec.page]
    dimensions = {"page": page.kind + ("s" if len(page.credentials) > 1 else ""), "manifest": str(spec.manifest)}
    if spec.producer == "html":
        options = spec.html
        dimensions.update(html_dimensions(options))
        archived = options.wrapper == "archive"
        return Rendering(
            spec.family,
            options.name + _manifest_note(spec),
            page,
            "html",
            ".html",
            page_bytes(page, options),
            manifest=spec.manifest,
            url=ARCHIVE + page.url if archived else None,
            origin="archive" if archived else "sample",
            dimensions=dimensions,
        )
    if spec.converter is not None:
        converter = spec.converter
        if text_safe(spec.html) != spec.html:
            raise ValueError(f"a converter's source carries no hidden elements and no scripts: {spec}")
        dimensions.update(html_dimensions(spec.html))
        dimensions["width"] = str(converter.width or "unlimited")
        text = converter.convert(page_html(page, spec.html))
        return Rendering(
            spec.family,
            f"{converter.variant} of {spec.html.name}{_manifest_note(spec)}",
            page,
            "text",
            converter.extension,
            text.encode("utf-8"),
            manifest=spec.manifest,
            dimensions=dimensions,
        )
    if spec.pdf is not None:
        layout = spec.pdf
        dimensions.update({"paper": layout.paper, "print chrome": str(layout.chrome), "ruled": str(layout.ruled)})
        return Rendering(
            spec.family,
            layout.variant + _manifest_note(spec),
            page,
            "pdf",
            ".pdf",
            render_pdf(page, layout),
            manifest=spec.manifest,
            dimensions=dimensions,
        )
    if spec.fixture is not None:
        made = fixtures.load(spec.fixture)
        dimensions.update(made.dimensions)
        return Rendering(
            spec.family,
            spec.fixture + _manifest_note(spec),
            PAGES[made.page],
            made.kind,
            made.extension,
            made.data,
            manifest=spec.manifest,
            dimensions=dimensions,
            loses_blank_lines=made.family in LOSE_BLANK_LINES,
        )
    raise ValueError(f"a spec needs a producer: {spec}")


def _manifest_note(spec: Spec) -> str:
    return "" if spec.manifest else "+no-manifest"
