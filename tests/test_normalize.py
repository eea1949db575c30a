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
