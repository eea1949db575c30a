"""HTML renderings of a page, made from its label/value pairs (never from typed rows).

A rendering is a markup family (how a block's pairs are laid out) with page chrome around it: site
navigation, scripts, hidden elements, comments holding old values, a web-archive or "save page as"
wrapper, and an encoding. Every piece of chrome is something a real copy of a page carries; none of it is
data, so the extraction must give the same rows with or without it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, fields

from tests.renderings.credentials import Credential
from tests.renderings.pages import Page

MARKUPS = ("table", "dl", "divs", "bold", "cards", "aria")
WRAPPERS = ("none", "archive", "saved")
ENCODINGS = ("utf-8", "windows-1252")
ARCHIVE_STAMP = "20240115083012"
ARCHIVE = f"https://web.archive.org/web/{ARCHIVE_STAMP}/"

# An old value a page still carries, out of sight: a hidden row, a comment. Never the page's value.
OLD_PAIR = ("Exam Time Allotment", "75 minutes")
OLD_COMMENT_PAIR = ("Credential Lifespan", "3 years")

_URL = re.compile(r"https?://[^\s<>\"]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_LINKABLE = re.compile(f"{_URL.pattern}|{_EMAIL.pattern}")


@dataclass(frozen=True)
class Html:
    """One HTML rendering's choices."""

    markup: str = "table"
    site: bool = False  # navigation, breadcrumbs, search box, cookie banner, footer with copyright
    scripts: bool = False  # script, style, template, noscript
    hidden: bool = False  # hidden attribute, display:none, aria-hidden, .sr-only / .visually-hidden
    comments: bool = False  # HTML comments holding old values
    wrapper: str = "none"  # none | archive (Wayback copy) | saved (a browser's "save page as")
    encoding: str = "utf-8"  # utf-8 | windows-1252, declared in a meta charset

    @property
    def name(self) -> str:
        parts = [self.markup]
        parts += [flag.name for flag in fields(self) if flag.type == "bool" and getattr(self, flag.name)]
        if self.wrapper != "none":
            parts.append(self.wrapper)
        if self.encoding != "utf-8":
            parts.append("cp1252")
        return "+".join(parts)


# --- values and labels ---------------------------------------------------------------------------------


def _href(target: str, options: Html) -> str:
    if target.startswith("mailto:") or options.wrapper != "archive":
        return target
    return ARCHIVE + target


def _line(line: str, options: Html) -> str:
    """One line of a value: text escaped, URLs and emails as links (the link's text is the value)."""
    out, position = [], 0
    for match in _LINKABLE.finditer(line):
        out.append(html.escape(line[position : match.start()]))
        text = match.group(0).rstrip(".,;:")
        target = text if text.startswith("http") else f"mailto:{text.lower()}"
        attributes = f'href="{html.escape(_href(target, options))}"'
        if target.startswith("http"):
            attributes += ' target="_blank" rel="noopener"'
        link = f"<a {attributes}>{html.escape(text)}</a>"
        if options.hidden and target.startswith("http"):
            link += '<span class="sr-only"> (opens in a new tab)</span>'
        out.append(link)
        position = match.start() + len(text)
    out.append(html.escape(line[position:]))
    return "".join(out)


def value_html(value: str, options: Html) -> str:
    """A value as the site writes it: lines joined by `<br>` (a blank line is `<br><br>`)."""
    return "<br>\n".join(_line(line, options) for line in value.split("\n"))


def label_html(label: str, options: Html) -> str:
    """A label; the footnote star in a `<sup>`, as the site prints it, in the markups that style labels."""
    if label.endswith("*") and options.markup in ("table", "cards"):
        return f"{html.escape(label[:-1])}<sup>*</sup>"
    return html.escape(label)


# --- markup families: one block ---------------------------------------------------------------------------


def _pairs(credential: Credential, options: Html) -> list[tuple[str, str, str]]:
    """(kind, label, value) in page order: `pair`, plus `hidden` and `comment` pairs of the chrome."""
    rows = [("pair", label, value) for label, value in credential.pairs]
    if options.hidden:
        rows.insert(1, ("hidden", *OLD_PAIR))
    if options.comments:
        rows.insert(len(rows) // 2, ("comment", *OLD_COMMENT_PAIR))
    return rows


def _hide(kind: str) -> str:
    """The attribute hiding a hidden row: the `hidden` attribute or an inline display:none."""
    return ' hidden=""' if kind == "hidden" else ""


def _title(credential: Credential, options: Html, tag: str = "h3") -> str:
    icon = '<span class="icon" aria-hidden="true">&#9656;</span> ' if options.hidden else ""
    comment = f"<!-- was: {html.escape(credential.title)} (2022) -->" if options.comments else ""
    return f'{comment}<{tag} class="credential-title">{icon}{html.escape(credential.title)}</{tag}>\n'


def _table_block(credential: Credential, options: Html) -> str:
    rows = []
    if options.hidden:
        rows.append(
            '<thead class="visually-hidden"><tr><th scope="col">Field</th><th scope="col">Details</th></tr></thead>'
        )
    rows.append("<tbody>")
    for kind, label, value in _pairs(credential, options):
        row = f'<tr{_hide(kind)}><th scope="row">{label_html(label, options)}</th><td>{value_html(value, options)}</td></tr>'
        rows.append(f"<!-- {row} -->" if kind == "comment" else row)
    rows.append("</tbody>")
    return _title(credential, options, "h2") + '<table class="credential-info">\n' + "\n".join(rows) + "\n</table>\n"


def _dl_block(credential: Credential, options: Html) -> str:
    items = []
    for kind, label, value in _pairs(credential, options):
        if kind == "hidden":
            items.append(
                f'<div style="display:none"><dt>{html.escape(label)}</dt><dd>{value_html(value, options)}</dd></div>'
            )
            continue
        item = f"<dt>{label_html(label, options)}</dt>\n<dd>{value_html(value, options)}</dd>"
        items.append(f"<!-- {item} -->" if kind == "comment" else item)
    return _title(credential, options) + '<dl class="credential">\n' + "\n".join(items) + "\n</dl>\n"


def _divs_block(credential: Credential, options: Html) -> str:
    rows = []
    for kind, label, value in _pairs(credential, options):
        style = ' style="display: none"' if kind == "hidden" else ""
        row = (
            f'<div class="cred-row"{style}><div class="cred-label">{label_html(label, options)}</div>'
            f'<div class="cred-value">{value_html(value, options)}</div></div>'
        )
        rows.append(f"<!-- {row} -->" if kind == "comment" else row)
    return _title(credential, options) + '<div class="credential">\n' + "\n".join(rows) + "\n</div>\n"


def _bold_block(credential: Credential, options: Html) -> str:
    rows = []
    for kind, label, value in _pairs(credential, options):
        hide = ' aria-hidden="true" class="visually-hidden"' if kind == "hidden" else ""
        row = f"<p{hide}><strong>{label_html(label, options)}:</strong> {value_html(value, options)}</p>"
        rows.append(f"<!-- {row} -->" if kind == "comment" else row)
    return _title(credential, options) + '<div class="credential">\n' + "\n".join(rows) + "\n</div>\n"


def _aria_block(credential: Credential, options: Html) -> str:
    rows = []
    for kind, label, value in _pairs(credential, options):
        row = (
            f'<div role="row"{_hide(kind)}><div role="rowheader">{label_html(label, options)}</div>'
            f'<div role="cell">{value_html(value, options)}</div></div>'
        )
        rows.append(f"<!-- {row} -->" if kind == "comment" else row)
    label = html.escape(credential.title)
    return _title(credential, options) + f'<div role="table" aria-label="{label}">\n' + "\n".join(rows) + "\n</div>\n"


def _card_block(credential: Credential, options: Html, number: int) -> str:
    """An accordion card: the title in a header with its controls (a toggle button, Expand/Collapse, Print)."""
    body = _table_block(credential, options).split("\n", 1)[1]  # the table without its title
    icon = '<span class="icon" aria-hidden="true">&#9656;</span> ' if options.hidden else ""
    return (
        f'<div class="card" id="cred-{number}">\n'
        f'<div class="card-header"><h3 class="card-title">{icon}{html.escape(credential.title)}</h3>\n'
        f'<button type="button" class="btn btn-sm" aria-expanded="true" aria-controls="body-{number}">Collapse</button>\n'
        f'<a href="#cred-{number}" class="expand">Expand</a> | <a href="javascript:window.print()">Print</a></div>\n'
        f'<div class="card-body collapse show" id="body-{number}">\n{body}</div>\n</div>\n'
    )


def blocks_html(page: Page, options: Html) -> str:
    if options.markup == "cards":
        toolbar = (
            '<div class="accordion-controls"><button type="button">Expand all</button> '
            '<button type="button">Collapse all</button></div>\n'
        )
        cards = "".join(_card_block(credential, options, n) for n, credential in enumerate(page.credentials, 1))
        return toolbar + f'<div class="accordion">\n{cards}</div>\n'
    render = {
        "table": _table_block,
        "dl": _dl_block,
        "divs": _divs_block,
        "bold": _bold_block,
        "aria": _aria_block,
    }[options.markup]
    return "".join(render(credential, options) for credential in page.credentials)


# --- the page around the blocks --------------------------------------------------------------------------


def _heading(page: Page) -> str:
    out = []
    for role, text in page.heading_lines():
        if role in ("h1", "h2"):
            out.append(f"<{role}>{html.escape(text)}</{role}>")
        elif role == "warning":
            label, _, rest = text.partition(" ")
            out.append(f'<p class="alert alert-danger"><strong>{html.escape(label)}</strong> {html.escape(rest)}</p>')
        else:
            out.append(f"<p>{html.escape(text)}</p>")
    return "\n".join(out) + "\n"


SITE_HEADER = """<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<div class="brand"><a href="{home}"><img src="{home}images/ncdpi-logo.png" alt="NC Department of Public Instruction"></a></div>
<nav class="navbar" aria-label="Main"><ul>
<li><a href="{home}">Home</a></li><li><a href="{home}courses.php">Courses</a></li>
<li><a href="{home}credential_info.php">Credentials</a></li><li><a href="{home}contact.php">Contact Us</a></li>
</ul></nav>
<form class="search" role="search" action="{home}search.php"><label for="q">Search</label>
<input type="search" id="q" name="q" placeholder="Search courses and credentials"><button type="submit">Go</button></form>
</header>
<nav aria-label="breadcrumb"><ol class="breadcrumb"><li><a href="{home}">NC CTE</a></li>
<li><a href="{home}credential_info.php">Credentials</a></li><li aria-current="page">Credential Information</li></ol></nav>
"""
SITE_FOOTER = """<footer class="site-footer">
<p><a href="{home}accessibility.php">Accessibility</a> | <a href="{home}privacy.php">Privacy Policy</a> | <a href="mailto:cte@dpi.nc.gov">cte@dpi.nc.gov</a></p>
<p>\u00a9 2024 NC State University. All rights reserved.</p>
</footer>
<div class="cookie-banner" role="dialog" aria-label="Cookie consent">
<p>This website uses cookies to improve your experience. By continuing you accept our use of cookies.</p>
<button type="button">Accept</button> <a href="{home}privacy.php">Learn more</a></div>
"""
HIDING_STYLE = """<style>.sr-only,.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap}</style>"""
SCRIPTS_HEAD = """<style>.credential-info th{text-align:left;vertical-align:top}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>
<script type="application/ld+json">{"@type": "WebPage", "name": "Credential Information", "description": "Credential Name and Exam Time Allotment"}</script>
"""
SCRIPTS_BODY = """<noscript><p>Please enable JavaScript to expand the credential details.</p></noscript>
<template id="row-template"><tr><th scope="row">Credential Name</th><td>{{ name }}</td></tr></template>
<script src="js/accordion.js"></script>
<script>document.querySelectorAll('.collapse').forEach(function (el) { el.classList.add('show'); });</script>
"""

ARCHIVE_HEAD = """<script type="text/javascript" src="https://web-static.archive.org/_static/js/bundle-playback.js?v=1B2M2Y8A" charset="utf-8"></script>
<script type="text/javascript" src="https://web-static.archive.org/_static/js/wombat.js?v=1B2M2Y8A" charset="utf-8"></script>
<script>__wm.init("https://web.archive.org/web"); __wm.wombat("{url}","{stamp}","https://web.archive.org/","web","https://web-static.archive.org/_static/","1705307412");</script>
<link rel="stylesheet" type="text/css" href="https://web-static.archive.org/_static/css/banner-styles.css?v=S1zqJCYt" />
<!-- End Wayback Rewrite JS Include -->
"""
ARCHIVE_TOOLBAR = """<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<div id="wm-ipp-base" lang="en" style="direction:ltr;"><div id="wm-ipp" style="width:100%;">
<div id="wm-ipp-inside"><div id="wm-logo"><a href="https://web.archive.org/web/" title="Wayback Machine home page">The Wayback Machine</a></div>
<form target="_top" method="get" action="https://web.archive.org/web/" name="wmtb" id="wmtb"><input type="text" name="url" id="wmtbURL" value="{url}"><input type="submit" value="Go"></form>
<div id="wm-nav-captures"><a class="t" href="https://web.archive.org/web/{stamp}*/{url}">14 captures</a>
<div class="r">15 Jan 2024 - 02 Mar 2025</div></div>
<table class="c"><tr class="m"><td class="b">DEC</td><td class="c">JAN</td><td class="f">FEB</td></tr>
<tr class="d"><td class="b">14</td><td class="c">15</td><td class="f">16</td></tr>
<tr class="y"><td class="b">2023</td><td class="c">2024</td><td class="f">2025</td></tr></table>
<div id="wm-capinfo"><a href="#">About this capture</a> COLLECTED BY Organization: Internet Archive. TIMESTAMPS</div>
</div></div></div>
<!-- END WAYBACK TOOLBAR INSERT -->
"""
ARCHIVE_TAIL = """
<!--
     FILE ARCHIVED ON 08:30:12 Jan 15, 2024 AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON 10:11:12 Mar 02, 2025.
     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.
-->"""


def page_html(page: Page, options: Html, print_style: str = "") -> str:
    """The whole document, as text (encode it with `page_bytes`)."""
    home = "https://center.ncsu.edu/nccte-cms/"
    if options.wrapper == "archive":
        home = ARCHIVE + home
    charset = options.encoding
    if options.wrapper == "saved":
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    else:
        meta = f'<meta charset="{charset}">'
    head = [
        meta,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Credential Information</title>",
    ]
    if options.wrapper == "archive":
        head.insert(0, ARCHIVE_HEAD.format(url=page.url, stamp=ARCHIVE_STAMP))
    if options.wrapper == "saved":
        head.insert(1, f'<base href="{home}">')
        head.append('<link rel="stylesheet" href="./Credential Information_files/bootstrap.min.css">')
        head.append('<script src="./Credential Information_files/jquery-3.6.0.min.js"></script>')
    else:
        head.append(f'<link rel="stylesheet" href="{home}css/site.css">')
    if options.hidden:
        head.append(HIDING_STYLE)
    if options.scripts:
        head.append(SCRIPTS_HEAD)
    if print_style:
        head.append(f"<style>{print_style}</style>")
    body = []
    if options.wrapper == "archive":
        body.append(ARCHIVE_TOOLBAR.format(url=page.url, stamp=ARCHIVE_STAMP))
    if options.site:
        body.append(SITE_HEADER.format(home=home))
    if options.hidden:
        body.append('<div class="visually-hidden" aria-live="polite">Page loaded</div>\n')
    body.append('<main id="main" class="container">\n')
    body.append(_heading(page))
    if options.comments:
        body.append(
            f"<!-- {page.school_year} directory, generated 2023-08-01; previous heading: Credential Details -->\n"
        )
    body.append(blocks_html(page, options))
    body.append("</main>\n")
    if options.scripts:
        body.append(SCRIPTS_BODY)
    if options.site:
        body.append(SITE_FOOTER.format(home=home))
    document = "<!DOCTYPE html>\n"
    if options.wrapper == "saved":
        document += f"<!-- saved from url=({len(page.url):04d}){page.url} -->\n"
    document += (
        '<html lang="en">\n<head>\n' + "\n".join(head) + "\n</head>\n<body>\n" + "".join(body) + "</body>\n</html>"
    )
    if options.wrapper == "archive":
        document += ARCHIVE_TAIL
    return document


def page_bytes(page: Page, options: Html, print_style: str = "") -> bytes:
    return page_html(page, options, print_style).encode(options.encoding, errors="xmlcharrefreplace")


def html_dimensions(options: Html) -> dict[str, str]:
    """The markup choices a rendering is reported by (fuzz results, fixture index)."""
    return {
        "markup": options.markup,
        "site chrome": str(options.site),
        "scripts": str(options.scripts),
        "hidden": str(options.hidden),
        "comments": str(options.comments),
        "wrapper": options.wrapper,
        "encoding": options.encoding,
    }
