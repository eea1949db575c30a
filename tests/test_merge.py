"""Typed rows from several sources -> one row per credential (CONTRACT section 5: which source wins, conflicts
listed, slugs shared by different cred_ids). Every source and every expected row is written by hand."""

from __future__ import annotations

import pytest

from pipeline.tables.merge import merge, separate_slugs, source_rank
from pipeline.tables.rows import CredentialRows

CHILDREN = ("credential_courses", "credential_pathways", "credential_soc_codes", "instructor_training_costs")


def _source(path: str, fmt: str = "html", *, cred_id=1, draft=False, complete=True, **values) -> CredentialRows:
    credential = {
        "school_year": "2023-2024",
        "credential_slug": "cpt",
        "cred_id": cred_id,
        "credential_name": "CPT",
        "vendor_name": None,
        "exam_minutes": None,
        "is_draft": draft,
        "complete": complete,
        "source_format": fmt,
        "source_path": path,
        **values,
    }
    return CredentialRows(credential=credential, children={table: [] for table in CHILDREN})


# (the source that must win, the one it beats): each pair differs in one rule and has every later rule against it
WINS = [
    (_source("z.txt", "text"), _source("a.html", "html", draft=True)),  # final over draft, before all else
    (_source("z.txt", "text"), _source("a.html", "html", complete=False)),  # complete over cut, before format
    (_source("z.pdf", "pdf", cred_id=None), _source("a.txt", "text")),  # pdf over text, before a cred_id
    (_source("z.html", "html", cred_id=None), _source("a.pdf", "pdf")),  # html over pdf
    (_source("z.html", cred_id=7), _source("a.html", cred_id=None)),  # its own page over a course page, before path
    (_source("a.html"), _source("b.html")),  # then the path
]


@pytest.mark.parametrize("winner, loser", WINS, ids=["final", "complete", "pdf", "html", "own page", "path"])
def test_a_source_outranks_another_by_the_first_rule_that_tells_them_apart(winner, loser):
    assert source_rank(winner) < source_rank(loser)
    for order in ([winner, loser], [loser, winner]):  # whatever the reading order
        assert merge(order).credentials[0]["source_path"] == winner.credential["source_path"]


def test_each_column_takes_the_best_source_s_value_and_a_different_value_is_a_conflict():
    best = _source("best.html", vendor_name="NIMS")
    second = _source("second.pdf", "pdf", vendor_name="N.I.M.S.", exam_minutes=90)
    third = _source("third.txt", "text", vendor_name="NIMS", exam_minutes=120, credential_name="CPT")
    merged = merge([third, second, best])
    row = merged.credentials[0]
    assert (row["vendor_name"], row["exam_minutes"], row["source_path"]) == ("NIMS", 90, "best.html")
    assert merged.conflicts == [
        {
            "school_year": "2023-2024",
            "credential_slug": "cpt",
            "column": "vendor_name",
            "chosen": "NIMS",
            "other": "N.I.M.S.",
            "chosen_source": "best.html",
            "other_source": "second.pdf",
        },
        {  # exam_minutes was chosen from the second source (the best has none)
            "school_year": "2023-2024",
            "credential_slug": "cpt",
            "column": "exam_minutes",
            "chosen": "90",
            "other": "120",
            "chosen_source": "second.pdf",
            "other_source": "third.txt",
        },
    ]


def test_provenance_columns_are_never_conflicts():
    merged = merge([_source("a.html"), _source("b.pdf", "pdf", source_url="https://x/b", source_sha256="b" * 64)])
    assert merged.conflicts == []
    assert merged.credentials[0]["source_format"] == "html"


@pytest.mark.parametrize(
    "other, conflict",
    [
        (_source("cut.txt", "text", complete=False, vendor_name="National Inst"), False),  # the start: the cut
        (_source("cut.txt", "text", complete=False, vendor_name="Institute"), True),  # not its start
        (_source("full.txt", "text", vendor_name="National Inst"), True),  # a complete source's start is a value
        (_source("cut.txt", "text", complete=False, vendor_name="National Institute for Metalworking"), False),
    ],
    ids=["cut start", "cut other", "complete start", "cut whole"],
)
def test_a_cut_source_s_value_that_starts_the_chosen_one_differs_only_by_the_cut(other, conflict):
    best = _source("best.html", vendor_name="National Institute for Metalworking")
    assert bool(merge([best, other]).conflicts) is conflict


def test_a_cut_source_s_number_is_a_conflict_even_when_its_digits_start_the_chosen_one():
    best = _source("best.html", exam_minutes=120)
    cut = _source("cut.txt", "text", complete=False, exam_minutes=12)
    assert [c["column"] for c in merge([best, cut]).conflicts] == ["exam_minutes"]


def test_child_rows_come_from_the_best_source_that_has_rows_of_that_table():
    best, second = _source("best.html"), _source("second.pdf", "pdf")
    best.children["credential_courses"] = [{"course_code": "IM11"}]
    second.children["credential_courses"] = [{"course_code": "IM12"}]
    second.children["credential_pathways"] = [{"pathway_code": "MFG"}]
    merged = merge([second, best])
    assert merged.children["credential_courses"] == [{"course_code": "IM11"}]  # not both: the best's
    assert merged.children["credential_pathways"] == [{"pathway_code": "MFG"}]  # the best has none
    assert merged.children["credential_soc_codes"] == []


def test_one_row_per_school_year_and_slug_in_their_order():
    rows = [
        _source("b.html", credential_slug="b"),
        _source("a2.html", school_year="2024-2025", credential_slug="a"),
        _source("a.html", credential_slug="a"),
        _source("none.html", school_year=None, credential_slug="c"),
    ]
    keys = [(r["school_year"], r["credential_slug"]) for r in merge(rows).credentials]
    assert keys == [("2023-2024", "a"), ("2023-2024", "b"), ("2024-2025", "a"), (None, "c")]  # "None" sorts last


def _named(path: str, cred_id, name: str, year: str = "2023-2024") -> CredentialRows:
    rows = _source(path, cred_id=cred_id, credential_name=name, school_year=year, credential_slug="osha-10")
    rows.children["credential_courses"] = [{"credential_slug": "osha-10", "course_code": "IC21"}]
    return rows


def test_credentials_sharing_a_slug_but_not_a_cred_id_take_slug_dash_cred_id_and_a_course_page_joins_by_name():
    general = _named("1.html", 1264, "OSHA 10 General")
    construction = _named("2.html", 1301, "OSHA 10: General")  # another name, the same slug
    course_page = _named("course.html", None, "OSHA 10: General")  # no cred_id: joins the one of its exact name
    other_year = _named("old.html", 999, "OSHA 10 General", year="2022-2023")  # alone in its year
    rows, collisions = separate_slugs([general, construction, course_page, other_year])
    assert [r.credential["credential_slug"] for r in rows] == [
        "osha-10-1264",
        "osha-10-1301",
        "osha-10-1301",
        "osha-10",
    ]
    assert [r.children["credential_courses"][0]["credential_slug"] for r in rows] == [
        "osha-10-1264",
        "osha-10-1301",
        "osha-10-1301",
        "osha-10",
    ]
    assert general.credential["credential_slug"] == "osha-10"  # the sources given are not changed
    assert [c.note() for c in collisions] == [
        "2023-2024 osha-10: credentials with different cred_ids (1264, 1301) share this slug; "
        "each is written as osha-10-<cred_id>"
    ]


@pytest.mark.parametrize(
    "sources, slugs",
    [
        (  # the course page's name is both credentials': it cannot tell which, and keeps the plain slug
            [("1.html", 1264, "OSHA 10"), ("2.html", 1301, "OSHA 10"), ("course.html", None, "OSHA 10")],
            ["osha-10-1264", "osha-10-1301", "osha-10"],
        ),
        (  # a name no credential has: the plain slug
            [("1.html", 1264, "OSHA 10"), ("2.html", 1301, "OSHA-10"), ("course.html", None, "OSHA 10 Hour")],
            ["osha-10-1264", "osha-10-1301", "osha-10"],
        ),
        (  # one cred_id and a course page, or one cred_id twice: no collision
            [("1.html", 1264, "OSHA 10"), ("1.pdf", 1264, "OSHA-10"), ("course.html", None, "OSHA 10")],
            ["osha-10", "osha-10", "osha-10"],
        ),
    ],
    ids=["ambiguous name", "unknown name", "one cred_id"],
)
def test_a_source_without_a_cred_id_keeps_the_plain_slug_unless_exactly_one_credential_has_its_name(sources, slugs):
    rows, collisions = separate_slugs([_named(path, cred_id, name) for path, cred_id, name in sources])
    assert [r.credential["credential_slug"] for r in rows] == slugs
    assert len(collisions) == (0 if slugs[0] == "osha-10" else 1)


def test_a_column_after_the_provenance_columns_and_after_two_sources_without_it_is_still_merged():
    """`lifespan_years` comes after the provenance columns in these rows; only the third source has it."""
    best = _source("best.html", lifespan_years=None)
    second = _source("second.pdf", "pdf", lifespan_years=None)
    third = _source("third.txt", "text", lifespan_years=3.0, vendor_name="NIMS")
    row = merge([best, second, third]).credentials[0]
    assert (row["lifespan_years"], row["vendor_name"]) == (3.0, "NIMS")


def test_a_slug_without_a_collision_before_one_with_a_collision_changes_nothing_of_the_other():
    alone = _source("alone.html", credential_slug="cpt")
    rows, collisions = separate_slugs([alone, _named("1.html", 1264, "A"), _named("2.html", 1301, "B")])
    assert [r.credential["credential_slug"] for r in rows] == ["cpt", "osha-10-1264", "osha-10-1301"]
    assert [(c.slug, c.cred_ids) for c in collisions] == [("osha-10", (1264, 1301))]
