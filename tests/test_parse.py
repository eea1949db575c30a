"""parse.py in process, by hand: one document read into typed rows, label/value rows and its cause; documents'
label rows validated together; parts written to the store, on this process or a pool; a process that dies.

Pages are written here as the directory prints them; every expected value is read off the page by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from pipeline import cache, parse
from pipeline.read.documents import DocumentRef
from pipeline.tables.stored import from_stored

YEAR_HEADING = "<h1>2023-2024 Credential Information</h1>"
CPT = """<h2>Certified Production Technician</h2>
<table>
<tr><th>Credential Name</th><td>Certified Production Technician</td></tr>
<tr><th>Credential Vendor Info</th><td>MSSC<br>https://www.msscusa.org</td></tr>
<tr><th>Exam Time Allotment</th><td>90 minutes</td></tr>
<tr><th>Shoe Size</th><td>9</td></tr>
<tr><th>Directory Notes</th><td>None</td></tr>
</table>"""
SECOND = """<h2>Second One</h2>
<table>
<tr><th>Credential Name</th><td>Other Name</td></tr>
<tr><th>Directory Notes</th><td>None</td></tr>
</table>"""


def _html(*parts: str) -> str:
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def _ref(tmp_path: Path, name: str, content: str | bytes, **fields) -> DocumentRef:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    kind = fields.pop("kind", "html")
    folder = fields.pop("folder_year", "2023-2024")
    values = {"url": None, "cred_id": None, "course_id": None, "origin": None, **fields}
    return DocumentRef(str(path), f"{folder}/{kind}/{name}", kind, folder, **values)


def test_a_credential_page_gives_its_block_typed_with_the_id_and_source_of_its_file(tmp_path):
    page = _html(YEAR_HEADING, CPT)
    url = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=5"
    ref = _ref(tmp_path, "c5.html", page, url=url, cred_id=5, origin="archive")
    result = parse.read_document(ref)
    assert (result.path, result.unreadable, result.notes, result.course_credentials) == (
        "2023-2024/html/c5.html",
        None,
        [],
        [],
    )
    (typed,) = result.credentials
    row = typed.credential
    assert (row["credential_name"], row["cred_id"], row["school_year"], row["is_draft"]) == (
        "Certified Production Technician",
        5,
        "2023-2024",
        False,
    )
    assert (row["vendor_name"], row["vendor_url"], row["exam_minutes"]) == ("MSSC", "https://www.msscusa.org", 90)
    assert (row["source_path"], row["source_url"], row["source_format"], row["source_origin"]) == (
        "2023-2024/html/c5.html",
        url,
        "html",
        "archive",
    )
    assert row["source_sha256"] == hashlib.sha256(page.encode()).hexdigest()
    assert typed.block == 1


def test_a_course_page_gives_every_block_with_no_cred_id_and_every_pair_as_found(tmp_path):
    ref = _ref(tmp_path, "course.html", _html(YEAR_HEADING, CPT, SECOND), cred_id=5, course_id=62)
    result = parse.read_document(ref)
    names = [(t.credential["credential_name"], t.credential["cred_id"], t.block) for t in result.credentials]
    assert names == [("Certified Production Technician", None, 1), ("Other Name", None, 2)]
    assert result.notes == ["block 2: title 'Second One' differs from its Credential Name 'Other Name' (the name)"]
    path = "2023-2024/html/course.html"
    assert result.label_values == {
        "school_year": ["2023-2024"] * 7,
        "source_path": [path] * 7,
        "block": [1, 1, 1, 1, 1, 2, 2],
        "credential_slug": ["certified-production-technician"] * 5 + ["other-name"] * 2,
        "label": [
            "Credential Name",
            "Credential Vendor Info",
            "Exam Time Allotment",
            None,
            "Directory Notes",
            "Credential Name",
            "Directory Notes",
        ],
        "label_raw": [
            "Credential Name",
            "Credential Vendor Info",
            "Exam Time Allotment",
            "Shoe Size",
            "Directory Notes",
            "Credential Name",
            "Directory Notes",
        ],
        "value": [
            "Certified Production Technician",
            "MSSC\nhttps://www.msscusa.org",
            "90 minutes",
            "9",
            "None",
            "Other Name",
            "None",
        ],
        "position": [1, 2, 3, 4, 5, 1, 2],
    }


def test_the_pages_school_year_wins_over_its_folders_and_the_disagreement_is_a_note(tmp_path):
    ref = _ref(tmp_path, "c.html", _html(YEAR_HEADING, CPT), folder_year="2024-2025")
    result = parse.read_document(ref)
    assert result.notes == ["school year 2023-2024 on the page, folder says 2024-2025"]
    assert result.credentials[0].credential["school_year"] == "2023-2024"


GLUED = """2023-2024 Credential Information

Certified Production Technician

Credential NameCertified Production Technician
Credential Vendor InfoMSSC
Exam Time Allotment2 hours
Directory NotesNone
"""


def test_a_text_document_is_read_as_text(tmp_path):
    result = parse.read_document(_ref(tmp_path, "c.txt", GLUED, kind="text"))
    (typed,) = result.credentials
    assert (typed.credential["credential_name"], typed.credential["exam_minutes"]) == (
        "Certified Production Technician",
        120,
    )
    assert typed.credential["source_format"] == "text"


@pytest.mark.parametrize(
    ("page", "cause"),
    [
        (
            _html("<p>Page not found</p>"),
            "no credential block and no school year heading (not a directory page?)",
        ),
        (
            _html(YEAR_HEADING),
            "no credential block (cut before the first block, or an error page)",
        ),
    ],
)
def test_a_page_without_a_block_says_why(tmp_path, page, cause):
    result = parse.read_document(_ref(tmp_path, "p.html", page))
    assert (result.unreadable, result.credentials, result.label_values) == (cause, [], {})


def test_a_page_cut_inside_its_first_title_names_the_cut_title(tmp_path):
    page = "2023-2024 Credential Information\n\nCertified Produc"
    result = parse.read_document(_ref(tmp_path, "p.txt", page, kind="text"))
    assert result.unreadable == "cut inside the title of its first credential ('Certified Produc'); no credential block"


def test_a_missing_file_is_that_documents_cause_not_an_error(tmp_path):
    ref = _ref(tmp_path, "gone.html", "x")
    os.unlink(ref.path)
    result = parse.read_document(ref)
    assert result.path == "2023-2024/html/gone.html"
    assert (result.credentials, result.unreadable) == ([], "cannot read file: No such file or directory")


def test_an_unforeseen_failure_is_the_documents_cause_with_its_kind_and_its_message_cut(tmp_path, monkeypatch):
    def broken(text):
        raise ValueError("x" * 400)

    monkeypatch.setattr(parse, "parse_html", broken)
    result = parse.read_document(_ref(tmp_path, "p.html", _html(YEAR_HEADING, CPT)))
    assert result.unreadable == "cannot be read (ValueError: " + "x" * 300 + ")"
    assert (result.path, result.credentials) == ("2023-2024/html/p.html", [])


def _listing_row(code: str, title: str, name: str, federal: bool | None) -> dict:
    return {"course_code": code, "course_title": title, "credential_name": name, "federal_reporting": federal}


def _pdf(monkeypatch, content) -> None:
    from pipeline.read import pdf_worker

    monkeypatch.setattr(pdf_worker, "read_pdf", lambda data: content)


@pytest.mark.parametrize(("listing_year", "year"), [("2024-2025", "2024-2025"), (None, "2023-2024")])
def test_a_listing_pdf_gives_course_credentials_of_its_printed_year_or_else_its_folders(
    tmp_path, monkeypatch, listing_year, year
):
    from pipeline.read.pdf import PdfContent

    listing = [_listing_row("CD11", " Adobe Visual  Design II", "Adobe Certified Professional", True)]
    _pdf(monkeypatch, PdfContent(page=None, listing=listing, listing_year=listing_year))
    result = parse.read_document(_ref(tmp_path, "listing.pdf", b"%PDF-1.4", kind="pdf"))
    assert result.unreadable is None
    assert result.course_credentials == [
        {
            "school_year": year,
            "course_code": "CD11",
            "course_title": "Adobe Visual Design II",
            "credential_name": "Adobe Certified Professional",
            "credential_slug": "adobe-certified-professional",
            "federal_reporting": True,
            "source_path": "2023-2024/pdf/listing.pdf",
        }
    ]


def test_a_listing_pdf_without_rows_is_unreadable_and_says_so(tmp_path, monkeypatch):
    from pipeline.read.pdf import PdfContent

    _pdf(monkeypatch, PdfContent(page=None, listing=[], listing_year="2024-2025"))
    result = parse.read_document(_ref(tmp_path, "listing.pdf", b"%PDF-1.4", kind="pdf"))
    assert (result.unreadable, result.course_credentials) == ("Credentials by Course listing with no rows", [])


@pytest.mark.parametrize(
    ("manifest_url", "cred_id"),
    [
        (None, 1264),  # no manifest URL: the footer's URL names the page
        ("https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=7", 7),
    ],
)
def test_a_printed_page_takes_its_ids_from_its_footer_only_when_the_manifest_gives_no_url(
    tmp_path, monkeypatch, manifest_url, cred_id
):
    from pipeline.read.html import parse_html
    from pipeline.read.pdf import PdfContent

    footer = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=1264"
    _pdf(monkeypatch, PdfContent(page=parse_html(_html(YEAR_HEADING, CPT)), url=footer))
    named_id = 7 if manifest_url else None
    ref = _ref(tmp_path, "c.pdf", b"%PDF-1.4", kind="pdf", url=manifest_url, cred_id=named_id)
    (typed,) = parse.read_document(ref).credentials
    assert (typed.credential["cred_id"], typed.credential["source_format"]) == (cred_id, "pdf")


def _key(ref: DocumentRef, content: str) -> str:
    sha = hashlib.sha256(content.encode()).hexdigest()
    fields = [ref.rel_path, ref.kind, ref.folder_year, ref.url, ref.cred_id, ref.course_id, ref.origin, sha]
    return json.dumps(fields, separators=(",", ":"))


def _store(tmp_path: Path) -> cache.Store:
    (tmp_path / "cache").mkdir(parents=True)
    return cache.Store(tmp_path / "cache")


def test_parsed_documents_are_written_to_the_store_keyed_by_the_bytes_read_with_their_facts(tmp_path):
    good, bad = _html(YEAR_HEADING, CPT), _html("<p>Page not found</p>")
    refs = [_ref(tmp_path, "a.html", good, cred_id=5), _ref(tmp_path, "b.html", bad)]
    store, messages = _store(tmp_path), []
    parse.parse_all([("planned-a", refs[0]), ("planned-b", refs[1])], store, 1, messages.append)
    key_a, key_b = _key(refs[0], good), _key(refs[1], bad)
    assert list(store.facts) == [key_a, key_b]
    assert store.facts[key_a] == cache.Facts(
        key_a,
        "2023-2024/html/a.html",
        ("2023-2024\x1fcertified-production-technician",),
        False,
        None,
        (),
        ("Shoe Size",),
        label_rows=5,
        unknown_labels=True,
        label_rejects="[]",
    )
    cause = "no credential block and no school year heading (not a directory page?)"
    assert store.facts[key_b] == cache.Facts(key_b, "2023-2024/html/b.html", (), False, cause, (), ())
    assert messages == ["parsed 2/2 documents"]
    stored = store.results([key_a])[key_a]
    back = from_stored(stored.result)
    assert [(t.credential["credential_name"], t.credential["cred_id"], t.block) for t in back.credentials] == [
        ("Certified Production Technician", 5, 1)
    ]
    assert back.course_credentials == []
    assert (stored.facts.path, stored.facts.unreadable, stored.facts.notes) == ("2023-2024/html/a.html", None, ())
    assert back.credentials[0].source.sha256 == hashlib.sha256(good.encode()).hexdigest()


def test_a_file_gone_before_it_is_parsed_is_keyed_by_its_cause(tmp_path):
    ref = _ref(tmp_path, "gone.html", "x")
    os.unlink(ref.path)
    key, result = parse._read_keyed(("planned", ref))
    fields = [
        ref.rel_path,
        "html",
        "2023-2024",
        None,
        None,
        None,
        None,
        "unreadable for now: cannot read file: No such file or directory",  # ENOENT: it may come back
    ]
    assert key == json.dumps(fields, separators=(",", ":"))
    assert (result.path, result.unreadable) == (
        "2023-2024/html/gone.html",
        "cannot read file: No such file or directory",
    )


def test_results_made_here_are_written_as_one_part_and_none_writes_nothing(tmp_path):
    store = _store(tmp_path)
    parse.write_results(store, [])
    assert (sorted(os.listdir(store.folder)), store.facts) == ([], {})
    result = parse.DocumentResult("2023-2024/html/x.html", unreadable="over 64 MB; not read")
    parse.write_results(store, [("k", result)])
    assert sorted(os.listdir(store.folder)) == ["documents-1.parquet"]
    assert store.facts == {"k": cache.Facts("k", "2023-2024/html/x.html", (), False, "over 64 MB; not read", (), ())}
    assert store.results(["k"])["k"].result == {"credentials": [], "course_credentials": []}


def _label_columns(path: str, rows: list[tuple]) -> dict[str, list]:
    names = ("school_year", "block", "credential_slug", "label", "label_raw", "value", "position")
    columns = {name: [row[at] for row in rows] for at, name in enumerate(names)}
    return {"source_path": [path] * len(rows), **columns}


def test_documents_label_rows_are_validated_together_and_each_keeps_its_own_counts_and_rejects():
    first = _label_columns("a.html", [("2023-2024", 1, "cpt", "Credential Name", "Credential Name", "CPT", 1)])
    second = _label_columns(
        "b.html",
        [
            ("2023-2025", 1, "x", None, "Shoe Size", "9", 1),  # a year that is no school year: nulled, kept
            ("2023-2024", 0, "x", "Credential Name", "Credential Name", "X", 2),  # block 0: the row is left out
            ("2023-2024", 1, "x", "Directory Notes", "Directory Notes", "None", 3),
        ],
    )
    empty = _label_columns("c.html", [])
    table, counts, facts = parse.validated_labels([first, empty, second])
    assert counts == [1, 0, 2]
    assert table.column("source_path").to_pylist() == ["a.html", "b.html", "b.html"]
    assert table.column("school_year").to_pylist() == ["2023-2024", None, "2023-2024"]
    assert [(count, unknown) for count, unknown, _ in facts] == [(1, False), (0, False), (2, True)]
    assert (facts[0][2], facts[1][2]) == ("[]", "[]")
    rejects = json.loads(facts[2][2])
    assert sorted((r["column"], r["failure_case"]) for r in rejects) == [("block", "0"), ("school_year", "2023-2025")]
    assert {r["source_path"] for r in rejects} == {"b.html"}


@pytest.mark.parametrize(
    ("documents", "workers", "size"),
    [(1, 2, 1), (6, 2, 1), (7, 2, 2), (200, 2, 34), (3000, 4, 250), (10_000, 2, 512), (10_000, 1, 512)],
)
def test_a_pools_part_is_a_third_of_a_workers_share_of_the_documents_and_at_most_512(documents, workers, size):
    assert parse._part_size(documents, workers) == size


@pytest.mark.parametrize(
    ("items", "size", "batches"), [(5, 2, [(0, 1), (2, 3), (4,)]), (4, 2, [(0, 1), (2, 3)]), (0, 3, [])]
)
def test_items_are_batched_in_order_the_last_batch_shorter(items, size, batches):
    assert list(parse._batched(range(items), size)) == batches


def test_progress_is_reported_at_the_end_and_at_most_once_a_second_before(monkeypatch):
    clock = iter([0.0, 0.5, 1.5, 1.5, 2.0, 2.2, 2.2])
    monkeypatch.setattr(parse.time, "monotonic", lambda: next(clock))
    messages: list[str] = []
    progress = parse._Progress(10, messages.append)  # at 0.0
    progress.done(2)  # 0.5: too soon
    progress.done(3)  # 1.5: reported (and the clock read again)
    progress.done(1)  # 2.0: 0.5 s after the last report
    progress.done(4)  # 2.2: the last documents
    assert messages == ["parsed 5/10 documents", "parsed 10/10 documents"]


@pytest.mark.parametrize("count", [4, 30])  # 30: parts of 5 documents, a quarter of which is not a whole number
def test_a_document_that_kills_its_process_is_its_own_cause_and_the_others_are_parsed(tmp_path, monkeypatch, count):
    real = parse.read_document
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setattr("pipeline.workers.start", lambda parent: (marks / str(os.getpid())).write_text(str(parent)))

    def deadly(ref, data=None):
        if not (marks / str(os.getpid())).exists():  # a process that was not started as workers.start says
            (marks / f"unstarted-{os.getpid()}").touch()
        if ref.rel_path.endswith("killer.html"):
            os._exit(9)  # in the pool's process, forked from this one
        return real(ref, data)

    monkeypatch.setattr(parse, "read_document", deadly)
    page = _html(YEAR_HEADING, CPT)
    names = ["a.html", "killer.html"] + [f"{number:02}.html" for number in range(count - 2)]
    refs = [_ref(tmp_path, name, page) for name in names]
    store = _store(tmp_path)
    for name, facts in parse._pooled([("k", ref) for ref in refs], store, 2):
        store.add(name, facts)
    by_path = {facts.path: facts.unreadable for facts in store.facts.values()}
    stored = store.results(list(store.facts))  # every part written in the store's folder, and read back
    assert sorted(item.facts.path for item in stored.values()) == sorted(by_path)
    died = "the process reading it died (killed, or out of memory); not read"
    assert by_path == {f"2023-2024/html/{name}": died if name == "killer.html" else None for name in names}
    assert list(marks.glob("unstarted-*")) == []


def _pdf_marks(monkeypatch, marks: Path, content, die_in_a_pool: bool = False) -> None:
    """PDFs "read" in process (a file `read-<pid>-<bytes>` marks each), `close_now` marking the process it ran in."""
    from pipeline.read import pdf_worker

    parent = os.getpid()

    def read_pdf(data: bytes):
        if die_in_a_pool and os.getpid() != parent:
            os._exit(9)  # the pool process reading the PDFs dies
        (marks / f"read-{os.getpid()}-{data.decode()}").touch()
        return content

    monkeypatch.setattr(pdf_worker, "read_pdf", read_pdf)
    monkeypatch.setattr(pdf_worker, "close_now", lambda: (marks / f"closed-{os.getpid()}").touch())


def test_with_many_documents_the_pdfs_are_one_task_of_the_pool_read_beside_the_rest_and_added_last(
    tmp_path, monkeypatch
):
    from pipeline.read.pdf import PdfContent

    marks = tmp_path / "marks"
    marks.mkdir()
    listing = [_listing_row("CD11", "Adobe Visual Design II", "Adobe Certified Professional", True)]
    _pdf_marks(monkeypatch, marks, PdfContent(page=None, listing=listing, listing_year="2023-2024"))
    monkeypatch.setattr(parse, "_PART", 2)  # 3 PDFs: two parts
    page = _html(YEAR_HEADING, CPT)
    pdfs = [("k", _ref(tmp_path, f"{name}.pdf", name, kind="pdf")) for name in ("l1", "l2", "l3")]
    misses = [pdfs[0]] + [("k", _ref(tmp_path, f"{number:03}.html", page)) for number in range(199)] + pdfs[1:]
    store = _store(tmp_path)
    parse.parse_all(misses, store, 2, lambda message: None)
    readers = {mark.name.split("-")[1] for mark in marks.glob("read-*")}
    assert sorted(mark.name.split("-")[2] for mark in marks.glob("read-*")) == ["l1", "l2", "l3"]  # each once
    assert len(readers) == 1 and readers != {str(os.getpid())}  # one pool process read them all, not this one
    assert sorted(mark.name for mark in marks.glob("closed-*")) == [f"closed-{pid}" for pid in readers]
    paths = [facts.path for facts in store.facts.values()]
    assert paths[-3:] == ["2023-2024/pdf/l1.pdf", "2023-2024/pdf/l2.pdf", "2023-2024/pdf/l3.pdf"]
    assert sorted(paths[:-3]) == [f"2023-2024/html/{number:03}.html" for number in range(199)]
    assert len(store.results(list(store.facts))) == 202  # every part read back where the store says it is
    assert [store.facts[key].listing for key in list(store.facts)[-3:]] == [True, True, True]
    assert [store._where[key][0] for key in list(store.facts)[-3:]] == [  # parts of at most _PART
        store._where[list(store.facts)[-3]][0],
        store._where[list(store.facts)[-3]][0],
        store._where[list(store.facts)[-1]][0],
    ] and store._where[list(store.facts)[-3]][0] != store._where[list(store.facts)[-1]][0]


def test_pdfs_whose_pool_process_died_are_read_here_once_the_rest_are_parsed(tmp_path, monkeypatch):
    from pipeline.read.pdf import PdfContent

    marks = tmp_path / "marks"
    marks.mkdir()
    listing = [_listing_row("CD11", "Adobe Visual Design II", "Adobe Certified Professional", True)]
    _pdf_marks(monkeypatch, marks, PdfContent(page=None, listing=listing, listing_year=None), die_in_a_pool=True)
    page = _html(YEAR_HEADING, CPT)
    misses = [("k", _ref(tmp_path, f"{number:02}.html", page)) for number in range(13)]
    misses.append(("k", _ref(tmp_path, "p.pdf", "p", kind="pdf")))
    store = _store(tmp_path)
    for name, facts in parse._pooled(misses, store, 2):
        store.add(name, facts)
    assert [mark.name for mark in marks.glob("read-*")] == [f"read-{os.getpid()}-p"]  # here, once
    by_path = {facts.path: facts.unreadable for facts in store.facts.values()}
    assert by_path == {
        **{f"2023-2024/html/{number:02}.html": None for number in range(13)},
        "2023-2024/pdf/p.pdf": None,
    }
    assert list(by_path)[-1] == "2023-2024/pdf/p.pdf"
    assert len(store.results(list(store.facts))) == 14


def test_a_pools_pdfs_are_one_part_named_after_the_rests_parts_and_come_back_last(tmp_path, monkeypatch):
    from pipeline.read.pdf import PdfContent

    marks = tmp_path / "marks"
    marks.mkdir()
    _pdf_marks(monkeypatch, marks, PdfContent(page=None, listing=[], listing_year=None))
    page = _html(YEAR_HEADING, CPT)
    misses = [("k", _ref(tmp_path, f"{number:02}.html", page)) for number in range(13)]
    misses.insert(5, ("k", _ref(tmp_path, "p.pdf", "p", kind="pdf")))
    store = _store(tmp_path)
    written = list(parse._pooled(misses, store, 2))
    # 13 others: parts of ceil(13 / (2 workers * 3)) = 3, documents-1 to -5; then the PDF's one part, documents-6
    assert [(name, [facts.path for facts in part]) for name, part in written] == [
        (
            f"documents-{number + 1}.parquet",
            [f"2023-2024/html/{at:02}.html" for at in range(3 * number, 3 * number + 3)],
        )
        for number in range(4)
    ] + [("documents-5.parquet", ["2023-2024/html/12.html"]), ("documents-6.parquet", ["2023-2024/pdf/p.pdf"])]
    assert sorted(os.listdir(store.folder)) == [f"documents-{number}.parquet" for number in range(1, 7)]
    [read] = [mark.name for mark in marks.glob("read-*")]
    assert read.endswith("-p") and read != f"read-{os.getpid()}-p"  # in a pool process


def test_pdfs_whose_pool_process_died_are_tried_in_the_pool_once(tmp_path, monkeypatch):
    from pipeline.read import pdf_worker
    from pipeline.read.pdf import PdfContent

    tries = tmp_path / "tries"
    tries.mkdir()
    parent = os.getpid()

    def read_pdf(data: bytes):
        (tries / str(os.getpid())).touch()
        if os.getpid() != parent:
            os._exit(9)
        return PdfContent(page=None, listing=[], listing_year=None)

    monkeypatch.setattr(pdf_worker, "read_pdf", read_pdf)
    page = _html(YEAR_HEADING, CPT)
    misses = [("k", _ref(tmp_path, f"{number:02}.html", page)) for number in range(30)]
    misses.append(("k", _ref(tmp_path, "p.pdf", "p", kind="pdf")))
    store = _store(tmp_path)
    assert [part[-1].path for _, part in parse._pooled(misses, store, 2)][-1] == "2023-2024/pdf/p.pdf"
    tried = sorted(int(mark.name) for mark in tries.iterdir())
    assert len(tried) == 2 and parent in tried  # once in a pool process (which died), then here


def test_only_pdfs_whose_pool_process_died_are_read_here(tmp_path, monkeypatch):
    from pipeline.read.pdf import PdfContent

    marks = tmp_path / "marks"
    marks.mkdir()
    listing = [_listing_row("CD11", "Adobe Visual Design II", "Adobe Certified Professional", True)]
    _pdf_marks(monkeypatch, marks, PdfContent(page=None, listing=listing, listing_year=None), die_in_a_pool=True)
    misses = [("k", _ref(tmp_path, f"{name}.pdf", name, kind="pdf")) for name in ("p", "q")]
    store = _store(tmp_path)
    for name, facts in parse._pooled(misses, store, 2):
        store.add(name, facts)
    assert sorted(mark.name for mark in marks.glob("read-*")) == [f"read-{os.getpid()}-p", f"read-{os.getpid()}-q"]
    assert {facts.path: facts.unreadable for facts in store.facts.values()} == {
        "2023-2024/pdf/p.pdf": None,
        "2023-2024/pdf/q.pdf": None,
    }


def test_below_two_hundred_documents_or_with_one_worker_nothing_is_pooled(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "_pooled", lambda *args: pytest.fail("pooled"))
    page = _html(YEAR_HEADING, CPT)
    few = [("k", _ref(tmp_path, f"{number:03}.html", page)) for number in range(199)]
    parse.parse_all(few, _store(tmp_path / "few"), 2, lambda message: None)
    parse.parse_all(few + [("k", _ref(tmp_path, "x.html", page))], _store(tmp_path / "one"), 1, lambda m: None)


@pytest.mark.parametrize("workers", [2, 3])
def test_from_two_hundred_documents_and_two_workers_every_miss_is_pooled_on_the_workers_given(
    tmp_path, monkeypatch, workers
):
    """Rule: 200 documents (_PARALLEL_FROM) and more than one worker make a pool of exactly the workers given."""
    calls = []
    monkeypatch.setattr(parse, "_pooled", lambda misses, store, count: calls.append((misses, store, count)) or iter(()))
    misses = [("k", _ref(tmp_path, f"{number:03}.html", "<p>x</p>")) for number in range(200)]
    store = _store(tmp_path)
    parse.parse_all(misses, store, workers, lambda message: None)
    assert calls == [(misses, store, workers)]


def test_a_stored_result_reads_back_with_its_listing_rows_its_cause_and_notes_kept_as_its_facts(tmp_path, monkeypatch):
    from pipeline.read.pdf import PdfContent

    lost = _html(YEAR_HEADING)  # a 2023-2024 page in the 2024-2025 folder, cut before its first block
    listing = [_listing_row("CD11", "Adobe Visual Design II", "Adobe Certified Professional", False)]
    _pdf(monkeypatch, PdfContent(page=None, listing=listing, listing_year="2024-2025"))
    refs = [
        _ref(tmp_path, "lost.html", lost, folder_year="2024-2025"),
        _ref(tmp_path, "listing.pdf", b"%PDF-1.4", kind="pdf", folder_year="2024-2025"),
    ]
    store = _store(tmp_path)
    parse.parse_all([("k", ref) for ref in refs], store, 1, lambda message: None)
    by_path = {stored.facts.path: stored for stored in store.results(list(store.facts)).values()}
    cut = by_path["2024-2025/html/lost.html"]
    assert (cut.facts.unreadable, cut.facts.notes, from_stored(cut.result)) == (
        "no credential block (cut before the first block, or an error page)",
        ("school year 2023-2024 on the page, folder says 2024-2025",),
        ([], []),
    )
    listed = by_path["2024-2025/pdf/listing.pdf"]
    assert (listed.facts.unreadable, listed.facts.notes, from_stored(listed.result).credentials) == (None, (), [])
    assert from_stored(listed.result).course_credentials == [
        {
            "school_year": "2024-2025",
            "course_code": "CD11",
            "course_title": "Adobe Visual Design II",
            "credential_name": "Adobe Certified Professional",
            "credential_slug": "adobe-certified-professional",
            "federal_reporting": False,
            "source_path": "2024-2025/pdf/listing.pdf",
        }
    ]


def test_the_stores_facts_say_which_document_gave_listing_rows(tmp_path, monkeypatch):
    from pipeline.read.pdf import PdfContent

    listing = [_listing_row("CD11", "Adobe Visual Design II", "Adobe Certified Professional", None)]
    _pdf(monkeypatch, PdfContent(page=None, listing=listing, listing_year="2024-2025"))
    refs = [_ref(tmp_path, "listing.pdf", b"%PDF-1.4", kind="pdf"), _ref(tmp_path, "c.html", _html(YEAR_HEADING, CPT))]
    store = _store(tmp_path)
    parse.parse_all([("k", ref) for ref in refs], store, 1, lambda message: None)
    assert {facts.path: facts.listing for facts in store.facts.values()} == {
        "2023-2024/pdf/listing.pdf": True,
        "2023-2024/html/c.html": False,
    }


def test_a_pdf_is_read_from_the_bytes_given(tmp_path, monkeypatch):
    from pipeline.read.pdf import PdfContent

    seen = []
    monkeypatch.setattr(
        "pipeline.read.pdf_worker.read_pdf", lambda data: seen.append(data) or PdfContent(listing=[], listing_year=None)
    )
    parse.read_document(_ref(tmp_path, "l.pdf", b"%PDF-1.4 on disk", kind="pdf"), b"%PDF-1.4 given")
    assert seen == [b"%PDF-1.4 given"]


def test_a_document_is_parsed_from_the_bytes_read_not_read_again(tmp_path):
    ref = _ref(tmp_path, "c.html", _html(YEAR_HEADING, SECOND))  # on disk now: another page
    read = _html(YEAR_HEADING, CPT).encode()
    (typed,) = parse.read_document(ref, read).credentials
    assert typed.credential["credential_name"] == "Certified Production Technician"
    assert typed.credential["source_sha256"] == hashlib.sha256(read).hexdigest()


def test_a_file_changed_after_it_was_read_is_parsed_and_keyed_as_read(tmp_path, monkeypatch):
    from pipeline.read import documents

    ref = _ref(tmp_path, "c.html", _html(YEAR_HEADING, SECOND))
    read = _html(YEAR_HEADING, CPT)
    contents = iter([read.encode()])  # the file changes just after it is read: a second read finds another page
    real = documents.read_bytes
    monkeypatch.setattr(documents, "read_bytes", lambda ref: next(contents, None) or real(ref))
    key, result = parse._read_keyed(("planned", ref))
    assert key == _key(ref, read)
    assert [t.credential["credential_name"] for t in result.credentials] == ["Certified Production Technician"]


NAMELESS = """<h2></h2>
<table>
<tr><th>Credential Name</th><td></td></tr>
<tr><th>Directory Notes</th><td>None</td></tr>
</table>"""


REPEATED = """<h2>Welding Basics</h2>
<table>
<tr><th>Credential Name</th><td>Welding Basics</td></tr>
<tr><th>Credential Lifespan</th><td>3 years</td></tr>
<tr><th>Credential Lifespan</th><td>2 years</td></tr>
<tr><th>Directory Notes</th><td>None</td></tr>
</table>"""


def test_a_label_met_again_opens_a_block_whose_note_says_it_has_no_name_value_and_no_title(tmp_path):
    """The second Credential Lifespan row opens a block (two credentials never merge) with no name of its own: the
    note says why (neither a Credential Name value nor a title), not that a title was cut."""
    result = parse.read_document(_ref(tmp_path, "c.html", _html(YEAR_HEADING, REPEATED)))
    assert result.notes == ["block 2 has no name (no Credential Name value, no title); its pairs are kept"]
    assert [(t.credential["credential_name"], t.credential["lifespan_years"]) for t in result.credentials] == [
        ("Welding Basics", 3.0)
    ]
    assert result.label_values["value"] == ["Welding Basics", "3 years", "2 years", "None"]
    assert result.label_values["block"] == [1, 1, 2, 2]


def test_a_block_without_a_name_keeps_its_pairs_with_a_note_and_the_next_block_is_read(tmp_path):
    result = parse.read_document(_ref(tmp_path, "c.html", _html(YEAR_HEADING, NAMELESS, CPT, SECOND)))
    assert result.unreadable is None
    assert result.notes == [
        "block 1 has no name (no Credential Name value, no title); its pairs are kept",
        "block 3: title 'Second One' differs from its Credential Name 'Other Name' (the name)",
    ]
    assert [(t.credential["credential_name"], t.block) for t in result.credentials] == [
        ("Certified Production Technician", 2),
        ("Other Name", 3),
    ]
    assert result.label_values["credential_slug"][:3] == [None, None, "certified-production-technician"]
    assert result.label_values["block"][:3] == [1, 1, 2]


def test_a_documents_label_rejects_are_among_its_facts(tmp_path):
    page = _html("<h1>2023-2025 Credential Information</h1>", SECOND)  # no school year: second year is not first + 1
    ref = _ref(tmp_path, "c.html", page, folder_year="2023-2024")
    store = _store(tmp_path)
    parse.parse_all([("k", ref)], store, 1, lambda message: None)
    (facts,) = store.facts.values()
    assert facts.label_rows == 2
    rejects = json.loads(facts.label_rejects)
    assert [(r["table"], r["column"], r["failure_case"]) for r in rejects] == [
        ("label_values", "school_year", "2023-2025"),
        ("label_values", "school_year", "2023-2025"),
    ]


def test_every_document_of_a_part_keeps_its_own_label_rows_past_the_first_row_group(tmp_path):
    misses = []
    for number in range(130):  # more than two row groups (64 documents) in one part
        block = f"<h2>Name {number}</h2><table><tr><th>Credential Name</th><td>Name {number}</td></tr></table>"
        misses.append(("k", _ref(tmp_path, f"{number:03}.html", _html(YEAR_HEADING, block))))
    store = _store(tmp_path)
    parse.parse_all(misses, store, 1, lambda message: None)
    keys = list(store.facts)
    for number in (0, 63, 64, 127, 128, 129):
        (table,) = store.label_batches([keys[number]], store_label_schema(), 10)
        assert table.column("value").to_pylist() == [f"Name {number}"]
        assert table.column("source_path").to_pylist() == [f"2023-2024/html/{number:03}.html"]


def store_label_schema():
    from pipeline.tables import validate

    return validate.table_schema("label_values")


def test_progress_waits_more_than_a_second(monkeypatch):
    clock = iter([0.0, 1.0, 2.5, 2.5])
    monkeypatch.setattr(parse.time, "monotonic", lambda: next(clock))
    messages: list[str] = []
    progress = parse._Progress(10, messages.append)
    progress.done(1)  # exactly a second: not yet
    progress.done(1)  # 2.5 s
    assert messages == ["parsed 2/10 documents"]


def test_documents_whose_label_rows_are_all_rejected_keep_none_and_say_why():
    rows = [("2023-2024", 0, "x", "Credential Name", "Credential Name", "X", 1)]  # block 0: no block
    table, counts, facts = parse.validated_labels([_label_columns("a.html", rows), _label_columns("b.html", [])])
    assert (table.num_rows, counts) == (0, [0, 0])
    assert [(count, unknown) for count, unknown, _ in facts] == [(0, False), (0, False)]
    assert [(r["column"], r["failure_case"]) for r in json.loads(facts[0][2])] == [("block", "0")]
    assert facts[1][2] == "[]"


def test_a_pool_parses_each_document_once_in_parts_of_a_third_of_a_workers_share(tmp_path):
    page = _html(YEAR_HEADING, CPT)
    misses = [("k", _ref(tmp_path, f"{number:02}.html", page)) for number in range(13)]
    store = _store(tmp_path)
    written = list(parse._pooled(misses, store, 2))  # parts of ceil(13 / (2 workers * 3)) = 3 documents
    assert [(name, [facts.path for facts in part]) for name, part in written] == [
        (
            f"documents-{number + 1}.parquet",
            [f"2023-2024/html/{at:02}.html" for at in range(3 * number, min(13, 3 * number + 3))],
        )
        for number in range(5)
    ]
    assert sorted(os.listdir(store.folder)) == [f"documents-{number}.parquet" for number in range(1, 6)]


@pytest.mark.parametrize("workers", [1, 2])
def test_every_pool_process_starts_as_workers_start_says_with_the_runs_pid_and_no_more_than_asked(
    tmp_path, monkeypatch, workers
):
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setattr("pipeline.workers.start", lambda parent: (marks / str(os.getpid())).write_text(str(parent)))
    page = _html(YEAR_HEADING, CPT)
    misses = [("k", _ref(tmp_path, f"{number}.html", page)) for number in range(6)]
    store = _store(tmp_path)
    assert sum(len(part) for _, part in parse._pooled(misses, store, workers)) == 6
    started = list(marks.iterdir())
    assert len(started) == workers  # a fork pool starts its processes at once
    assert {mark.read_text() for mark in started} == {str(os.getpid())}


@pytest.mark.parametrize(("kinds", "sessions"), [(["html", "pdf", "text"], 1), (["html", "text"], 0)])
def test_a_run_with_pdfs_reads_them_in_one_pdf_session_and_one_without_starts_none(
    tmp_path, monkeypatch, kinds, sessions
):
    import contextlib

    from pipeline.read import pdf_worker
    from pipeline.read.pdf import PdfContent

    entered = []

    @contextlib.contextmanager
    def session():
        entered.append(True)
        yield

    monkeypatch.setattr(pdf_worker, "session", session)
    _pdf(monkeypatch, PdfContent(listing=[], listing_year=None))
    misses = [("k", _ref(tmp_path, f"d.{kind}", "<p>x</p>", kind=kind)) for kind in kinds]
    parse.parse_all(misses, _store(tmp_path), 1, lambda message: None)
    assert len(entered) == sessions


@pytest.mark.parametrize(
    ("count", "part", "parts"),
    [
        (3, parse._PART, [[0, 1, 2]]),  # fewer than a part: one file
        (5, 2, [[0, 1], [2, 3], [4]]),  # parts of 2 (the constant patched): each document once, in order
    ],
)
def test_documents_parsed_here_are_written_once_each_in_parts_of_at_most_a_part(
    tmp_path, monkeypatch, count, part, parts
):
    from pyarrow import parquet

    monkeypatch.setattr(parse, "_PART", part)
    page = _html(YEAR_HEADING, CPT)
    misses = [("k", _ref(tmp_path, f"{number}.html", page)) for number in range(count)]
    store = _store(tmp_path)
    parse.parse_all(misses, store, 1, lambda message: None)
    names = [f"documents-{number}.parquet" for number in range(1, len(parts) + 1)]
    assert sorted(os.listdir(store.folder)) == names
    held = [parquet.read_table(store.folder / name, columns=["path"])["path"].to_pylist() for name in names]
    assert held == [[f"2023-2024/html/{number}.html" for number in numbers] for numbers in parts]


def test_a_loose_line_too_long_for_a_title_is_not_quoted_as_one(tmp_path):
    """A page whose text ran into one line of 6,000 characters is no title cut short: the cause is one short line."""
    ref = _ref(tmp_path, "long.txt", "2024-2025 Credential Information\n\n" + "Revit Architecture " * 300, kind="text")
    result = parse.read_document(ref)
    assert result.unreadable == "no credential block (cut before the first block, or an error page)"


@pytest.mark.parametrize("length", [199, 200, 201])
def test_a_cut_title_is_quoted_up_to_two_hundred_characters(tmp_path, length):
    """A loose line of up to 200 characters is a title cut short, quoted; one longer is no title."""
    fragment = ("Revit Architecture " * 11)[: length - 1] + "x"  # ends in a letter: the line is `length` long
    page = "2023-2024 Credential Information\n\n" + fragment
    result = parse.read_document(_ref(tmp_path, "p.txt", page, kind="text"))
    if length <= 200:
        assert result.unreadable == f"cut inside the title of its first credential ({fragment!r}); no credential block"
    else:
        assert result.unreadable == "no credential block (cut before the first block, or an error page)"


def test_a_document_that_kills_its_process_alone_keeps_its_planned_key_else_is_keyed_by_its_bytes(
    tmp_path, monkeypatch
):
    """A document not read when planned (a cold run: its key None) whose process dies is keyed by the bytes of its
    file (the key a run finds it under next time); one planned keeps the key it was planned with."""
    monkeypatch.setattr(parse, "read_document", lambda ref, data=None: os._exit(9))  # in the pool's process
    page = _html(YEAR_HEADING, CPT)
    ref = _ref(tmp_path, "killer.html", page)
    store = _store(tmp_path)
    died = "the process reading it died (killed, or out of memory); not read"
    for planned, key in ((None, _key(ref, page)), ("planned", "planned")):
        name, facts = parse._alone((planned, ref), store)
        assert [(item.key, item.path, item.unreadable) for item in facts] == [(key, "2023-2024/html/killer.html", died)]
        assert (store.folder / name).is_file()
