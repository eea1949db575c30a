"""Tests for the mutants that survived the suite (issue 14), each with a real-shaped value and a hand-written answer.

Normalizers: cents in amounts, spaces inside a SOC code, trailing punctuation
on URLs, duplicates in joined lists, `any` for diploma endorsement. The job:
a page's cred_id on a course page's blocks, the year/folder note. Merge: a
cut prefix is not a conflict, child rows come from the best source, a
credential's own page wins a tie.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract import extract
from pipeline.tables import normalize as n


@pytest.mark.parametrize(
    "value, amounts",
    [
        ("$187.50 per participant, materials included", [187.5]),
        ("$1,525.5 with an online webinar", [1525.5]),  # one digit of cents is tens of cents
        ("$1,525.00 with an online webinar\n$625.05 with no webinar", [1525.0, 625.05]),
    ],
)
def test_cents_count_in_amounts(value, amounts):
    options, _ = n.training_costs(value)
    assert [option.amount_usd for option in options] == amounts


def test_spaces_inside_a_soc_code_are_removed():
    assert n.soc_codes("Welders, Cutters, Solderers, and Brazers (51 - 4121)") == [
        n.Soc("51-4121", "Welders, Cutters, Solderers, and Brazers")
    ]


@pytest.mark.parametrize(
    "value, url",
    [
        ("Website: https://www.nocti.org.", "https://www.nocti.org"),
        ("See https://www.servsafe.com/, or call 800.765.2122", "https://www.servsafe.com/"),
        ("Details at https://www.nccer.org/credentials;", "https://www.nccer.org/credentials"),
    ],
)
def test_trailing_punctuation_is_not_part_of_a_url(value, url):
    assert n.first_url(value) == url


def test_joined_lists_keep_each_item_once():
    info = "NOCTI\nO: 800.334.6283\nnocti@nocti.org\nC: 800.334.6283\nNOCTI@nocti.org"
    assert n.vendor(info) == {
        "vendor_name": "NOCTI",
        "vendor_url": None,
        "vendor_emails": "nocti@nocti.org",
        "vendor_phones": "800.334.6283",
    }


@pytest.mark.parametrize("value", ["N/A", "N/A.", "n/a", "None", "Varies", " TBD "])
def test_placeholders_are_null_in_typed_columns_whatever_their_case_or_final_dot(value):
    assert n.lifespan_lifetime(value) is None and n.delivery_modes(value) == (None, None, None)


def test_diploma_endorsement_is_true_when_any_course_reads_yes():
    assert n.diploma_endorsement("FH13 = No\nFH14 = Yes") is True
    assert n.diploma_endorsement("FH13 = No\nFH14 = No") is False


# --- through extract ----------------------------------------------------------------------------

HEADING = "2023-2024 Credential Information\n\n"


def _block(name: str, *pairs: str, notes: bool = True) -> str:
    lines = [f"Credential Name{name}", *pairs] + (["Directory NotesNone"] if notes else [])
    return f"{name}\n\n" + "\n".join(lines) + "\n\n"


def _write(raw: Path, rel: str, text: str, manifest: str = "") -> None:
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if manifest:
        (raw / rel.split("/")[0] / "manifest.csv").write_text(
            "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n" + manifest
        )


def test_a_course_page_url_naming_one_cred_id_gives_it_to_no_block(tmp_path):
    raw = tmp_path / "raw"
    page = HEADING + _block("BLS Provider") + _block("Certified EKG Technician (CET)")
    _write(
        raw,
        "2023-2024/text/course_889.txt",
        page,
        "text/course_889.txt,https://center.ncsu.edu/nccte-cms/credential_info.php?course_id=889&cred_id=1338,,,,,,,\n",
    )
    credentials = extract(raw, tmp_path / "out").tables["credentials"]
    assert credentials["cred_id"].isna().all() and len(credentials) == 2


def test_a_page_whose_year_differs_from_its_folder_is_noted(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", "2024-2025 Credential Information\n\n" + _block("BLS Provider"))
    result = extract(raw, tmp_path / "out")
    assert result.summary["notes"] == {
        "2023-2024/text/credential_5.txt": ["school year 2024-2025 on the page, folder says 2023-2024"]
    }
    assert list(result.tables["credentials"]["school_year"]) == ["2024-2025"]


def test_a_cut_copy_whose_value_starts_the_chosen_one_is_no_conflict(tmp_path):
    raw = tmp_path / "raw"
    whole = "Credential Vendor InfoAmerican Culinary Federation\nRenewal OptionsEvery five years"
    _write(
        raw,
        "2023-2024/text/credential_5.txt",
        HEADING + _block("Certified Fundamentals Cook (CFC)", *whole.split("\n")),
    )
    # The course page's copy is cut inside the vendor's name, and states renewal differently.
    cut = _block(
        "Certified Fundamentals Cook (CFC)", "Renewal OptionsEvery four years", "Credential Vendor InfoAm", notes=False
    )
    _write(raw, "2023-2024/text/course_62.txt", HEADING + cut)
    tables = extract(raw, tmp_path / "out").tables
    assert tables["credentials"].loc[0, "vendor_name"] == "American Culinary Federation"
    assert list(tables["conflicts"]["column"]) == ["renewal_options"]
    assert list(tables["conflicts"]["other"]) == ["Every four years"]


def test_child_rows_come_from_the_best_ranked_source_only(tmp_path):
    raw = tmp_path / "raw"
    html = (
        "<html><body><h2>2023-2024 Credential Information</h2><h3>ServSafe Food Handler</h3><table>"
        "<tr><th>Credential Name</th><td>ServSafe Food Handler</td></tr>"
        "<tr><th>SOC (Standard Occupational Classification) Code(s)</th><td>Cooks, Restaurant (35-2014)</td></tr>"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
    )
    _write(raw, "2023-2024/html/credential_1310.html", html)
    text = _block(
        "ServSafe Food Handler", "SOC (Standard Occupational Classification) Code(s)Chefs and Head Cooks (35-1011)"
    )
    _write(raw, "2023-2024/text/credential_1310.txt", HEADING + text)
    soc = extract(raw, tmp_path / "out").tables["credential_soc_codes"]
    assert list(zip(soc["soc_code"], soc["source_path"], strict=True)) == [
        ("35-2014", "2023-2024/html/credential_1310.html")
    ]


def test_a_credentials_own_page_wins_a_tie_with_a_course_page(tmp_path):
    raw = tmp_path / "raw"
    # Both are complete, final text renderings; the course page's path sorts first, its cred_id is unknown.
    _write(raw, "2023-2024/text/a_course_62.txt", HEADING + _block("BLS Provider", "Exam Time Allotment110 minutes"))
    _write(raw, "2023-2024/text/credential_1301.txt", HEADING + _block("BLS Provider", "Exam Time Allotment90 minutes"))
    tables = extract(raw, tmp_path / "out").tables
    row = tables["credentials"].iloc[0]
    assert (row["exam_minutes"], row["cred_id"], row["source_path"]) == (90, 1301, "2023-2024/text/credential_1301.txt")
    assert sorted(zip(tables["conflicts"]["column"], tables["conflicts"]["other"], strict=True)) == [
        ("exam_minutes", "110"),
        ("exam_time_text", "110 minutes"),
    ]


def test_a_course_page_block_joins_the_collided_credential_whose_name_it_carries(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("C++ Certified Associate Programmer"))
    _write(raw, "2023-2024/text/credential_6.txt", HEADING + _block("C Certified Associate Programmer"))
    # A course page shows both, without cred_ids, and a third whose name is only close to theirs.
    course = (
        _block("C Certified Associate Programmer", "Exam Time Allotment45 minutes")
        + _block("C++ Certified Associate Programmer", "Exam Time Allotment50 minutes")
        + _block("C-Certified Associate Programmer")
    )
    _write(raw, "2023-2024/text/course_889.txt", HEADING + course)
    result = extract(raw, tmp_path / "out")
    credentials = result.tables["credentials"].set_index("credential_slug")
    assert credentials["credential_name"].to_dict() == {
        "c-certified-associate-programmer": "C-Certified Associate Programmer",
        "c-certified-associate-programmer-5": "C++ Certified Associate Programmer",
        "c-certified-associate-programmer-6": "C Certified Associate Programmer",
    }
    assert (
        credentials["exam_minutes"].to_dict()
        == {
            "c-certified-associate-programmer": None,
            "c-certified-associate-programmer-5": 50,
            "c-certified-associate-programmer-6": 45,
        }
        or credentials.loc["c-certified-associate-programmer-5", "exam_minutes"] == 50
    )
    pairs = result.tables["label_values"]
    on_course = pairs[pairs["source_path"] == "2023-2024/text/course_889.txt"]
    assert sorted(set(zip(on_course["block"], on_course["credential_slug"], strict=True))) == [
        (1, "c-certified-associate-programmer-6"),
        (2, "c-certified-associate-programmer-5"),
        (3, "c-certified-associate-programmer"),
    ]
    assert result.summary["slug_collisions"] == [
        "2023-2024 c-certified-associate-programmer: credentials with different cred_ids (5, 6) share this slug; "
        "each is written as c-certified-associate-programmer-<cred_id>"
    ]


def test_child_rows_of_a_renamed_credential_carry_its_new_slug(tmp_path):
    raw = tmp_path / "raw"
    soc = "SOC (Standard Occupational Classification) Code(s)Computer Programmers (15-1251)"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("C++ Certified Associate Programmer", soc))
    _write(raw, "2023-2024/text/credential_6.txt", HEADING + _block("C Certified Associate Programmer"))
    codes = extract(raw, tmp_path / "out").tables["credential_soc_codes"]
    assert list(zip(codes["credential_slug"], codes["soc_code"], strict=True)) == [
        ("c-certified-associate-programmer-5", "15-1251")
    ]


@pytest.mark.parametrize(
    "value, amount", [("$150 per teacher", 150.0), ("$309 per level", 309.0), ("$0 for members", 0.0)]
)
def test_an_amount_without_cents_is_whole_dollars(value, amount):
    (option,), _ = n.training_costs(value)
    assert option.amount_usd == amount


def test_a_page_with_no_school_year_anywhere_is_rejected_with_its_key_and_no_value(tmp_path):
    raw = tmp_path / "raw"
    # A folder not named for a year, a page without the year heading: the required school year is missing.
    _write(raw, "misc/text/credential_9.txt", "Credential Information\n\n" + _block("BLS Provider"))
    rejects = extract(raw, tmp_path / "out").tables["rejects"]
    row = rejects[rejects["table"] == "credentials"].iloc[0]
    assert (row["key"], row["column"], row["check"]) == ("/bls-provider", "school_year", "not_nullable")
    assert pd.isna(row["failure_case"])


def test_a_final_page_outranks_a_draft_even_in_a_better_format(tmp_path):
    raw = tmp_path / "raw"
    draft = (
        "<html><body><h2>2024-2025 Credential Information</h2>"
        "<p>WARNING: This information is considered DRAFT until August 22, 2025.</p>"
        "<h3>Google IT Support Professional Certificate</h3><table>"
        "<tr><th>Credential Name</th><td>Google IT Support Professional Certificate</td></tr>"
        "<tr><th>Exam Passing Requirement</th><td>75% on each graded assessment</td></tr>"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
    )
    _write(raw, "2024-2025/html/credential_2110_draft.html", draft)
    final = "2024-2025 Credential Information\n\n" + _block(
        "Google IT Support Professional Certificate", "Exam Passing Requirement80% on each graded assessment"
    )
    _write(raw, "2024-2025/text/credential_2110.txt", final)
    row = extract(raw, tmp_path / "out").tables["credentials"].iloc[0]
    assert (row["passing_score_percent"], bool(row["is_draft"])) == (80.0, False)


def test_html_outranks_text_whatever_the_folders_sort_order(tmp_path):
    raw = tmp_path / "raw"
    html = (
        "<html><body><h2>2023-2024 Credential Information</h2><h3>BLS Provider</h3><table>"
        "<tr><th>Credential Name</th><td>BLS Provider</td></tr><tr><th>Exam Time Allotment</th><td>90 minutes</td></tr>"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
    )
    _write(raw, "2023-2024/pages/credential_1301.html", html)
    # a text copy in a folder that sorts first ("copies" < "pages")
    _write(raw, "2023-2024/copies/credential_1301.txt", HEADING + _block("BLS Provider", "Exam Time Allotment2 hours"))
    row = extract(raw, tmp_path / "out").tables["credentials"].iloc[0]
    assert (row["exam_minutes"], row["source_format"]) == (90, "html")


def test_a_gap_is_filled_from_a_third_source_past_a_second_that_lacks_it(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_1301.txt", HEADING + _block("BLS Provider", "Credential LifespanTwo years"))
    _write(raw, "2023-2024/text/course_62.txt", HEADING + _block("BLS Provider"))
    _write(raw, "2023-2024/text/course_889.txt", HEADING + _block("BLS Provider", "Exam Time Allotment90 minutes"))
    tables = extract(raw, tmp_path / "out").tables
    row = tables["credentials"].iloc[0]
    assert (row["lifespan_years"], row["exam_minutes"], row["source_path"]) == (
        2.0,
        90,
        "2023-2024/text/credential_1301.txt",
    )
    assert tables["conflicts"].empty


@pytest.mark.parametrize(
    "value, fits", [(2**63 - 1, True), (-(2**63), True), (2**63, False), (-(2**63) - 1, False), (None, True)]
)
def test_int64_bounds_are_inclusive(value, fits):
    from pipeline.tables import validate

    kept, rejects = validate.screen_numbers("credentials", [{"cred_id": value, "credential_slug": "x"}])
    assert (len(rejects) == 0) is fits and len(kept) == 1


def test_a_number_of_forty_digits_is_shown_whole_and_longer_ones_cut(tmp_path):
    from pipeline.tables import validate

    _, rejects = validate.screen_numbers("credentials", [{"cred_id": 10**39}, {"cred_id": 10**40}])
    assert [reject["failure_case"] for reject in rejects] == ["1" + "0" * 39, "1" + "0" * 39 + "... (41 characters)"]


def test_a_label_cut_after_a_value_of_several_lines_is_dropped_as_a_fragment():
    from pipeline.read.text import parse_text

    text = (
        HEADING + "CompTIA Network+\n\nCredential NameCompTIA Network+\nCredential Vendor InfoCompTIA\nJill Thielmann\n"
    )
    page = parse_text(text + "Credential Auto Coll")
    assert page.label_fragment == "Credential Auto Coll"
    assert page.blocks[0].value("vendor_info") == "CompTIA\nJill Thielmann"


def test_flattened_rows_without_spaces_around_the_bars():
    from pipeline.read.text import parse_text

    page = parse_text(
        "2023-2024 Credential Information\nServSafe\n|Credential Name|ServSafe|\n|Credential Vendor Info|MSSC|\n"
    )
    assert page.blocks[0].value("vendor_info") == "MSSC"


def test_four_words_before_a_contact_are_a_name_five_are_a_guess():
    assert n.first_line("National Restaurant Association Solutions servsafe@restaurant.org 800.765.2122") == (
        "National Restaurant Association Solutions"
    )
    assert n.first_line("CompTIA Travis Wilde Account Executive twilde@comptia.org") is None


def test_the_strongest_training_level_wins_not_the_last_alphabetically():
    assert n.instructor_training("No, available on request") == ("available", "on request")


def test_cost_options_after_an_introductory_line_and_three_of_them():
    value = (
        "Teachers can attend for free.\n$150.00 with workshop\n$75.00 online only\n$0.00 for returning teachers\n\n"
        "Contact the vendor for group rates."
    )
    options, note = n.training_costs(value)
    assert [(o.option, o.amount_usd, o.condition) for o in options] == [
        (1, 150.0, "with workshop"),
        (2, 75.0, "online only"),
        (3, 0.0, "for returning teachers"),
    ]
    assert note == "Teachers can attend for free. Contact the vendor for group rates."


def test_three_pol_flags_each_keep_their_own_note():
    flags = n.course_flags(
        "IM21 POL = Yes Note: Safety first\nIM22 POL = No\nIM23 POL = Yes Note: Both parts", pol=True
    )
    assert [(f.code, f.flag, f.note) for f in flags] == [
        ("IM21", True, "Safety first"),
        ("IM22", False, None),
        ("IM23", True, "Both parts"),
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        # one pathway a line, the mark after the name; the next line is a pathway of its own
        ("Advanced Manufacturing (ADMA)^\nWelding Technology (WELD)", [("ADMA", True), ("WELD", False)]),
        # the mark before the names: a `^` that closes its line still belongs to the pathway before it
        (
            "^Advanced Manufacturing (ADMA)\nInformation Security (INSE) ^\n^Welding Technology (WELD)",
            [("ADMA", True), ("INSE", True), ("WELD", True)],
        ),
        # line breaks lost (as in sample 2313), the mark after a name: it goes with the one before it
        ("Computer Engineering (COEN)^Information Security (INSE)", [("COEN", True), ("INSE", False)]),
        # line breaks lost, the value opening with `^`: a `^` between two goes with the one after it
        (
            "^Advanced Manufacturing (ADMA)^Welding Technology (WELD)Culinary Arts (CULA)",
            [("ADMA", True), ("WELD", True), ("CULA", False)],
        ),
    ],
)
def test_the_lco_mark_goes_with_the_right_pathway(value, expected):
    assert [(p.code, p.lco) for p in n.pathways(value)] == expected
    assert all("^" not in (p.name or "") for p in n.pathways(value))


def test_a_block_without_a_title_line_is_named_by_its_credential_name(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_1301.txt", HEADING + "Credential NameBLS Provider\nDirectory NotesNone\n")
    credentials = extract(raw, tmp_path / "out").tables["credentials"]
    assert list(credentials["credential_name"]) == ["BLS Provider"]


def test_course_page_blocks_without_title_lines_keep_their_last_values():
    from pipeline.read.text import parse_text

    page = parse_text(
        HEADING
        + "BLS Provider\n\nCredential NameBLS Provider\nDirectory NotesNone\n"
        + "Credential NameCertified EKG Technician (CET)\nDirectory NotesSee handbook\n"
        + "Certified Fundamentals Cook (CFC)\nCredential NameCertified Fundamentals Cook (CFC)\nDirectory NotesNone\n"
    )
    assert [(block.title, block.value("directory_notes")) for block in page.blocks] == [
        ("BLS Provider", "None"),
        (None, "See handbook"),
        ("Certified Fundamentals Cook (CFC)", "None"),
    ]


def test_a_long_flattened_line_that_contains_a_bar_is_text_not_a_row():
    from pipeline.read.text import parse_text

    sentence = "Students test at an approved Certiport center scheduled through their school's testing coordinator"
    page = parse_text(
        "2023-2024 Credential Information\nServSafe\n| Credential Name | ServSafe |\n"
        f"{sentence} | see the handbook |\n| Directory Notes | None |\n"
    )
    assert [pair.label_raw for pair in page.blocks[0].pairs] == ["Credential Name", "Directory Notes"]


def test_a_cut_label_with_leading_spaces_is_still_a_fragment():
    from pipeline.read.text import parse_text

    page = parse_text("2023-2024 Credential Information\nServSafe\n| Credential Name | ServSafe |\n   | Proctored Env")
    assert page.label_fragment == "Proctored Env"


def test_a_word_that_ends_like_a_connector_is_not_one():
    options, _ = n.training_costs("$150.00 with a mentor\n$75.00 online only")
    assert [o.condition for o in options] == ["with a mentor", "online only"]


def test_two_cred_ids_under_the_very_same_name_stay_two_credentials(tmp_path):
    raw = tmp_path / "raw"
    name = "Microsoft Office Specialist Excel"
    _write(raw, "2023-2024/text/credential_1350.txt", HEADING + _block(name, "Exam Time Allotment50 minutes"))
    _write(raw, "2023-2024/text/credential_2316.txt", HEADING + _block(name, "Exam Time Allotment60 minutes"))
    credentials = extract(raw, tmp_path / "out").tables["credentials"].set_index("credential_slug")
    assert credentials["exam_minutes"].to_dict() == {
        "microsoft-office-specialist-excel-1350": 50,
        "microsoft-office-specialist-excel-2316": 60,
    }


def test_an_email_that_starts_with_x_keeps_it():
    assert n.emails("Xavier Lopez, Manager Xavier.Lopez@pearson.com") == ["xavier.lopez@pearson.com"]


@pytest.mark.parametrize("value, percent", [("Must pass 1 out of 1 exam", 100.0), ("Score 0/0 (pass/fail)", None)])
def test_passing_scores_at_the_edges(value, percent):
    assert n.passing_percent(value) == percent


def test_three_courses_and_a_code_without_a_title():
    found = n.courses("IM20\nIM21 Welding Technology I\nIM22 Welding Technology II\nIM23 Welding Technology III (LCO)")
    assert [(c.code, c.title, c.lco) for c in found] == [
        ("IM20", None, False),
        ("IM21", "Welding Technology I", False),
        ("IM22", "Welding Technology II", False),
        ("IM23", "Welding Technology III", True),
    ]


def test_the_name_after_a_mid_line_lco_mark_is_whole():
    assert [(p.name, p.code) for p in n.pathways("Computer Engineering (COEN)^Information Security (INSE)")] == [
        ("Computer Engineering", "COEN"),
        ("Information Security", "INSE"),
    ]


def test_a_number_in_a_text_column_is_written_as_text():
    from pipeline.tables import validate

    frame = validate.frame(
        "conflicts",
        [
            {
                "school_year": "2023-2024",
                "credential_slug": "x",
                "column": "exam_minutes",
                "chosen": 90,
                "other": 110,
                "chosen_source": "a",
                "other_source": "b",
            }
        ],
    )
    assert (frame.loc[0, "chosen"], frame.loc[0, "other"]) == ("90", "110")


def test_a_course_listed_twice_is_one_row_and_a_duplicate_key_reject(tmp_path):
    raw = tmp_path / "raw"
    courses = "Course Number and TitleIM21 Welding Technology I\nIM21 Welding Technology I"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("AWS Certified Welder", courses))
    tables = extract(raw, tmp_path / "out").tables
    assert list(tables["credential_courses"]["course_code"]) == ["IM21"]
    reject = tables["rejects"].iloc[0]
    assert (reject["table"], reject["key"], reject["column"], reject["check"], reject["failure_case"]) == (
        "credential_courses",
        "2023-2024/aws-certified-welder/IM21",
        "school_year/credential_slug/course_code",
        "duplicate_key",
        "2023-2024/aws-certified-welder/IM21",
    )


def test_a_number_reject_on_a_row_without_a_school_year_keeps_an_empty_key_part(tmp_path):
    raw = tmp_path / "raw"
    page = "Credential Information\n\n" + _block("BLS Provider", "Exam Time Allotment99999999999999999999999 minutes")
    _write(raw, "misc/text/credential_9.txt", page)
    rejects = extract(raw, tmp_path / "out").tables["rejects"]
    minutes = rejects[rejects["column"] == "exam_minutes"].iloc[0]
    assert (minutes["key"], minutes["check"]) == ("/bls-provider", "fits_int64")


def test_the_slow_path_keeps_every_column_and_its_type():
    from pipeline.tables import validate
    from schemas.tables import columns

    frame = validate.frame("credentials", [{"credential_name": 123, "cred_id": 5, "credential_slug": "x"}])
    assert list(frame.columns) == columns("credentials")
    assert frame.loc[0, "credential_name"] == "123" and frame.loc[0, "cred_id"] == 5
    assert str(frame["cred_id"].dtype) == "Int64" and str(frame["credential_name"].dtype).startswith("string")
