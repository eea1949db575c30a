"""Hand-written credentials: each one's label/value pairs in page order (the source the renderers draw) and the
typed `credentials` row and child rows it must give (the oracle).

Both halves are written by hand from real page text: `cpt_maintenance` is the complete seed page
(../shared/seed, cred_id 1118); the others complete the real samples cut at 2,000 bytes
(../shared/samples) with plausible values in the site's style. Nothing here comes from `pipeline`.
A typed column the oracle does not list must be null; `source_format` and `cred_id` depend on the
rendering and the page, so `check.py` adds them; provenance (`source_*`) is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Credential:
    key: str
    school_year: str
    cred_id: int
    title: str  # the title line over the block, as the site prints it
    pairs: tuple[tuple[str, str], ...]  # (label, value) in page order; `\n` is a line break of the page
    expected: dict[str, Any]  # typed columns of `credentials` (null when not listed)
    children: dict[str, list[tuple]] = field(default_factory=dict)  # child table -> rows (CHILD_COLUMNS order)

    @property
    def slug(self) -> str:
        return self.expected["credential_slug"]

    def value(self, label: str) -> str | None:
        return dict(self.pairs).get(label)


# Child rows are compared on these columns (school_year and credential_slug come from the credential).
CHILD_COLUMNS = {
    "credential_courses": (
        "course_code",
        "course_title",
        "lco",
        "credential_as_pol",
        "pol_note",
        "diploma_endorsement",
    ),
    "credential_pathways": ("pathway_name", "pathway_code", "lco"),
    "credential_soc_codes": ("soc_code", "soc_title"),
    "instructor_training_costs": ("option", "amount_usd", "condition"),
}

ARTICULATION_2025 = (
    "Yes\nEffective 2025-26\nSee Statewide Articulation Agreement:\nhttps://www.ncperkins.org/course/view.php?id=4"
)
ARTICULATION_NOTE = (
    "Effective 2025-26 See Statewide Articulation Agreement: https://www.ncperkins.org/course/view.php?id=4"
)

# --- 2023-2024: the seed page, verbatim -----------------------------------------------------------------

MSSC_COST = (
    "$1,525.00\nwith an online webinar\n\n$625.00\nwith no webinar\n\n"
    "Email Info@msscusa.org for instructions and to get started."
)
MSSC_TRAINING = (
    "Required\nCertification and teacher certification. Email Info@msscusa.org for instructions and to get started."
)
MSSC_TEST_SITE = (
    "Schools must become approved MSSC Testing Centers. Email Info@msscusa.org for instructions and to get started."
)
MSSC_PROCTOR = (
    "Certified Proctor (not the certified instructor). Email Info@msscusa.org for instructions and to get started."
)
MSSC_HANDBOOK = "https://www.msscusa.org/wp-content/uploads/2021/02/CPT-Candidate-Handbook_v15-Online-12.2020-1.pdf"
CPT_POL = "IM11 POL = Yes     Note: CPT Safety AND CPT Maintenance Awareness MUST PASS BOTH"
CPT_COURSE = (
    "IM11",
    "Advanced Manufacturing I",
    False,
    True,
    "CPT Safety AND CPT Maintenance Awareness MUST PASS BOTH",
    None,
)
CPT_PATHWAY = ("Advanced Manufacturing", "ADMA", True)
CPT_COSTS = [(1, 1525.0, "with an online webinar"), (2, 625.0, "with no webinar")]

CPT_MAINTENANCE = Credential(
    key="cpt_maintenance",
    school_year="2023-2024",
    cred_id=1118,
    title="Certified Production Technician (CPT) - Maintenance Awareness",
    pairs=(
        ("Credential Name", "Certified Production Technician (CPT) - Maintenance Awareness"),
        ("Credential Vendor Info", "MSSC\nhttp://www.msscusa.org/certification/production-certification-cpt"),
        ("Credential Auto Collect", "No"),
        ("Diploma Endorsement", "Yes"),
        ("Validation Artifact", "Copy of Certificate"),
        ("Credential Lead Consultant", "David Barbour david.barbour@dpi.nc.gov"),
        ("Course Number and Title", "IM11 Advanced Manufacturing I"),
        ("Credential as POL", CPT_POL),
        ("Pathway(s)", "^Advanced Manufacturing (ADMA)"),
        ("Cost of Instructor Training", MSSC_COST),
        ("Instructor Training Requirements", MSSC_TRAINING),
        ("Exam Voucher Expiration", "Lifetime on vouchers until assigned to a student, and then six months."),
        ("Credential Lifespan", "5 years"),
        ("Renewal Options", "N/A\nRecertification is required (retake test)."),
        (
            "SOC (Standard Occupational Classification) Code(s)",
            "Electrical and Electronic Engineering Technologists and Technicians (17-3023)\n"
            "Engineering Technologists and Technicians, Except Drafters, All Other (17-3029)\n"
            "Industrial Engineering Technologists and Technicians (17-3026)\n"
            "Mechanical Engineering Technologists and Technicians (17-3027)",
        ),
        ("Articulation", "No"),
        (
            "Sequencing",
            "Yes\nThe Manufacturing Skill Standards Council (MSSC) provides training and exams for stackable "
            "certifications and is an integral part of numerous certification pathways.",
        ),
        ("Employer Transferability", "Yes"),
        ("Delivery Format", "On-line and Paper/pencil"),
        ("Proctored Environment Required", "Yes"),
        ("Test Site Options and Requirements", MSSC_TEST_SITE),
        ("Testing Environment Requirements", "Provided during proctor training."),
        ("Proctored Requirements", MSSC_PROCTOR),
        ("Exam Time Allotment", "90 minutes"),
        ("Exam Passing Requirement", "73% or higher"),
        ("Retakes", "Yes\nAfter a 15-day waiting period then three attempts."),
        ("Student Accommodations", f"Yes\n{MSSC_HANDBOOK}"),
        ("Multilingual Resources*", "Yes\nEnglish and Spanish"),
        (
            "Directory Notes",
            "Select Certifications, then select the student to see certifications. Print this page for each student "
            'for verification of credentials.\nPrint student\'s certificate from "Candidates" page:\n'
            "https://login.msscusa.org/login",
        ),
    ),
    expected={
        "school_year": "2023-2024",
        "credential_slug": "certified-production-technician-cpt-maintenance-awareness",
        "credential_name": "Certified Production Technician (CPT) - Maintenance Awareness",
        "is_draft": False,
        "vendor_name": "MSSC",
        "vendor_url": "http://www.msscusa.org/certification/production-certification-cpt",
        "auto_collect": False,
        "diploma_endorsement": True,
        "validation_artifact": "Copy of Certificate",
        "lead_consultant_name": "David Barbour",
        "lead_consultant_email": "david.barbour@dpi.nc.gov",
        "instructor_training": "required",
        "instructor_training_note": "Certification and teacher certification. Email Info@msscusa.org for "
        "instructions and to get started.",
        "instructor_training_cost_note": "Email Info@msscusa.org for instructions and to get started.",
        "voucher_expiration": "Lifetime on vouchers until assigned to a student, and then six months.",
        "lifespan_years": 5.0,
        "lifespan_lifetime": False,
        "lifespan_text": "5 years",
        "renewal_options": "N/A Recertification is required (retake test).",
        "articulation": False,
        "sequencing": True,
        "sequencing_note": "The Manufacturing Skill Standards Council (MSSC) provides training and exams for "
        "stackable certifications and is an integral part of numerous certification pathways.",
        "employer_transferability": True,
        "delivery_format": "On-line and Paper/pencil",
        "delivery_online": True,
        "delivery_paper": True,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": MSSC_TEST_SITE,
        "testing_environment_requirements": "Provided during proctor training.",
        "proctor_requirements": MSSC_PROCTOR,
        "exam_minutes": 90,
        "exam_time_text": "90 minutes",
        "passing_score_percent": 73.0,
        "passing_requirement_text": "73% or higher",
        "retakes_allowed": True,
        "retake_policy": "After a 15-day waiting period then three attempts.",
        "accommodations_available": True,
        "accommodations_url": MSSC_HANDBOOK,
        "multilingual": True,
        "languages": "English; Spanish",
        "directory_notes": "Select Certifications, then select the student to see certifications. Print this page "
        'for each student for verification of credentials. Print student\'s certificate from "Candidates" page: '
        "https://login.msscusa.org/login",
        "complete": True,
    },
    children={
        "credential_courses": [CPT_COURSE],
        "credential_pathways": [CPT_PATHWAY],
        "credential_soc_codes": [
            ("17-3023", "Electrical and Electronic Engineering Technologists and Technicians"),
            ("17-3029", "Engineering Technologists and Technicians, Except Drafters, All Other"),
            ("17-3026", "Industrial Engineering Technologists and Technicians"),
            ("17-3027", "Mechanical Engineering Technologists and Technicians"),
        ],
        "instructor_training_costs": CPT_COSTS,
    },
)

# --- 2023-2024: the other CPT module of the same course (its POL note names it), in the seed's style --------

CPT_SAFETY = Credential(
    key="cpt_safety",
    school_year="2023-2024",
    cred_id=1116,
    title="Certified Production Technician (CPT) - Safety",
    pairs=(
        ("Credential Name", "Certified Production Technician (CPT) - Safety"),
        (
            "Credential Vendor Info",
            "MSSC\nhttp://www.msscusa.org/certification/production-certification-cpt\nInfo@msscusa.org\n703.740.0018",
        ),
        ("Credential Auto Collect", "No"),
        ("Diploma Endorsement", "Yes"),
        ("Validation Artifact", "Copy of Certificate"),
        ("Credential Lead Consultant", "David Barbour david.barbour@dpi.nc.gov"),
        ("Course Number and Title", "IM11 Advanced Manufacturing I"),
        ("Credential as POL", CPT_POL),
        ("Pathway(s)", "^Advanced Manufacturing (ADMA)"),
        ("Cost of Instructor Training", MSSC_COST),
        ("Instructor Training Requirements", MSSC_TRAINING),
        ("Exam Voucher Expiration", "Lifetime on vouchers until assigned to a student, and then six months."),
        ("Credential Lifespan", "5 years"),
        ("Renewal Options", "N/A\nRecertification is required (retake test)."),
        (
            "SOC (Standard Occupational Classification) Code(s)",
            "Industrial Engineering Technologists and Technicians (17-3026)\n"
            "Occupational Health and Safety Technicians (19-5012)",
        ),
        ("Articulation", "No"),
        ("Sequencing", "Yes\nSafety is the first of the four CPT modules."),
        ("Employer Transferability", "Yes"),
        ("Delivery Format", "On-line and Paper/pencil"),
        ("Proctored Environment Required", "Yes"),
        ("Test Site Options and Requirements", MSSC_TEST_SITE),
        ("Testing Environment Requirements", "Provided during proctor training."),
        ("Proctored Requirements", MSSC_PROCTOR),
        ("Exam Time Allotment", "1 hour"),
        ("Exam Passing Requirement", "70% or higher"),
        ("Retakes", "Yes\nAfter a 15-day waiting period then three attempts."),
        ("Student Accommodations", f"Yes\n{MSSC_HANDBOOK}"),
        ("Multilingual Resources*", "Yes\nEnglish and Spanish"),
        (
            "Directory Notes",
            'Print student\'s certificate from "Candidates" page:\nhttps://login.msscusa.org/login',
        ),
    ),
    expected={
        "school_year": "2023-2024",
        "credential_slug": "certified-production-technician-cpt-safety",
        "credential_name": "Certified Production Technician (CPT) - Safety",
        "is_draft": False,
        "vendor_name": "MSSC",
        "vendor_url": "http://www.msscusa.org/certification/production-certification-cpt",
        "vendor_emails": "info@msscusa.org",
        "vendor_phones": "703.740.0018",
        "auto_collect": False,
        "diploma_endorsement": True,
        "validation_artifact": "Copy of Certificate",
        "lead_consultant_name": "David Barbour",
        "lead_consultant_email": "david.barbour@dpi.nc.gov",
        "instructor_training": "required",
        "instructor_training_note": "Certification and teacher certification. Email Info@msscusa.org for "
        "instructions and to get started.",
        "instructor_training_cost_note": "Email Info@msscusa.org for instructions and to get started.",
        "voucher_expiration": "Lifetime on vouchers until assigned to a student, and then six months.",
        "lifespan_years": 5.0,
        "lifespan_lifetime": False,
        "lifespan_text": "5 years",
        "renewal_options": "N/A Recertification is required (retake test).",
        "articulation": False,
        "sequencing": True,
        "sequencing_note": "Safety is the first of the four CPT modules.",
        "employer_transferability": True,
        "delivery_format": "On-line and Paper/pencil",
        "delivery_online": True,
        "delivery_paper": True,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": MSSC_TEST_SITE,
        "testing_environment_requirements": "Provided during proctor training.",
        "proctor_requirements": MSSC_PROCTOR,
        "exam_minutes": 60,
        "exam_time_text": "1 hour",
        "passing_score_percent": 70.0,
        "passing_requirement_text": "70% or higher",
        "retakes_allowed": True,
        "retake_policy": "After a 15-day waiting period then three attempts.",
        "accommodations_available": True,
        "accommodations_url": MSSC_HANDBOOK,
        "multilingual": True,
        "languages": "English; Spanish",
        "directory_notes": 'Print student\'s certificate from "Candidates" page: https://login.msscusa.org/login',
        "complete": True,
    },
    children={
        "credential_courses": [CPT_COURSE],
        "credential_pathways": [CPT_PATHWAY],
        "credential_soc_codes": [
            ("17-3026", "Industrial Engineering Technologists and Technicians"),
            ("19-5012", "Occupational Health and Safety Technicians"),
        ],
        "instructor_training_costs": CPT_COSTS,
    },
)

# --- 2023-2024: BLS Provider (sample 2023-2024_course_62_bp.txt, completed) --------------------------------

BLS_PROVIDER = Credential(
    key="bls_provider",
    school_year="2023-2024",
    cred_id=1209,
    title="BLS Provider",
    pairs=(
        ("Credential Name", "BLS Provider"),
        (
            "Credential Vendor Info",
            "AHA BLS CPR\nhttps://www.cpr.heart.org/en/cpr\nMark Ellis, Training Center Coordinator\n"
            "mark.ellis@heart.org\nO: 919.463.8320 X6922\nC: 919.801.2214",
        ),
        ("Credential Auto Collect", "No"),
        ("Diploma Endorsement", "HU40 = No\nHU42 = Yes"),
        ("Validation Artifact", "Copy of the student's AHA eCard"),
        ("Credential Lead Consultant", "Cynthia Newman\ncynthia.newman@dpi.nc.gov"),
        ("Course Number and Title", "HU40 Health Science I\nHU42 Health Science II"),
        ("Credential as POL", "HU40 POL = No\nHU42 POL = Yes"),
        ("Pathway(s)", "^Emergency Medical Services (EMSV)\nHealth Science Foundations (HSFO)"),
        (
            "Cost of Instructor Training",
            "$150.00\nwith the Instructor course\nOR\n$75.00\nonline portion only (HeartCode BLS)\n\n"
            "Contact your AHA Training Center for class dates.",
        ),
        ("Instructor Training Requirements", "Required\nInstructors must hold a current AHA BLS Instructor card."),
        ("Exam Voucher Expiration", "N/A"),
        ("Credential Lifespan", "24 months"),
        ("Renewal Options", "Renew by taking a BLS Renewal course before the card expires."),
        (
            "SOC (Standard Occupational Classification) Code(s)",
            "Emergency Medical Technicians (29-2042)\nNursing Assistants (31-1131)",
        ),
        ("Articulation", "No"),
        ("Sequencing", "No"),
        ("Employer Transferability", "Yes"),
        ("Delivery Format", "Paper/pencil and Performance (skills test)"),
        ("Proctored Environment Required", "Yes"),
        ("Test Site Options and Requirements", "Any AHA Training Center or Training Site."),
        (
            "Testing Environment Requirements",
            "Adult and infant manikins and AED trainers for the skills test \u2013 one per three students.",
        ),
        ("Proctored Requirements", "A current AHA BLS Instructor."),
        ("Exam Time Allotment", "45 minutes"),
        ("Exam Passing Requirement", "84% or higher"),
        ("Retakes", "Yes\nOne remediation attempt on the same day."),
        ("Student Accommodations", "No"),
        ("Multilingual Resources*", "Yes\nEnglish and Spanish"),
        ("Directory Notes", "eCards are issued within 20 days of the course."),
    ),
    expected={
        "school_year": "2023-2024",
        "credential_slug": "bls-provider",
        "credential_name": "BLS Provider",
        "is_draft": False,
        "vendor_name": "AHA BLS CPR",
        "vendor_url": "https://www.cpr.heart.org/en/cpr",
        "vendor_emails": "mark.ellis@heart.org",
        "vendor_phones": "919.463.8320 X6922; 919.801.2214",
        "auto_collect": False,
        "diploma_endorsement": True,
        "validation_artifact": "Copy of the student's AHA eCard",
        "lead_consultant_name": "Cynthia Newman",
        "lead_consultant_email": "cynthia.newman@dpi.nc.gov",
        "instructor_training": "required",
        "instructor_training_note": "Instructors must hold a current AHA BLS Instructor card.",
        "instructor_training_cost_note": "Contact your AHA Training Center for class dates.",
        "voucher_expiration": "N/A",
        "lifespan_years": 2.0,
        "lifespan_lifetime": False,
        "lifespan_text": "24 months",
        "renewal_options": "Renew by taking a BLS Renewal course before the card expires.",
        "articulation": False,
        "sequencing": False,
        "employer_transferability": True,
        "delivery_format": "Paper/pencil and Performance (skills test)",
        "delivery_online": False,
        "delivery_paper": True,
        "delivery_performance": True,
        "proctored": True,
        "test_site_requirements": "Any AHA Training Center or Training Site.",
        "testing_environment_requirements": "Adult and infant manikins and AED trainers for the skills test "
        "\u2013 one per three students.",
        "proctor_requirements": "A current AHA BLS Instructor.",
        "exam_minutes": 45,
        "exam_time_text": "45 minutes",
        "passing_score_percent": 84.0,
        "passing_requirement_text": "84% or higher",
        "retakes_allowed": True,
        "retake_policy": "One remediation attempt on the same day.",
        "accommodations_available": False,
        "multilingual": True,
        "languages": "English; Spanish",
        "directory_notes": "eCards are issued within 20 days of the course.",
        "complete": True,
    },
    children={
        "credential_courses": [
            ("HU40", "Health Science I", False, False, None, False),
            ("HU42", "Health Science II", False, True, None, True),
        ],
        "credential_pathways": [
            ("Emergency Medical Services", "EMSV", True),
            ("Health Science Foundations", "HSFO", False),
        ],
        "credential_soc_codes": [("29-2042", "Emergency Medical Technicians"), ("31-1131", "Nursing Assistants")],
        "instructor_training_costs": [
            (1, 150.0, "with the Instructor course"),
            (2, 75.0, "online portion only (HeartCode BLS)"),
        ],
    },
)

# --- 2025-2026: ProStart (sample 2025-2026_course_889_credential_1338_acadyear.txt, completed) --------------

PROSTART_VENDOR = (
    "North Carolina Restaurant and Lodging Association\n222 N. Person Street, Suite 210 | Raleigh, NC 27601\n"
    "info@ncrla.org\n919.844.0098\nhttps://www.ncrla.org/"
)
PROSTART_COST_CONDITION = (
    "ProStart instructor training is specified by the North Carolina Restaurant Association. For the Foundation "
    "curriculum, the Teacher Resource package is $309.00 per level."
)
PROSTART_SEQUENCING = (
    "The Certificate of Achievement requires a Level 1 and Level 2 exam as well as 400 work hours. The Level 1 exam "
    "most closely aligns with the FH10 Culinary Arts and Hospitality I, FH11 Culinary Arts and Hospitality II "
    "Applications, FH12 Culinary Arts and Hospitality II Internship. The level 2 exam most closely aligns with the "
    "FH13 Culinary Arts and Hospitality III course."
)
PROSTART_ENVIRONMENT = (
    "The location is conducive to exam testing with no distractions, including having additional proctors for "
    "groups larger than 25 students."
)
PROSTART_ACCOMMODATIONS = "https://chooserestaurants.org/prostart/accommodations"

PROSTART = Credential(
    key="prostart",
    school_year="2025-2026",
    cred_id=1338,
    title="ProStart National Certificate of Achievement (COA)",
    pairs=(
        ("Credential Name", "ProStart National Certificate of Achievement (COA)"),
        ("Credential Vendor Info", PROSTART_VENDOR),
        ("Implementation Year", "Before 2022-2023"),
        ("Credential Auto Collect", "No"),
        ("Diploma Endorsement", "FH13 = Yes"),
        ("Validation Artifact", "Teacher Log OR Transcript from ProStart registry system"),
        ("Credential Lead Consultant", "Gwen Turner\ngwen.turner@dpi.nc.gov"),
        ("Course Number and Title", "FH13 Culinary Arts and Hospitality III"),
        ("Credential as POL", "FH13 POL = No"),
        ("Pathway(s)", "Culinary Arts Applications (CULA)\nCulinary Arts Internship (CULI)"),
        ("Cost of Instructor Training", f"$309.00\n{PROSTART_COST_CONDITION}"),
        ("Instructor Training Requirements", "Required\nInstructors must register and take a survey every year."),
        ("Exam Voucher Expiration", "None"),
        ("Credential Lifespan", "Lifetime"),
        ("Renewal Options", "N/A"),
        (
            "SOC (Standard Occupational Classification) Code(s)",
            "Chefs and Head Cooks (35-1011)\nFood Service Managers (11-9051)",
        ),
        ("Articulation", ARTICULATION_2025),
        ("Sequencing", f"Yes\n{PROSTART_SEQUENCING}"),
        ("Employer Transferability", "Yes"),
        ("Delivery Format", "On-line and Paper/pencil"),
        ("Proctored Environment Required", "Yes"),
        ("Test Site Options and Requirements", "N/A"),
        ("Testing Environment Requirements", PROSTART_ENVIRONMENT),
        (
            "Proctored Requirements",
            "Proctor must be a school employee who is not the student\u2019s ProStart instructor.",
        ),
        ("Exam Time Allotment", "2 hours"),
        ("Exam Passing Requirement", "70% or higher"),
        ("Retakes", "Yes\nStudents may retake each exam once after 30 days."),
        ("Student Accommodations", f"Yes\n{PROSTART_ACCOMMODATIONS}"),
        ("Multilingual Resources*", "No"),
        ("Directory Notes", "Print the certificate from the ProStart registry for each student."),
    ),
    expected={
        "school_year": "2025-2026",
        "credential_slug": "prostart-national-certificate-of-achievement-coa",
        "credential_name": "ProStart National Certificate of Achievement (COA)",
        "is_draft": False,
        "vendor_name": "North Carolina Restaurant and Lodging Association",
        "vendor_url": "https://www.ncrla.org/",
        "vendor_emails": "info@ncrla.org",
        "vendor_phones": "919.844.0098",  # not the zip code 27601 nor the street number
        "implementation_year": "Before 2022-2023",
        "auto_collect": False,
        "diploma_endorsement": True,
        "validation_artifact": "Teacher Log OR Transcript from ProStart registry system",
        "lead_consultant_name": "Gwen Turner",
        "lead_consultant_email": "gwen.turner@dpi.nc.gov",
        "instructor_training": "required",
        "instructor_training_note": "Instructors must register and take a survey every year.",
        "voucher_expiration": "None",
        "lifespan_lifetime": True,
        "lifespan_text": "Lifetime",
        "renewal_options": "N/A",
        "articulation": True,
        "articulation_note": ARTICULATION_NOTE,
        "sequencing": True,
        "sequencing_note": PROSTART_SEQUENCING,
        "employer_transferability": True,
        "delivery_format": "On-line and Paper/pencil",
        "delivery_online": True,
        "delivery_paper": True,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": "N/A",
        "testing_environment_requirements": PROSTART_ENVIRONMENT,
        "proctor_requirements": "Proctor must be a school employee who is not the student\u2019s ProStart instructor.",
        "exam_minutes": 120,
        "exam_time_text": "2 hours",
        "passing_score_percent": 70.0,
        "passing_requirement_text": "70% or higher",
        "retakes_allowed": True,
        "retake_policy": "Students may retake each exam once after 30 days.",
        "accommodations_available": True,
        "accommodations_url": PROSTART_ACCOMMODATIONS,
        "multilingual": False,
        "directory_notes": "Print the certificate from the ProStart registry for each student.",
        "complete": True,
    },
    children={
        "credential_courses": [("FH13", "Culinary Arts and Hospitality III", False, False, None, True)],
        "credential_pathways": [
            ("Culinary Arts Applications", "CULA", False),
            ("Culinary Arts Internship", "CULI", False),
        ],
        "credential_soc_codes": [("35-1011", "Chefs and Head Cooks"), ("11-9051", "Food Service Managers")],
        # the second $309.00 sits inside a sentence, so it opens no option
        "instructor_training_costs": [(1, 309.0, PROSTART_COST_CONDITION)],
    },
)

# --- 2025-2026: CompTIA A+ (Core 1) (sample 2025-2026_credential_2313_table.txt, line breaks and end restored) -

COMPTIA_PURCHASE = "https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners"
COMPTIA_SEQUENCING = (
    "CompTIA A+ (Core 1) is part one of a two-part process to complete A+ Certification. Students must pass both "
    "CompTIA A+ (Core 1) and (Core 2) to earn A+ Certification."
)
COMPTIA_RENEWAL = (
    "Yes\nCertification can be renewed by obtaining 20 CEUs with CompTIA's Continuing Education program\nOR\n"
    "Can be renewed if student obtains a higher level certification."
)
PEARSON_FACILITY = "https://home.pearsonvue.com/Documents/Test-center/pearsonvue_facility_requirements.pdf"
COMPTIA_ACCOMMODATIONS = "https://www.comptia.org/testing/testing-policies-procedures/test-policies/accommodations"

COMPTIA_A_CORE1 = Credential(
    key="comptia_a_core1",
    school_year="2025-2026",
    cred_id=2313,
    title="CompTIA A+ (Core 1)",
    pairs=(
        ("Credential Name", "CompTIA A+ (Core 1)"),
        (
            "Credential Vendor Info",
            "CompTIA\nTravis Wilde\nAccount Executive, Academic Sales\ntwilde@comptia.org\nO: 385.233.5328\n"
            f"C: 801.787.5615\n{COMPTIA_PURCHASE}\n\nPearson VUE\nSteven Reinke, Channel Sales Manager\n"
            f"steven.reinke@pearson.com\n612.412.8588\n{COMPTIA_PURCHASE}",
        ),
        ("Credential Auto Collect", "No"),
        ("Diploma Endorsement", "CI01 = Yes\nCL60 = Yes"),
        ("Validation Artifact", "Pearson VUE report OR student certificate"),
        ("Credential Lead Consultant", "Brent Curran\nbrent.curran@dpi.nc.gov"),
        (
            "Course Number and Title",
            "CI01 Computer Engineering Technology I\nCL60 Fundamentals of Information Security I (LCO)",
        ),
        ("Credential as POL", "CI01 POL = Yes\nCL60 POL = No"),
        ("Pathway(s)", "Computer Engineering (COEN)\nInformation Security (INSE)^"),
        ("Cost of Instructor Training", "N/A"),
        ("Instructor Training Requirements", "Available\nSuggested only"),
        ("Exam Voucher Expiration", "1 year"),
        ("Credential Lifespan", "3 years"),
        ("Renewal Options", COMPTIA_RENEWAL),
        (
            "SOC (Standard Occupational Classification) Code(s)",
            "Computer Hardware Engineers (17-2061)\nComputer Network Architects (15-1241)\n"
            "Computer Systems Analysts (15-1211)",
        ),
        ("Articulation", ARTICULATION_2025),
        ("Sequencing", f"Yes\n{COMPTIA_SEQUENCING}"),
        ("Employer Transferability", "Yes"),
        ("Delivery Format", "On-line"),
        ("Proctored Environment Required", "Yes"),
        (
            "Test Site Options and Requirements",
            f"{PEARSON_FACILITY}\nSchools must be an authorized Pearson VUE Test Center.",
        ),
        ("Testing Environment Requirements", "Secure computer lab with the Pearson VUE Athena software installed."),
        ("Proctored Requirements", "Proctors complete the Pearson VUE proctor training."),
        ("Exam Time Allotment", "1 hour 30 minutes"),
        ("Exam Passing Requirement", "675 out of 900"),
        ("Retakes", "Yes\nA 14-day wait applies after the second attempt."),
        ("Student Accommodations", f"Yes\n{COMPTIA_ACCOMMODATIONS}"),
        ("Multilingual Resources*", "Yes\nEnglish, Japanese, German and Spanish"),
        ("Directory Notes", "None"),
    ),
    expected={
        "school_year": "2025-2026",
        "credential_slug": "comptia-a-core-1",
        "credential_name": "CompTIA A+ (Core 1)",
        "is_draft": False,
        "vendor_name": "CompTIA",
        "vendor_url": COMPTIA_PURCHASE,
        "vendor_emails": "twilde@comptia.org; steven.reinke@pearson.com",
        "vendor_phones": "385.233.5328; 801.787.5615; 612.412.8588",  # without the O: and C: prefixes
        "auto_collect": False,
        "diploma_endorsement": True,
        "validation_artifact": "Pearson VUE report OR student certificate",
        "lead_consultant_name": "Brent Curran",
        "lead_consultant_email": "brent.curran@dpi.nc.gov",
        "instructor_training": "recommended",  # Available + Suggested: the stronger wins
        "instructor_training_note": "only",
        "instructor_training_cost_note": "N/A",
        "voucher_expiration": "1 year",
        "lifespan_years": 3.0,
        "lifespan_lifetime": False,
        "lifespan_text": "3 years",
        "renewal_options": "Yes Certification can be renewed by obtaining 20 CEUs with CompTIA's Continuing Education "
        "program OR Can be renewed if student obtains a higher level certification.",
        "articulation": True,
        "articulation_note": ARTICULATION_NOTE,
        "sequencing": True,
        "sequencing_note": COMPTIA_SEQUENCING,
        "employer_transferability": True,
        "delivery_format": "On-line",
        "delivery_online": True,
        "delivery_paper": False,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": f"{PEARSON_FACILITY} Schools must be an authorized Pearson VUE Test Center.",
        "testing_environment_requirements": "Secure computer lab with the Pearson VUE Athena software installed.",
        "proctor_requirements": "Proctors complete the Pearson VUE proctor training.",
        "exam_minutes": 90,
        "exam_time_text": "1 hour 30 minutes",
        "passing_score_percent": 75.0,
        "passing_requirement_text": "675 out of 900",
        "retakes_allowed": True,
        "retake_policy": "A 14-day wait applies after the second attempt.",
        "accommodations_available": True,
        "accommodations_url": COMPTIA_ACCOMMODATIONS,
        "multilingual": True,
        "languages": "English; Japanese; German; Spanish",
        "directory_notes": "None",
        "complete": True,
    },
    children={
        "credential_courses": [
            ("CI01", "Computer Engineering Technology I", False, True, None, True),
            ("CL60", "Fundamentals of Information Security I", True, False, None, True),
        ],
        "credential_pathways": [("Computer Engineering", "COEN", False), ("Information Security", "INSE", True)],
        "credential_soc_codes": [
            ("17-2061", "Computer Hardware Engineers"),
            ("15-1241", "Computer Network Architects"),
            ("15-1211", "Computer Systems Analysts"),
        ],
    },
)

# --- 2025-2026 draft: Microsoft Office Specialist Excel (sample 2025-2026_credential_2316_table.txt, completed) -

MOS_LIFESPAN = (
    "5 years\nExpiration dates will begin appearing on most transcripts on June 18, 2025, with Cisco following on "
    "July 15th, 2025. Test candidates who have earned a certification before this date will see no change to their "
    "current certifications, nor will they expire. After this date, candidates will start to see expiration "
    "information appear on the Certiport website and on their certificates.\n"
    "https://certiport.pearsonvue.com/Educator-resources/Exam-policies/Certification-expiration"
)
MOS_TEST_SITE = (
    "To become an approved test site center: http://www.certiport.com/go\nMost schools are already approved to be a "
    "Certiport Testing Center. For verification of testing center status, call (888) 999-9830."
)
MOS_RETAKES = "https://certiport.pearsonvue.com/Support/Retake-policy"

MOS_EXCEL = Credential(
    key="mos_excel",
    school_year="2025-2026",
    cred_id=2316,
    title="Microsoft Office Specialist Excel",
    pairs=(
        ("Credential Name", "Microsoft Office Specialist Excel"),
        (
            "Credential Vendor Info",
            "Certiport\nChristy E Dye\nManager; Piedmont-Triad, North Central, Northeast, Sandhills, and Southeast "
            "regions\nChristy.Dye@pearson.com\n801.847.3147\n\nMatt Johnson\nManager; Western, Northwest, and "
            "Southwest regions\nMatt.Johnson1@pearson.com\n801.772.3254",
        ),
        ("Credential Auto Collect", "Yes"),
        ("Diploma Endorsement", "CC11 = Yes"),
        ("Validation Artifact", '"Results (264) Plus" report from Certiport OR Copy of certificate'),
        ("Credential Lead Consultant", "Elizabeth Matthews\nelizabeth.matthews@dpi.nc.gov"),
        ("Course Number and Title", "CC11 Microsoft Excel"),
        ("Credential as POL", "CC11 POL = No"),
        ("Pathway(s)", "Data Science (DTSC)\nOffice Administration (OADM)"),
        ("Cost of Instructor Training", "N/A\nTeachers can receive training for free."),
        ("Instructor Training Requirements", "None"),
        ("Exam Voucher Expiration", "1 year"),
        ("Credential Lifespan", MOS_LIFESPAN),
        ("Renewal Options", "N/A"),
        ("Articulation", ARTICULATION_2025),
        ("Sequencing", "No"),
        ("Employer Transferability", "Yes"),
        ("Delivery Format", "On-line"),
        ("Proctored Environment Required", "Yes"),
        ("Test Site Options and Requirements", MOS_TEST_SITE),
        ("Testing Environment Requirements", "Computer lab with the Certiport Console installed."),
        ("Proctored Requirements", "Proctors must pass the free Certiport Proctor exam."),
        ("Exam Time Allotment", "50 minutes"),
        ("Exam Passing Requirement", "700 out of 1000"),
        ("Retakes", f"Yes\nSee the Certiport retake policy: {MOS_RETAKES}"),
        ("Student Accommodations", "Yes"),
        ("Multilingual Resources*", "Yes\nEnglish, Spanish, French, German, Japanese, Korean and Simplified Chinese"),
        ("Directory Notes", "Results Plus lists every exam a student has taken."),
    ),
    expected={
        "school_year": "2025-2026",
        "credential_slug": "microsoft-office-specialist-excel",
        "credential_name": "Microsoft Office Specialist Excel",
        "is_draft": True,
        "vendor_name": "Certiport",
        "vendor_emails": "christy.dye@pearson.com; matt.johnson1@pearson.com",
        "vendor_phones": "801.847.3147; 801.772.3254",
        "auto_collect": True,
        "diploma_endorsement": True,
        "validation_artifact": '"Results (264) Plus" report from Certiport OR Copy of certificate',
        "lead_consultant_name": "Elizabeth Matthews",
        "lead_consultant_email": "elizabeth.matthews@dpi.nc.gov",
        "instructor_training": "none",
        "instructor_training_cost_note": "N/A Teachers can receive training for free.",
        "voucher_expiration": "1 year",
        "lifespan_years": 5.0,
        "lifespan_lifetime": False,  # "nor will they expire" is about earlier certificates
        "lifespan_text": "5 years Expiration dates will begin appearing on most transcripts on June 18, 2025, with "
        "Cisco following on July 15th, 2025. Test candidates who have earned a certification before this date will "
        "see no change to their current certifications, nor will they expire. After this date, candidates will start "
        "to see expiration information appear on the Certiport website and on their certificates. "
        "https://certiport.pearsonvue.com/Educator-resources/Exam-policies/Certification-expiration",
        "renewal_options": "N/A",
        "articulation": True,
        "articulation_note": ARTICULATION_NOTE,
        "sequencing": False,
        "employer_transferability": True,
        "delivery_format": "On-line",
        "delivery_online": True,
        "delivery_paper": False,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": "To become an approved test site center: http://www.certiport.com/go Most schools "
        "are already approved to be a Certiport Testing Center. For verification of testing center status, call "
        "(888) 999-9830.",
        "testing_environment_requirements": "Computer lab with the Certiport Console installed.",
        "proctor_requirements": "Proctors must pass the free Certiport Proctor exam.",
        "exam_minutes": 50,
        "exam_time_text": "50 minutes",
        "passing_score_percent": 70.0,
        "passing_requirement_text": "700 out of 1000",
        "retakes_allowed": True,
        "retake_policy": f"See the Certiport retake policy: {MOS_RETAKES}",
        "accommodations_available": True,
        "multilingual": True,
        "languages": "English; Spanish; French; German; Japanese; Korean; Simplified Chinese",
        "directory_notes": "Results Plus lists every exam a student has taken.",
        "complete": True,
    },
    children={
        "credential_courses": [("CC11", "Microsoft Excel", False, False, None, True)],
        "credential_pathways": [("Data Science", "DTSC", False), ("Office Administration", "OADM", False)],
    },
)

CREDENTIALS: dict[str, Credential] = {
    credential.key: credential
    for credential in (CPT_MAINTENANCE, CPT_SAFETY, BLS_PROVIDER, PROSTART, COMPTIA_A_CORE1, MOS_EXCEL)
}

# The contract's labels (section 2), as printed: every pair above uses one of them, so no drift is expected.
CONTRACT_LABELS = (
    "Credential Name",
    "Credential Vendor Info",
    "Implementation Year",
    "Credential Auto Collect",
    "Diploma Endorsement",
    "Validation Artifact",
    "Credential Lead Consultant",
    "Course Number and Title",
    "Credential as POL",
    "Pathway(s)",
    "Cost of Instructor Training",
    "Instructor Training Requirements",
    "Exam Voucher Expiration",
    "Credential Lifespan",
    "Renewal Options",
    "SOC (Standard Occupational Classification) Code(s)",
    "Articulation",
    "Sequencing",
    "Employer Transferability",
    "Delivery Format",
    "Proctored Environment Required",
    "Test Site Options and Requirements",
    "Testing Environment Requirements",
    "Proctored Requirements",
    "Exam Time Allotment",
    "Exam Passing Requirement",
    "Retakes",
    "Student Accommodations",
    "Multilingual Resources*",
    "Directory Notes",
)
