"""Every rendering of a hand-written page gives exactly the hand-written rows: no other credential, no drift.

The fixed sample (sample.py) goes through the command line's code (`cli.main extract`, Parquet read
back); `make fuzz` draws thousands more. A failure lists each difference as renderer: credential:
column: expected, got.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io

import pdfplumber
import pytest

from tests.renderings import fixtures
from tests.renderings.check import Rendering, differences, extract_tables, parsed_tables, report
from tests.renderings.credentials import CONTRACT_LABELS, CREDENTIALS
from tests.renderings.listing import HEADERS, ROWS, ListingLayout, render_listing
from tests.renderings.markup import Html, page_bytes
from tests.renderings.pages import PAGES
from tests.renderings.pdfs import PAPERS, PdfLayout, render_pdf
from tests.renderings.renderings import Spec, make
from tests.renderings.sample import SAMPLE, fixture_sample


def _id(spec: Spec) -> str:
    return f"{spec.page}:{spec.label}"


SPECS = SAMPLE + fixture_sample()


@pytest.mark.parametrize("spec", SPECS, ids=[_id(spec) for spec in SPECS])
def test_a_rendering_gives_exactly_the_hand_written_rows(spec):
    rendering = make(spec)
    found = differences(rendering, extract_tables(rendering, through_cli=True))
    assert not found, "\n" + report(found)


# --- the oracle and the check can fail ------------------------------------------------------------------------


def test_every_hand_written_pair_uses_a_contract_label():
    for credential in CREDENTIALS.values():
        labels = [label for label, _ in credential.pairs]
        assert set(labels) <= set(CONTRACT_LABELS), credential.key
        assert labels == sorted(labels, key=CONTRACT_LABELS.index), f"{credential.key}: not in page order"
        assert labels[0] == "Credential Name" and labels[-1] == "Directory Notes"
        assert credential.value("Credential Name") == credential.expected["credential_name"]


def _plain_table(page_key: str) -> Rendering:
    page = PAGES[page_key]
    return Rendering("html/table", "table", page, "html", ".html", page_bytes(page, Html("table")))


def test_the_check_reports_a_value_the_page_does_not_state():
    rendering = _plain_table("credential_bls_provider")
    rendering.data = rendering.data.replace(b"24 months", b"36 months")
    found = differences(rendering, extract_tables(rendering))
    assert {(d.column, d.expected, d.got) for d in found} >= {
        ("lifespan_years", 2.0, 3.0),
        ("lifespan_text", "24 months", "36 months"),
    }


def test_the_check_reports_an_extra_credential_a_missing_one_and_a_drift_label():
    rendering = _plain_table("credential_bls_provider")
    rendering.data = rendering.data.replace(
        b"<h2", b"<h2>Stray Block</h2><table><tr><th>Credential Name</th><td>Stray Block</td></tr></table><h2", 1
    )
    rendering.data = rendering.data.replace(b">Exam Voucher Expiration<", b">Voucher Expiry<")
    found = differences(rendering, extract_tables(rendering))
    columns = {(d.credential, d.column) for d in found}
    assert ("stray-block", "(credential)") in columns
    assert ("(page)", "label_values.label") in columns
    assert ("bls-provider", "voucher_expiration") in columns

    other = dataclasses.replace(rendering, page=PAGES["course_131_im11"])
    missing = differences(other, extract_tables(rendering))
    assert ("certified-production-technician-cpt-safety", "(credential)") in {(d.credential, d.column) for d in missing}


def test_the_check_reports_a_missing_and_an_extra_child_row():
    rendering = _plain_table("credential_comptia_a_core1")
    rendering.data = rendering.data.replace(b"Computer Network Architects (15-1241)", b"Computer Network Architects")
    found = differences(rendering, extract_tables(rendering))
    assert any(d.column == "credential_soc_codes" and d.got == "missing" for d in found)
    rendering = _plain_table("credential_mos_excel")
    rendering.data = rendering.data.replace(b"Data Science (DTSC)", b"Data Science (DTSC)<br>Cloud Computing (CLOU)")
    found = differences(rendering, extract_tables(rendering))
    assert any(d.column == "credential_pathways" and d.expected == "no such row" for d in found)


@pytest.mark.parametrize(
    "spec",
    [
        Spec("course_131_im11", html=Html("table")),
        Spec("credential_bls_provider", html=Html("bold", hidden=True)),
        Spec("credential_comptia_a_core1", html=Html("cards")),
    ],
    ids=["passes", "fails", "extra-credential"],
)
def test_the_fuzz_runs_quick_look_gives_the_whole_extracts_verdict(spec):
    """fuzz.py trusts a pass of the quick look (parse and type, no merge or validation) as a pass."""
    rendering = make(spec)
    quick = differences(rendering, parsed_tables(rendering))
    whole = differences(rendering, extract_tables(rendering))
    assert (not quick) == (not whole)
    assert sorted(map(str, quick)) == sorted(map(str, whole))


# --- the renderers are fair: what the oracle needs is in every rendering ---------------------------------------


def test_the_committed_fixtures_were_made_from_the_current_pages():
    from tools.make_rendering_fixtures import source_of

    stale = [
        name
        for name, fixture in fixtures.index().items()
        if hashlib.sha256(source_of(PAGES[fixture.page], fixture.dimensions)).hexdigest() != fixture.source_sha256
    ]
    assert not stale, f"run `python -m tools.make_rendering_fixtures`: {stale[:5]}"
    assert {fixture.family for fixture in fixtures.index().values()} == {"w3m", "lynx", "chromium"}


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize("producer", ["reportlab", "fpdf2"])
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_no_report_generator_cuts_a_word_of_a_page(producer, paper):
    """A word cut in two at a line end is not a wrap: no layout here does it, so every word is whole."""
    page = PAGES["credential_mos_excel"]
    text = _pdf_text(render_pdf(page, PdfLayout(producer, paper, label_width=1.1 * 72)))
    words = {word for _, value in page.credentials[0].pairs for word in value.split()}
    assert sorted(word for word in words if word not in text) == []


@pytest.mark.parametrize("producer", ["reportlab", "fpdf2"])
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_no_listing_layout_cuts_a_word(producer, paper):
    headers = sorted(HEADERS)[sorted(PAPERS).index(paper)]
    words = {word for row in (*ROWS, HEADERS[headers]) for cell in row for word in cell.split()}
    text = _pdf_text(render_listing(ListingLayout(producer, headers, True, paper, landscape=paper == "letter")))
    assert sorted(word for word in words if word not in text) == []


# --- a page break that only the producer's habit explains -------------------------------------------------------

# Two printouts of CPT Safety whose `Cost of Instructor Training` (`$1,525.00` / `with an online webinar` / blank /
# `$625.00` / `with no webinar` / blank / `Email ...`) breaks across a page. reportlab breaks after `$625.00`, a
# line break, and carries the break to the next page as an empty line (its Paragraph.split does so); fpdf2 breaks
# after `with no webinar`, a blank line, and prints the blank line as the next page's first line.
BREAK_TWINS = {
    "reportlab": (PdfLayout("reportlab", "short", label_width=2.2 * 72, font_size=8.0), "$625.00", "with"),
    "fpdf2": (PdfLayout("fpdf2", "short", label_width=1.6 * 72, font_size=9.0), "webinar", "Email"),
}


def _break_geometry(data: bytes, last: str, first: str) -> tuple[float, float]:
    """(room left under the page's last line, drop of the next page's first line), in line pitches: the room is
    how far the document's lowest line sits below it, the drop how far the next page's first line sits below the
    highest first line of the document's other later pages."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_words() for page in pdf.pages]
    words = [word for page in pages for word in page]
    pitch = next(w["top"] for w in pages[1] if w["text"] == "webinar") - next(
        w["top"] for w in pages[1] if w["text"] == "$1,525.00"
    )
    end = max((w for w in pages[1] if w["text"] == last), key=lambda word: word["top"])  # the page's last line
    start = pages[2][0]
    assert start["text"] == first
    room = max(word["top"] for word in words) - end["top"]
    drop = start["top"] - min(page[0]["top"] for page in pages[3:] + pages[1:2])
    return room / pitch, drop / pitch


def test_a_line_break_and_a_blank_line_can_leave_the_same_page_break():
    """Why no geometry rule reads both twins: the same room under the last line (less than a line), the same one
    empty line atop the next page, and the line break leaves more room than the blank line. What tells them
    apart is the text: reportlab's next page goes on in lower case (`with`), fpdf2's begins a paragraph."""
    (rl_room, rl_drop), (fp_room, fp_drop) = (
        _break_geometry(render_pdf(PAGES["credential_cpt_safety"], layout), last, first)
        for layout, last, first in BREAK_TWINS.values()
    )
    assert 0.5 < fp_room < rl_room < 1  # fpdf2 0.60, reportlab 0.80 of a line pitch to spare
    assert abs(rl_drop - 1) < 0.05 and abs(fp_drop - 1) < 0.05  # one empty line atop the next page, in both


@pytest.mark.parametrize("producer", ["fpdf2", "reportlab"])
def test_the_cost_option_after_a_page_break_keeps_its_condition(producer):
    rendering = make(Spec("credential_cpt_safety", producer, pdf=BREAK_TWINS[producer][0]))
    tables = parsed_tables(rendering)
    costs = tables["instructor_training_costs"][["option", "amount_usd", "condition"]]
    assert [tuple(row) for row in costs.itertuples(index=False)] == [
        (1, 1525.0, "with an online webinar"),
        (2, 625.0, "with no webinar"),
    ]
    assert tables["credentials"]["instructor_training_cost_note"].tolist() == [
        "Email Info@msscusa.org for instructions and to get started."
    ]
