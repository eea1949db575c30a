"""Normalizers, table-driven, over values the real pages show (and the contract's examples)."""

from __future__ import annotations

import pytest

from pipeline.tables import normalize as n

COMPTIA_VENDOR_FLAT = (
    "CompTIA Travis Wilde Account Executive, Academic Sales twilde@comptia.org O: 385.233.5328 C: 801.787.5615 "
    "https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners Pearson VUE Steven Reinke, "
    "Channel Sales Manager steven.reinke@pearson.com 612.412.8588 "
    "https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners"
)
NCRLA_VENDOR = (
    "North Carolina Restaurant and Lodging Association\n222 N. Person Street, Suite 210 | Raleigh, NC 27601\n"
    "info@ncrla.org\n919.844.0098\nhttps://www.ncrla.org/"
)


@pytest.mark.parametrize(
    "name, slug",
    [
        (
            "Certified Production Technician (CPT) - Maintenance Awareness",
            "certified-production-technician-cpt-maintenance-awareness",
        ),
        ("CompTIA A+ (Core 1)", "comptia-a-core-1"),
        ("CompTIA Network+", "comptia-network"),
        ("Café Señor: Über-Level", "cafe-senor-uber-level"),
    ],
)
def test_slugify(name, slug):
    assert n.slugify(name) == slug


@pytest.mark.parametrize(
    "value, name, url, emails, phones",
    [
        (
            "MSSC\nhttp://www.msscusa.org/certification/production-certification-cpt",
            "MSSC",
            "http://www.msscusa.org/certification/production-certification-cpt",
            None,
            None,
        ),
        (
            NCRLA_VENDOR,
            "North Carolina Restaurant and Lodging Association",
            "https://www.ncrla.org/",
            "info@ncrla.org",
            "919.844.0098",
        ),
        (
            COMPTIA_VENDOR_FLAT,
            None,
            "https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners",
            "twilde@comptia.org; steven.reinke@pearson.com",
            "385.233.5328; 801.787.5615; 612.412.8588",
        ),
        (
            "Certiport Christy E Dye Manager; Piedmont-Triad Christy.Dye@pearson.com 801.847.3147 Matt Johnson "
            "Matt.Johnson1@pearson.com 801.772.3254",
            None,
            None,
            "christy.dye@pearson.com; matt.johnson1@pearson.com",
            "801.847.3147; 801.772.3254",
        ),
        (
            "American Culinary Federation\ncertify@acfchefs.net\n386.519.6500 X6922",
            "American Culinary Federation",
            None,
            "certify@acfchefs.net",
            "386.519.6500 X6922",
        ),
        ("ServSafe\n(800) 765-2122", "ServSafe", None, None, "(800) 765-2122"),
        ("MSSC http://www.msscusa.org/certification", "MSSC", "http://www.msscusa.org/certification", None, None),
        # a flattened table's lines joined by nothing: the address stops where the web address begins
        (
            "Certiport\nvuesupport@certiport.comhttps://certiport.pearsonvue.com",
            "Certiport",
            "https://certiport.pearsonvue.com",
            "vuesupport@certiport.com",
            None,
        ),
        ("NCCER info@nccer.orgwww.nccer.org", "NCCER", None, "info@nccer.org", None),
        (
            "Council for Professional Recognition and Early Childhood Standards",
            "Council for Professional Recognition and Early Childhood Standards",
            None,
            None,
            None,
        ),
    ],
)
def test_vendor_items(value, name, url, emails, phones):
    assert n.first_line(value) == name
    assert n.first_url(value) == url
    assert n.joined(n.emails(value)) == emails
    assert n.joined(n.phones(value)) == phones


@pytest.mark.parametrize(
    "text", ["222 N. Person Street, Suite 210 | Raleigh, NC 27601", "call (88", "Results (264) Plus"]
)
def test_zip_codes_street_numbers_and_cut_numbers_are_not_phones(text):
    assert n.phones(text) == []


@pytest.mark.parametrize(
    "value, name, email",
    [
        ("David Barbour david.barbour@dpi.nc.gov", "David Barbour", "david.barbour@dpi.nc.gov"),
        ("Gwen Turner\ngwen.turner@dpi.nc.gov", "Gwen Turner", "gwen.turner@dpi.nc.gov"),
        ("LCO", "LCO", None),
        ("Eli Hamrick eli.hamrick@dpi", "Eli Hamrick", "eli.hamrick@dpi"),  # near miss passed on for validation
    ],
)
def test_consultant(value, name, email):
    assert n.consultant(value) == (name, email)


@pytest.mark.parametrize(
    "value, level, note",
    [
        ("Required\nCertification and teacher certification.", "required", "Certification and teacher certification."),
        ("Available Suggested only", "recommended", "only"),
        (
            "Available\nRecommended\nCompTIA offers free instructor resources.",
            "recommended",
            "CompTIA offers free instructor resources.",
        ),
        (
            "Highly recommended\nAdobe Education Exchange offers free courses.",
            "recommended",
            "Adobe Education Exchange offers free courses.",
        ),
        ("Available", "available", None),
        ("None", "none", None),
        ("N/A", "none", None),
        ("Not required", "none", None),
        ("Highly\nRecommended for new teachers", "recommended", "for new teachers"),
        ("No", "none", None),
        ("Instructors decide locally.", None, "Instructors decide locally."),
    ],
)
def test_instructor_training(value, level, note):
    assert n.instructor_training(value) == (level, note)


SEED_COST = (
    "$1,525.00\nwith an online webinar\n\n$625.00\nwith no webinar\n\n"
    "Email Info@msscusa.org for instructions and to get started."
)
PROSTART_COST = (
    "$309.00\nProStart instructor training is specified by the North Carolina Restaurant Association. "
    "For the Foundation curriculum, the Teacher Resource package is $309.00 per level."
)


@pytest.mark.parametrize(
    "value, options, note",
    [
        (
            SEED_COST,
            [(1, 1525.0, "with an online webinar"), (2, 625.0, "with no webinar")],
            "Email Info@msscusa.org for instructions and to get started.",
        ),
        (PROSTART_COST, [(1, 309.0, PROSTART_COST[8:].replace("\n", " "))], None),
        ("N/A", [], "N/A"),
        ("N/A Teachers can receive training for free.", [], "N/A Teachers can receive training for free."),
        ("$0.00", [(1, 0.0, None)], None),
        (
            "$150.00 OR $0.00 for instructors already certified",
            [(1, 150.0, None), (2, 0.0, "for instructors already certified")],
            None,
        ),
        ("Teachers pay $45.00 per registration.", [], "Teachers pay $45.00 per registration."),
        ("$500.00\nICTP\n\nOR $250.00\nrenewal", [(1, 500.0, "ICTP"), (2, 250.0, "renewal")], None),
    ],
)
def test_training_costs(value, options, note):
    found, found_note = n.training_costs(value)
    assert [(o.option, o.amount_usd, o.condition) for o in found] == options
    assert found_note == note


@pytest.mark.parametrize(
    "value, years, lifetime",
    [
        ("5 years", 5.0, False),
        ("12 months", 1.0, False),
        ("18 months", 1.5, False),
        ("valid for two years", 2.0, False),
        ("Lifetime", None, True),
        ("Does not expire", None, True),
        ("No expiration", None, True),
        ("N/A", None, None),
        (None, None, None),
        ("5 years Expiration dates will begin appearing on most transcripts on June 18, 2025", 5.0, False),
    ],
)
def test_lifespan(value, years, lifetime):
    assert n.lifespan_years(value) == years
    assert n.lifespan_lifetime(value) == lifetime


@pytest.mark.parametrize(
    "value, minutes",
    [
        ("90 minutes", 90),
        ("2 hours", 120),
        ("1 hour 30 minutes", 90),
        ("50 min", 50),
        ("2 hours 10 minutes", 130),
        ("N/A", None),
        ("Varies", None),
        (None, None),
    ],
)
def test_exam_minutes(value, minutes):
    assert n.exam_minutes(value) == minutes


@pytest.mark.parametrize(
    "value, percent",
    [
        ("73% or higher", 73.0),
        ("700 out of 1000", 70.0),
        ("700/1000", 70.0),
        ("Pass/Fail", None),
        ("720 out of 900", 80.0),
        ("N/A", None),
    ],
)
def test_passing_percent(value, percent):
    assert n.passing_percent(value) == percent


@pytest.mark.parametrize(
    "value, flag, rest",
    [
        (
            "Yes\nAfter a 15-day waiting period then three attempts.",
            True,
            "After a 15-day waiting period then three attempts.",
        ),
        (
            "Yes Effective 2025-26 See Statewide Articulation Agreement: https://www.ncperkins.org/course/view.php?id=4",
            True,
            "Effective 2025-26 See Statewide Articulation Agreement: https://www.ncperkins.org/course/view.php?id=4",
        ),
        ("No", False, None),
        ("N/A", None, "N/A"),
        ("Yesterday only", None, "Yesterday only"),
    ],
)
def test_leading_yes_no(value, flag, rest):
    assert n.leading_yes_no(value) == (flag, rest)


@pytest.mark.parametrize(
    "value, modes",
    [
        ("On-line and Paper/pencil", (True, True, False)),
        ("On-line", (True, False, False)),
        ("Computer-based and Performance", (True, False, True)),
        ("N/A", (None, None, None)),
    ],
)
def test_delivery_modes(value, modes):
    assert n.delivery_modes(value) == modes


@pytest.mark.parametrize(
    "rest, languages",
    [
        ("English and Spanish", "English; Spanish"),
        ("English, Spanish and French", "English; Spanish; French"),
        (None, None),
    ],
)
def test_languages(rest, languages):
    assert n.languages(rest) == languages


@pytest.mark.parametrize(
    "value, courses",
    [
        ("IM11 Advanced Manufacturing I", [("IM11", "Advanced Manufacturing I", False)]),
        (
            "CI01 Computer Engineering Technology ICL60 Fundamentals of Information Security I (LCO)",
            [
                ("CI01", "Computer Engineering Technology I", False),
                ("CL60", "Fundamentals of Information Security I", True),
            ],
        ),
        (
            "CI01 Computer Engineering Technology I\nCL60 Fundamentals of Information Security I (LCO)",
            [
                ("CI01", "Computer Engineering Technology I", False),
                ("CL60", "Fundamentals of Information Security I", True),
            ],
        ),
        (
            "CD11 Adobe Visual Design IICL21 Digital Media II (LCO)",
            [("CD11", "Adobe Visual Design II", False), ("CL21", "Digital Media II", True)],
        ),
        (
            "CC11 Microsoft ExcelCC12 Microsoft Word",
            [("CC11", "Microsoft Excel", False), ("CC12", "Microsoft Word", False)],
        ),
    ],
)
def test_courses(value, courses):
    assert [(c.code, c.title, c.lco) for c in n.courses(value)] == courses


@pytest.mark.parametrize(
    "value, pol, flags",
    [
        (
            "IM11 POL = Yes\u00a0\u00a0\u00a0\u00a0\u00a0Note: CPT Safety AND CPT Maintenance Awareness MUST PASS BOTH",
            True,
            [("IM11", True, "CPT Safety AND CPT Maintenance Awareness MUST PASS BOTH")],
        ),
        ("CI01 POL = YesCL60 POL = No", True, [("CI01", True, None), ("CL60", False, None)]),
        ("CI01 = Yes CL60 = Yes", False, [("CI01", True, None), ("CL60", True, None)]),
        ("FH13 = Yes", False, [("FH13", True, None)]),
        # A POL flag's note ends where a diploma-endorsement flag starts, and the other way round.
        ("IM11 POL = Yes  FH13 = No", True, [("IM11", True, None)]),
        ("FH13 = No Note: endorsement pending IM11 POL = Yes", False, [("FH13", False, "endorsement pending")]),
        ("Yes", False, []),
    ],
)
def test_course_flags(value, pol, flags):
    assert [(f.code, f.flag, f.note) for f in n.course_flags(value, pol=pol)] == flags


@pytest.mark.parametrize(
    "value, pathways",
    [
        ("^Advanced Manufacturing (ADMA)", [("Advanced Manufacturing", "ADMA", True)]),
        (
            "Computer Engineering (COEN)Information Security (INSE)^",
            [("Computer Engineering", "COEN", False), ("Information Security", "INSE", True)],
        ),
        (
            "Culinary Arts Applications (CULA)\nCulinary Arts Internship (CULI)",
            [("Culinary Arts Applications", "CULA", False), ("Culinary Arts Internship", "CULI", False)],
        ),
        (
            "^Digital Media (DIGM)\nGraphic Design (GRDS)",
            [("Digital Media", "DIGM", True), ("Graphic Design", "GRDS", False)],
        ),
        (
            "^Digital Media (DIGM)^Graphic Design (GRDS)",
            [("Digital Media", "DIGM", True), ("Graphic Design", "GRDS", True)],
        ),
    ],
)
def test_pathways(value, pathways):
    assert [(p.name, p.code, p.lco) for p in n.pathways(value)] == pathways


@pytest.mark.parametrize(
    "value, codes",
    [
        (
            "Chefs and Head Cooks (35-1011)\nFood Service Managers (11-9051)",
            [("35-1011", "Chefs and Head Cooks"), ("11-9051", "Food Service Managers")],
        ),
        (
            "Computer Hardware Engineers (17-2061)Computer Network Architects (15-1241)",
            [("17-2061", "Computer Hardware Engineers"), ("15-1241", "Computer Network Architects")],
        ),
        ("Desktop Publishers (43-903)", [("43-903", "Desktop Publishers")]),  # near miss, for validation to reject
    ],
)
def test_soc_codes(value, codes):
    assert [(s.code, s.title) for s in n.soc_codes(value)] == codes


# --- written for mutmut's survivors in pipeline/tables/normalize.py (tests/mutants_triage.md) ---------------


@pytest.mark.parametrize(
    ("normalizer", "value", "columns"),
    [
        (
            n.vendor,
            "MSSC\ninfo@msscusa.org\n703.123.4567\nhttps://www.msscusa.org/",
            {
                "vendor_name": "MSSC",
                "vendor_url": "https://www.msscusa.org/",
                "vendor_emails": "info@msscusa.org",
                "vendor_phones": "703.123.4567",
            },
        ),
        (
            n.lead_consultant,
            "David Barbour david.barbour@dpi.nc.gov",
            {"lead_consultant_name": "David Barbour", "lead_consultant_email": "david.barbour@dpi.nc.gov"},
        ),
        (
            n.training_requirements,
            "Required\nTeachers attend a two-day workshop.",
            {"instructor_training": "required", "instructor_training_note": "Teachers attend a two-day workshop."},
        ),
        (
            n.lifespan,
            "3 years",
            {"lifespan_years": 3.0, "lifespan_lifetime": False, "lifespan_text": "3 years"},
        ),
        (n.articulation, "Yes\nWith Wake Tech", {"articulation": True, "articulation_note": "With Wake Tech"}),
        (n.sequencing, "No", {"sequencing": False, "sequencing_note": None}),
        (
            n.employer_transferability,
            "Yes, nationally",
            {"employer_transferability": True, "employer_transferability_note": "nationally"},
        ),
        (n.retakes, "Yes\nAfter 30 days", {"retakes_allowed": True, "retake_policy": "After 30 days"}),
        (
            n.delivery,
            "Online or paper",
            {
                "delivery_format": "Online or paper",
                "delivery_online": True,
                "delivery_paper": True,
                "delivery_performance": False,
            },
        ),
        (n.exam_time, "1 hour 30 minutes", {"exam_minutes": 90, "exam_time_text": "1 hour 30 minutes"}),
        (
            n.passing_requirement,
            "700 out of 1000",
            {"passing_score_percent": 70.0, "passing_requirement_text": "700 out of 1000"},
        ),
        (
            n.accommodations,
            "Yes https://example.org/ada",
            {"accommodations_available": True, "accommodations_url": "https://example.org/ada"},
        ),
        (n.multilingual, "Yes\nEnglish and Spanish", {"multilingual": True, "languages": "English; Spanish"}),
        (
            n.training_cost_rows,
            "$1,525.50\nwith an online webinar\n\n$625\nwith no webinar\n\nEmail us to start.",
            {
                "instructor_training_costs": [
                    {"option": 1, "amount_usd": 1525.5, "condition": "with an online webinar"},
                    {"option": 2, "amount_usd": 625.0, "condition": "with no webinar"},
                ],
                "instructor_training_cost_note": "Email us to start.",
            },
        ),
    ],
)
def test_a_whole_field_normalizer_fills_each_column_it_declares_by_name(normalizer, value, columns):
    assert normalizer(value) == columns
    assert n.columns_of(normalizer) == tuple(columns)


def test_a_normalizer_of_one_column_declares_none():
    assert n.columns_of(n.diploma_endorsement) is None
    assert (n.diploma_endorsement("Yes"), n.diploma_endorsement("No")) == (True, False)


def test_child_rows_are_read_from_their_fields_with_the_flags_of_each_course():
    courses = "IM11 Intro to Manufacturing\nIM12 Advanced Manufacturing (LCO)\nIM13 Lean Practices"
    assert n.course_rows(courses, "IM11 POL = Yes  Note: with a lab", "IM11 = Yes  IM12 = No") == [
        {
            "course_code": "IM11",
            "course_title": "Intro to Manufacturing",
            "lco": False,
            "credential_as_pol": True,
            "pol_note": "with a lab",
            "diploma_endorsement": True,
        },
        {
            "course_code": "IM12",
            "course_title": "Advanced Manufacturing",
            "lco": True,
            "credential_as_pol": None,
            "pol_note": None,
            "diploma_endorsement": False,
        },
        {
            "course_code": "IM13",
            "course_title": "Lean Practices",
            "lco": False,
            "credential_as_pol": None,
            "pol_note": None,
            "diploma_endorsement": None,
        },
    ]
    assert n.pathway_rows("^Advanced Manufacturing (ADMA)") == [
        {"pathway_name": "Advanced Manufacturing", "pathway_code": "ADMA", "lco": True}
    ]
    assert n.soc_rows("Chefs and Head Cooks (35-1011)") == [
        {"soc_code": "35-1011", "soc_title": "Chefs and Head Cooks"}
    ]


@pytest.mark.parametrize(
    ("written", "amount"),
    [("$1,525.50", 1525.5), ("$12.5", 12.5), ("$90", 90.0), ("$2e3", 2000.0), ("$1,000.5e2", 100050.0)],
)
def test_an_amount_is_read_with_its_cents_and_its_exponent(written, amount):
    assert n.money_amount(n.patterns.MONEY.search(written)) == amount


@pytest.mark.parametrize(
    ("value", "options"),
    [
        ("OR $50 with a kit", [(1, 50.0, "with a kit")]),  # a connector opening the value belongs to no option
        ("$100 on a CD\n$200 online", [(1, 100.0, "on a CD"), (2, 200.0, "online")]),  # `CD` is no connector
    ],
)
def test_only_a_connector_standing_alone_is_left_out_of_a_cost_options_condition(value, options):
    found, note = n.training_costs(value)
    assert [(o.option, o.amount_usd, o.condition) for o in found] == options
    assert note is None


def test_a_course_without_a_title_has_none_and_each_title_ends_at_the_next_course():
    assert [(c.code, c.title) for c in n.courses("IM11")] == [("IM11", None)]
    assert [(c.code, c.title) for c in n.courses("IM11 Intro CI01 Computers CC12 Word")] == [
        ("IM11", "Intro"),
        ("CI01", "Computers"),
        ("CC12", "Word"),
    ]


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        # past the 28 digits of Decimal's default context, and not a round number
        ("1234567890123456789012345678901 hours", 74074073407407407340740740734060),
        ("1 hour 125 minutes", 185),
    ],
)
def test_exam_minutes_are_exact_whatever_the_number_of_digits(value, minutes):
    assert n.exam_minutes(value) == minutes


@pytest.mark.parametrize(("value", "percent"), [("2 out of 3", 66.6667), ("1/1", 100.0), ("70 out of 0", None)])
def test_a_score_out_of_a_total_is_a_percent_to_four_places_and_out_of_zero_is_none(value, percent):
    assert n.passing_percent(value) == percent


@pytest.mark.parametrize(
    ("value", "pathways"),
    [
        # no value opens with `^`: a caret after a code (spaces between, or glued to the next name) is that code's
        (
            "Computer Engineering (COEN) ^\nInformation Security (INSE)",
            [("Computer Engineering", "COEN", True), ("Information Security", "INSE", False)],
        ),
        (
            "Computer Engineering (COEN)^Information Security (INSE)",
            [("Computer Engineering", "COEN", True), ("Information Security", "INSE", False)],
        ),
        # a line opens with `^`: a caret between two pathways goes with the one after it
        (
            "Digital Media (DIGM)^Graphic Design (GRDS)\n^Web Design (WEBD)",
            [("Digital Media", "DIGM", False), ("Graphic Design", "GRDS", True), ("Web Design", "WEBD", True)],
        ),
        # ... unless it closes its line, or the value
        (
            "^Digital Media (DIGM)^\nGraphic Design (GRDS)",
            [("Digital Media", "DIGM", True), ("Graphic Design", "GRDS", False)],
        ),
        (
            "^Digital Media (DIGM)\nGraphic Design (GRDS)^",
            [("Digital Media", "DIGM", True), ("Graphic Design", "GRDS", True)],
        ),
        # only spaces may stand between a code and its caret: a caret after a letter is the next name's
        ("Alpha (ALPH)X^Beta (BETA)", [("Alpha", "ALPH", False), ("XBeta", "BETA", True)]),
    ],
)
def test_a_caret_between_two_pathways_goes_with_the_one_the_values_layout_gives_it(value, pathways):
    assert [(p.name, p.code, p.lco) for p in n.pathways(value)] == pathways


def test_a_soc_code_written_with_spaces_is_read_without_them():
    assert [(s.code, s.title) for s in n.soc_codes("Engineers (17 - 3023)")] == [("17-3023", "Engineers")]


@pytest.mark.parametrize("value", [None, "   ", "N/A.", "None"])
def test_a_placeholder_is_blank_or_one_of_the_placeholders_with_or_without_a_full_stop(value):
    assert n.is_placeholder(value)


def test_a_name_of_four_words_before_a_contact_is_still_a_name():
    assert n.first_line("AHA BLS CPR Instructors info@aha.org") == "AHA BLS CPR Instructors"


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("see https://example.org/a.", "https://example.org/a"),
        ("https://example.org/form?id=X", "https://example.org/form?id=X"),
    ],
)
def test_a_url_loses_the_sentences_punctuation_after_it_and_nothing_else(value, url):
    assert n.first_url(value) == url


def test_an_email_keeps_its_first_letter_whatever_it_is():
    assert n.emails("X.Li@example.org") == ["x.li@example.org"]


def test_the_strongest_training_level_is_by_strength_not_by_spelling():
    assert n.instructor_training("Not required, available on request") == ("available", "on request")


@pytest.mark.parametrize(
    ("value", "options", "note"),
    [
        ("$100\n$ to be announced", [(1, 100.0, "$ to be announced")], None),  # `$` without digits opens nothing
        ("$100 a\n$200 b\n$300 c", [(1, 100.0, "a"), (2, 200.0, "b"), (3, 300.0, "c")], None),
        ("Fees vary.\n$100 with kit\n\nEmail us.", [(1, 100.0, "with kit")], "Fees vary. Email us."),
    ],
)
def test_each_cost_option_runs_to_the_next_and_the_notes_around_them_are_joined(value, options, note):
    found, found_note = n.training_costs(value)
    assert [(o.option, o.amount_usd, o.condition) for o in found] == options
    assert found_note == note


def test_a_lifespan_in_months_is_in_years_to_four_places():
    assert n.lifespan_years("1 month") == 0.0833


def test_each_course_flags_note_runs_to_the_next_flag():
    flags = n.course_flags("IM11 POL = Yes Note: a IM12 POL = No Note: b IM13 POL = Yes Note: c", pol=True)
    assert [(f.code, f.flag, f.note) for f in flags] == [("IM11", True, "a"), ("IM12", False, "b"), ("IM13", True, "c")]
