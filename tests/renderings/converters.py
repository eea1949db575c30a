"""HTML-to-text and HTML-to-Markdown converters, run for real on an HTML rendering.

Each converter is what a person would run on a saved page: html2text and markdownify write Markdown
(`.md`), inscriptis writes layout text (`.txt`). Line widths vary where the converter has one
(html2text's `body_width`, markdownify's `wrap_width`; 0 is unlimited).

Converters (and text browsers) run no CSS and no scripts: they print what CSS hides, a `<template>`'s
row and a `<noscript>` notice as plain text, so their output holds no evidence that these were never
shown. Their sources therefore carry no hidden elements and no scripts (`text_safe`); site chrome,
comments and the archive and "save page as" wrappers stay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tests.renderings.markup import Html

CONVERTERS = ("html2text", "markdownify", "inscriptis")
WIDTHS = {"html2text": (40, 80, 0), "markdownify": (40, 80, 0), "inscriptis": (0,)}
INSCRIPTIS_LINKS = (False, True)  # inscriptis' display_links: `[text](url)` kept or not


@dataclass(frozen=True)
class Converter:
    name: str  # html2text | markdownify | inscriptis
    width: int = 0  # 0: unlimited
    links: bool = False  # inscriptis only: display_links

    @property
    def extension(self) -> str:
        return ".txt" if self.name == "inscriptis" else ".md"

    @property
    def variant(self) -> str:
        width = f"width={self.width or 'unlimited'}"
        return width + ("+links" if self.links else "")

    def convert(self, document: str) -> str:
        if self.name == "html2text":
            import html2text

            converter = html2text.HTML2Text()
            converter.body_width = self.width
            return converter.handle(document)
        if self.name == "markdownify":
            from markdownify import markdownify

            return markdownify(document, heading_style="ATX", wrap=bool(self.width), wrap_width=self.width or 80)
        if self.name == "inscriptis":
            from inscriptis import get_text
            from inscriptis.model.config import ParserConfig

            return get_text(document, ParserConfig(display_links=self.links))
        raise ValueError(f"unknown converter {self.name}")


def all_converters() -> list[Converter]:
    found = []
    for name in CONVERTERS:
        for width in WIDTHS[name]:
            for links in INSCRIPTIS_LINKS if name == "inscriptis" else (False,):
                found.append(Converter(name, width, links))
    return found


def text_safe(options: Html) -> Html:
    """The HTML a converter or text browser gets: no hidden elements, no scripts (see the module's note)."""
    return replace(options, hidden=False, scripts=False)
