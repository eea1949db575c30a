"""Sample credentials for the committed raw/ snapshot (see raw/README.md).

These are SAMPLES written in the shape of the real pages (../shared/samples,
../shared/seed): values the real pages show are reused, the rest is invented
in the same style so that every value format of the contract appears. Real
fetches replace them. A value is a string; `\n` is a line break on the page.
"""

from __future__ import annotations

COMMON = {
    "Credential Auto Collect": "No",
    "Validation Artifact": "Copy of Certificate",
    "Exam Voucher Expiration": "1 year",
    "Renewal Options": "N/A",
    "Articulation": "No",
    "Sequencing": "No",
    "Employer Transferability": "Yes",
    "Delivery Format": "On-line",
    "Proctored Environment Required": "Yes",
    "Test Site Options and Requirements": "Schools must be an approved testing center.",
    "Testing Environment Requirements": "A quiet room with no distractions.",
    "Proctored Requirements": "Certified Proctor (not the certified instructor).",
    "Retakes": "Yes\nAfter a 24-hour waiting period.",
    "Student Accommodations": "Yes",
    "Multilingual Resources*": "No",
    "Directory Notes": "None",
}

CERTIPORT = (
    "Certiport\nChristy E Dye\nManager; Piedmont-Triad, North Central, Northeast, Sandhills, and Southeast regions\n"
    "Christy.Dye@pearson.com\n801.847.3147\nMatt Johnson\nManager; Western, Northwest, and Southwest regions\n"
    "Matt.Johnson1@pearson.com\n801.772.3254"
)
COMPTIA = (
    "CompTIA\nTravis Wilde\nAccount Executive, Academic Sales\ntwilde@comptia.org\nO: 385.233.5328\nC: 801.787.5615\n"
    "https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners"
)
ARTICULATION = (
    "Yes\nEffective 2025-26\nSee Statewide Articulation Agreement:\nhttps://www.ncperkins.org/course/view.php?id=4"
)

# (cred_id, label -> value) per credential, 2023-2024.
CREDENTIALS_2023: list[tuple[int, dict[str, str]]] = [
    (
        1118,
        {
            "Credential Name": "Certified Production Technician (CPT) - Maintenance Awareness",
            "Credential Vendor Info": "MSSC\nhttp://www.msscusa.org/certification/production-certification-cpt",
            "Diploma Endorsement": "Yes",
            "Credential Lead Consultant": "David Barbour david.barbour@dpi.nc.gov",
            "Course Number and Title": "IM11 Advanced Manufacturing I",
            "Credential as POL": "IM11 POL = Yes\u00a0\u00a0\u00a0\u00a0\u00a0Note: CPT Safety AND CPT Maintenance Awareness MUST PASS BOTH",
            "Pathway(s)": "^Advanced Manufacturing (ADMA)",
            "Cost of Instructor Training": "$1,525.00\nwith an online webinar\n\n$625.00\nwith no webinar\n\n"
            "Email Info@msscusa.org for instructions and to get started.",
            "Instructor Training Requirements": "Required\nCertification and teacher certification. "
            "Email Info@msscusa.org for instructions and to get started.",
            "Exam Voucher Expiration": "Lifetime on vouchers until assigned to a student, and then six months.",
            "Credential Lifespan": "5 years",
            "Renewal Options": "N/A\nRecertification is required (retake test).",
            "SOC (Standard Occupational Classification) Code(s)": "Electrical and Electronic Engineering Technologists and Technicians (17-3023)\n"
            "Engineering Technologists and Technicians, Except Drafters, All Other (17-3029)\n"
            "Industrial Engineering Technologists and Technicians (17-3026)\n"
            "Mechanical Engineering Technologists and Technicians (17-3027)",
            "Sequencing": "Yes\nThe Manufacturing Skill Standards Council (MSSC) provides training and exams for stackable "
            "certifications and is an integral part of numerous certification pathways.",
            "Delivery Format": "On-line and Paper/pencil",
            "Test Site Options and Requirements": "Schools must become approved MSSC Testing Centers. "
            "Email Info@msscusa.org for instructions and to get started.",
            "Testing Environment Requirements": "Provided during proctor training.",
            "Proctored Requirements": "Certified Proctor (not the certified instructor). "
            "Email Info@msscusa.org for instructions and to get started.",
            "Exam Time Allotment": "90 minutes",
            "Exam Passing Requirement": "73% or higher",
            "Retakes": "Yes\nAfter a 15-day waiting period then three attempts.",
            "Student Accommodations": "Yes\nhttps://www.msscusa.org/wp-content/uploads/2021/02/"
            "CPT-Candidate-Handbook_v15-Online-12.2020-1.pdf",
            "Multilingual Resources*": "Yes\nEnglish and Spanish",
            "Directory Notes": "Select Certifications, then select the student to see certifications. Print this page for "
            "each student for verification of credentials.\nPrint student's certificate from "
            '"Candidates" page:\nhttps://login.msscusa.org/login',
        },
    ),
    (
        1117,
        {
            "Credential Name": "Certified Production Technician (CPT) - Safety",
            "Credential Vendor Info": "MSSC\nhttp://www.msscusa.org/certification/production-certification-cpt",
            "Diploma Endorsement": "Yes",
            "Credential Lead Consultant": "David Barbour david.barbour@dpi.nc.gov",
            "Course Number and Title": "IM11 Advanced Manufacturing I",
            "Credential as POL": "IM11 POL = Yes     Note: CPT Safety AND CPT Maintenance Awareness MUST PASS BOTH",
            "Pathway(s)": "^Advanced Manufacturing (ADMA)",
            "Cost of Instructor Training": "$1,525.00\nwith an online webinar\n\n$625.00\nwith no webinar",
            "Instructor Training Requirements": "Required",
            "Credential Lifespan": "5 years",
            "SOC (Standard Occupational Classification) Code(s)": "Industrial Engineering Technologists and Technicians (17-3026)\nFirst-Line Supervisors of Production "
            "and Operating Workers (51-1011)",
            "Delivery Format": "On-line and Paper/pencil",
            "Exam Time Allotment": "1 hour 30 minutes",
            "Exam Passing Requirement": "73% or higher",
            "Multilingual Resources*": "Yes\nEnglish and Spanish",
        },
    ),
    (
        1264,
        {
            "Credential Name": "CompTIA Network+",
            "Credential Vendor Info": "CompTIA\nJill Thielmann\nSenior Manager, Academic Partnerships\n"
            "jthielmann@comptia.org\n630.678.8403\nhttps://www.comptia.org/certifications/network",
            "Diploma Endorsement": "CN12 = Yes",
            "Credential Lead Consultant": "Brent Curran brent.curran@dpi.nc.gov",
            "Course Number and Title": "CN12 Computer Networking II",
            "Credential as POL": "CN12 POL = Yes",
            "Pathway(s)": "Network Administration (NETA)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Available\nRecommended\nCompTIA offers free instructor resources.",
            "Credential Lifespan": "3 years",
            "Renewal Options": "Yes\nCertification can be renewed by obtaining 30 CEUs with CompTIA's Continuing "
            "Education program.",
            "SOC (Standard Occupational Classification) Code(s)": "Computer Network Support Specialists (15-1231)\n"
            "Network and Computer Systems Administrators (15-1244)",
            "Articulation": ARTICULATION,
            "Exam Time Allotment": "90 minutes",
            "Exam Passing Requirement": "720 out of 900",
            "Retakes": "Yes\nNo waiting period between the first and second attempt; 14 days before a third.",
        },
    ),
    (
        1262,
        {
            "Credential Name": "CompTIA A+ (Core 1)",
            "Credential Vendor Info": COMPTIA,
            "Diploma Endorsement": "CI01 = Yes\nCL60 = Yes",
            "Credential Lead Consultant": "Brent Curran brent.curran@dpi.nc.gov",
            "Course Number and Title": "CI01 Computer Engineering Technology I\nCL60 Fundamentals of Information Security I (LCO)",
            "Credential as POL": "CI01 POL = Yes\nCL60 POL = No",
            "Pathway(s)": "Computer Engineering (COEN)\nInformation Security (INSE)^",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Available\nSuggested only",
            "Credential Lifespan": "3 years",
            "Renewal Options": "Yes\nCertification can be renewed by obtaining 20 CEUs with CompTIA's Continuing Education "
            "program OR\nCan be renewed if student obtains a higher level certification.",
            "SOC (Standard Occupational Classification) Code(s)": "Computer Hardware Engineers (17-2061)\n"
            "Computer Network Architects (15-1241)\n"
            "Computer Systems Analysts (15-1211)",
            "Articulation": ARTICULATION,
            "Sequencing": "Yes\nCompTIA A+ (Core 1) is part one of a two-part process to complete A+ Certification. "
            "Students must pass both CompTIA A+ (Core 1) and (Core 2) to earn A+ Certification.",
            "Exam Time Allotment": "90 minutes",
            "Exam Passing Requirement": "675 out of 900",
        },
    ),
    (
        1263,
        {
            "Credential Name": "CompTIA A+ (Core 2)",
            "Credential Vendor Info": COMPTIA,
            "Diploma Endorsement": "CI02 = Yes",
            "Credential Lead Consultant": "Brent Curran brent.curran@dpi.nc.gov",
            "Course Number and Title": "CI02 Computer Engineering Technology II",
            "Credential as POL": "CI02 POL = Yes",
            "Pathway(s)": "Computer Engineering (COEN)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Suggested",
            "Credential Lifespan": "3 years",
            "SOC (Standard Occupational Classification) Code(s)": "Computer User Support Specialists (15-1232)",
            "Exam Time Allotment": "90 minutes",
            "Exam Passing Requirement": "700 out of 900",
        },
    ),
    (
        1301,
        {
            "Credential Name": "BLS Provider",
            "Credential Vendor Info": "AHA BLS CPR\nhttps://www.cpr.heart.org/en/cpr",
            "Diploma Endorsement": "No",
            "Credential Lead Consultant": "Tracy Hargett tracy.hargett@dpi.nc.gov",
            "Course Number and Title": "HU40 Health Science I\nHU42 Health Science II",
            "Credential as POL": "HU40 POL = No\nHU42 POL = No",
            "Pathway(s)": "Health Science Foundations (HSFO)",
            "Cost of Instructor Training": "$150.00 OR $0.00 for instructors already certified by an AHA Training Center",
            "Instructor Training Requirements": "Required\nInstructors must hold a current AHA BLS Instructor card.",
            "Exam Voucher Expiration": "N/A",
            "Credential Lifespan": "2 years",
            "Renewal Options": "Yes\nRenew with a BLS Provider course before the card expires.",
            "SOC (Standard Occupational Classification) Code(s)": "Emergency Medical Technicians (29-2042)",
            "Delivery Format": "Paper/pencil and Performance",
            "Exam Time Allotment": "Varies",
            "Exam Passing Requirement": "84% on the written exam and Pass on the skills check",
            "Student Accommodations": "No",
        },
    ),
    (
        1310,
        {
            "Credential Name": "Certified Fundamentals Cook (CFC)",
            "Credential Vendor Info": "American Culinary Federation\n180 Center Place Way | St. Augustine, FL 32095\n"
            "certify@acfchefs.net\n386.519.6500 X6922\nhttps://www.acfchefs.org/",
            "Diploma Endorsement": "FH12 = Yes\nFH13 = Yes",
            "Credential Lead Consultant": "Gwen Turner\ngwen.turner@dpi.nc.gov",
            "Course Number and Title": "FH12 Culinary Arts and Hospitality II Internship\nFH13 Culinary Arts and Hospitality III",
            "Credential as POL": "FH12 POL = No\nFH13 POL = Yes",
            "Pathway(s)": "Culinary Arts Applications (CULA)\nCulinary Arts Internship (CULI)",
            "Cost of Instructor Training": "$0.00",
            "Instructor Training Requirements": "Not required",
            "Exam Voucher Expiration": "18 months from purchase",
            "Credential Lifespan": "Does not expire",
            "SOC (Standard Occupational Classification) Code(s)": "Cooks, Restaurant (35-2014)\nChefs and Head Cooks (35-1011)",
            "Delivery Format": "Computer-based and Performance",
            "Exam Time Allotment": "2 hours",
            "Exam Passing Requirement": "70% on the written exam and 75% on the practical exam",
        },
    ),
    (
        1338,
        {
            "Credential Name": "ProStart National Certificate of Achievement (COA)",
            "Credential Vendor Info": "North Carolina Restaurant and Lodging Association\n"
            "222 N. Person Street, Suite 210 | Raleigh, NC 27601\ninfo@ncrla.org\n919.844.0098\n"
            "https://www.ncrla.org/",
            "Diploma Endorsement": "FH13 = Yes",
            "Credential Lead Consultant": "Gwen Turner\ngwen.turner@dpi.nc.gov",
            "Course Number and Title": "FH13 Culinary Arts and Hospitality III",
            "Credential as POL": "FH13 POL = No",
            "Pathway(s)": "Culinary Arts Applications (CULA)\nCulinary Arts Internship (CULI)",
            "Cost of Instructor Training": "$309.00\nProStart instructor training is specified by the North Carolina "
            "Restaurant Association. For the Foundation curriculum, the Teacher Resource "
            "package is $309.00 per level.",
            "Instructor Training Requirements": "Required\nInstructors must register and take a survey every year.",
            "Exam Voucher Expiration": "None",
            "Credential Lifespan": "Lifetime",
            "SOC (Standard Occupational Classification) Code(s)": "Chefs and Head Cooks (35-1011)\nFood Service Managers (11-9051)",
            "Articulation": ARTICULATION,
            "Sequencing": "Yes\nThe Certificate of Achievement requires a Level 1 and Level 2 exam as well as 400 work hours.",
            "Delivery Format": "On-line and Paper/pencil",
            "Test Site Options and Requirements": "N/A",
            "Testing Environment Requirements": "The location is conducive to exam testing with no distractions, "
            "including having additional space between students.",
            "Exam Time Allotment": "2 hours",
            "Exam Passing Requirement": "70% or higher",
        },
    ),
    (
        1201,
        {
            "Credential Name": "Microsoft Office Specialist Word",
            "Credential Vendor Info": CERTIPORT,
            "Credential Auto Collect": "Yes",
            "Diploma Endorsement": "BM10 = Yes",
            "Validation Artifact": '"Results (264) Plus" report from Certiport OR Copy of certificate',
            "Credential Lead Consultant": "Elizabeth Matthews elizabeth.matthews@dpi.nc.gov",
            "Course Number and Title": "BM10 Microsoft Word and PowerPoint",
            "Credential as POL": "BM10 POL = No",
            "Pathway(s)": "Office Administration (OADM)",
            "Cost of Instructor Training": "N/A\nTeachers can receive training for free.",
            "Instructor Training Requirements": "None",
            "Credential Lifespan": "Does not expire",
            "SOC (Standard Occupational Classification) Code(s)": "Secretaries and Administrative Assistants (43-6014)\n"
            "Desktop Publishers (43-9031)",
            "Articulation": ARTICULATION,
            "Exam Time Allotment": "50 min",
            "Exam Passing Requirement": "700/1000",
        },
    ),
    (
        1202,
        {
            "Credential Name": "Microsoft Office Specialist Excel",
            "Credential Vendor Info": CERTIPORT,
            "Credential Auto Collect": "Yes",
            "Diploma Endorsement": "CC11 = Yes",
            "Validation Artifact": '"Results (264) Plus" report from Certiport OR Copy of certificate',
            "Credential Lead Consultant": "Elizabeth Matthews elizabeth.matthews@dpi.nc.gov",
            "Course Number and Title": "CC11 Microsoft Excel",
            "Credential as POL": "CC11 POL = No",
            "Pathway(s)": "Data Science (DTSC)\nOffice Administration (OADM)",
            "Cost of Instructor Training": "N/A\nTeachers can receive training for free.",
            "Instructor Training Requirements": "None",
            "Credential Lifespan": "Does not expire",
            "SOC (Standard Occupational Classification) Code(s)": "Bookkeeping, Accounting, and Auditing Clerks (43-3031)",
            "Articulation": ARTICULATION,
            "Exam Time Allotment": "50 minutes",
            "Exam Passing Requirement": "700 out of 1000",
        },
    ),
    (
        1203,
        {
            "Credential Name": "Microsoft Office Specialist PowerPoint",
            "Credential Vendor Info": CERTIPORT,
            "Credential Auto Collect": "Yes",
            "Diploma Endorsement": "BM10 = Yes",
            "Credential Lead Consultant": "Elizabeth Matthews elizabeth.matthews@dpi.nc.gov",
            "Course Number and Title": "BM10 Microsoft Word and PowerPoint",
            "Credential as POL": "BM10 POL = No",
            "Pathway(s)": "Office Administration (OADM)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "None",
            "Credential Lifespan": "No expiration",
            "SOC (Standard Occupational Classification) Code(s)": "Desktop Publishers (43-9031)",
            "Exam Time Allotment": "50 minutes",
            "Exam Passing Requirement": "700/1000",
        },
    ),
    (
        1220,
        {
            "Credential Name": "Adobe Certified Professional in Visual Design",
            "Credential Vendor Info": CERTIPORT,
            "Diploma Endorsement": "CD11 = Yes\nCL21 = No",
            "Credential Lead Consultant": "LCO",
            "Course Number and Title": "CD11 Adobe Visual Design II\nCL21 Digital Media II (LCO)",
            "Credential as POL": "CD11 POL = Yes\nCL21 POL = No",
            "Pathway(s)": "^Digital Media (DIGM)\nGraphic Design (GRDS)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Highly recommended\nAdobe Education Exchange offers free courses.",
            "Credential Lifespan": "3 years",
            "SOC (Standard Occupational Classification) Code(s)": "Graphic Designers (27-1024)\nDesktop Publishers (43-9031)",
            "Exam Time Allotment": "50 minutes",
            "Exam Passing Requirement": "700 out of 1000",
        },
    ),
    (
        1230,
        {
            "Credential Name": "ServSafe Food Handler",
            "Credential Vendor Info": "National Restaurant Association\nServSafe Customer Service\nservicecenter@servsafe.com\n"
            "(800) 765-2122\nhttps://www.servsafe.com/",
            "Diploma Endorsement": "No",
            "Credential Lead Consultant": "Gwen Turner gwen.turner@dpi.nc.gov",
            "Course Number and Title": "FH10 Culinary Arts and Hospitality I",
            "Credential as POL": "FH10 POL = No",
            "Pathway(s)": "Culinary Arts Applications (CULA)",
            "Cost of Instructor Training": "$15.00 per student course and exam",
            "Instructor Training Requirements": "Available",
            "Exam Voucher Expiration": "12 months",
            "Credential Lifespan": "3 years",
            "SOC (Standard Occupational Classification) Code(s)": "Fast Food and Counter Workers (35-3023)",
            "Delivery Format": "On-line",
            "Proctored Environment Required": "No",
            "Exam Time Allotment": "N/A",
            "Exam Passing Requirement": "75%",
        },
    ),
    (
        1240,
        {
            "Credential Name": "OSHA 10-Hour General Industry",
            "Credential Vendor Info": "CareerSafe\nsupport@careersafeonline.com\n1-888-614-7233\nhttps://www.careersafeonline.com/",
            "Diploma Endorsement": "No",
            "Credential Lead Consultant": "David Barbour david.barbour@dpi.nc.gov",
            "Course Number and Title": "IM11 Advanced Manufacturing I\nIC21 Drafting I",
            "Credential as POL": "IM11 POL = No\nIC21 POL = No",
            "Pathway(s)": "^Advanced Manufacturing (ADMA)\nDrafting and Design (DRDE)",
            "Cost of Instructor Training": "$25.00 per student",
            "Instructor Training Requirements": "N/A",
            "Exam Voucher Expiration": "N/A",
            "Credential Lifespan": "Lifetime",
            "SOC (Standard Occupational Classification) Code(s)": "Occupational Health and Safety Technicians (19-5012)",
            "Delivery Format": "On-line",
            "Proctored Environment Required": "No",
            "Exam Time Allotment": "10 hours of course work",
            "Exam Passing Requirement": "70% on each module quiz",
        },
    ),
    (
        1250,
        {
            "Credential Name": "NCCER Core Curriculum",
            "Credential Vendor Info": "NCCER\n13614 Progress Blvd | Alachua, FL 32615\n888.622.3720\nhttps://www.nccer.org/",
            "Diploma Endorsement": "IC00 = Yes",
            "Credential Lead Consultant": "Jonathan Wright jonathan.wright@dpi.nc.gov",
            "Course Number and Title": "IC00 Core and Sustainable Construction",
            "Credential as POL": "IC00 POL = Yes",
            "Pathway(s)": "Carpentry (CARP)\nMasonry (MASN)",
            "Cost of Instructor Training": "$500.00\nInstructor Certification Training Program (ICTP)\n\nOR $250.00\n"
            "for instructors renewing an ICTP certification",
            "Instructor Training Requirements": "Required\nInstructors must complete the ICTP.",
            "Exam Voucher Expiration": "N/A",
            "Credential Lifespan": "Lifetime",
            "SOC (Standard Occupational Classification) Code(s)": "Construction Laborers (47-2061)\nCarpenters (47-2031)",
            "Delivery Format": "On-line and Performance",
            "Exam Time Allotment": "Varies",
            "Exam Passing Requirement": "70% on each module exam and Pass on the performance profile",
        },
    ),
    (
        1260,
        {
            "Credential Name": "Certified Nursing Assistant I (NC Nurse Aide I)",
            "Credential Vendor Info": "Credentia\nncnurseaide@credentia.com\n888.204.6213\nhttps://credentia.com/test-takers/nc",
            "Diploma Endorsement": "HN42 = Yes",
            "Credential Lead Consultant": "Tracy Hargett tracy.hargett@dpi.nc.gov",
            "Course Number and Title": "HN42 Nursing Fundamentals",
            "Credential as POL": "HN42 POL = Yes",
            "Pathway(s)": "Nursing (NURS)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Required\nInstructors must be approved by the NC Division of Health Service Regulation.",
            "Exam Voucher Expiration": "N/A",
            "Credential Lifespan": "2 years",
            "SOC (Standard Occupational Classification) Code(s)": "Nursing Assistants (31-1131)",
            "Delivery Format": "Paper/pencil and Performance",
            "Exam Time Allotment": "2 hours",
            "Exam Passing Requirement": "Pass/Fail",
            "Multilingual Resources*": "Yes\nEnglish, Spanish and French",
        },
    ),
    (
        1270,
        {
            "Credential Name": "AWS Certified Welder",
            "Credential Vendor Info": "American Welding Society\n8669 NW 36 St, #130 | Miami, FL 33166\n800.443.9353 ext. 273\n"
            "https://www.aws.org/certification",
            "Diploma Endorsement": "IW32 = Yes",
            "Credential Lead Consultant": "Jonathan Wright jonathan.wright@dpi.nc.gov",
            "Course Number and Title": "IW32 Welding Technology II",
            "Credential as POL": "IW32 POL = Yes",
            "Pathway(s)": "Welding Technology (WELD)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Recommended",
            "Credential Lifespan": "valid for two years with a maintenance form every six months",
            "SOC (Standard Occupational Classification) Code(s)": "Welders, Cutters, Solderers, and Brazers (51-4121)",
            "Delivery Format": "Performance",
            "Exam Time Allotment": "Varies",
            "Exam Passing Requirement": "Pass/Fail",
        },
    ),
    (
        1280,
        {
            "Credential Name": "ASE Entry-Level Automobile Maintenance and Light Repair",
            "Credential Vendor Info": "ASE Education Foundation\nentry@ase.com\n703.669.6650\nhttps://www.ase.com/entry-level",
            "Diploma Endorsement": "TA12 = Yes\nTA13 = Yes",
            "Credential Lead Consultant": "Jonathan Wright jonathan.wright@dpi.nc.gov",
            "Course Number and Title": "TA12 Automotive Service II\nTA13 Automotive Service III",
            "Credential as POL": "TA12 POL = No\nTA13 POL = Yes",
            "Pathway(s)": "Automotive Service (AUSE)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Available\nASE offers free webinars.",
            "Credential Lifespan": "2 years",
            "SOC (Standard Occupational Classification) Code(s)": "Automotive Service Technicians and Mechanics (49-3023)",
            "Exam Time Allotment": "1 hour",
            "Exam Passing Requirement": "Pass/Fail",
        },
    ),
    (
        1290,
        {
            "Credential Name": "Autodesk Certified User AutoCAD",
            "Credential Vendor Info": CERTIPORT,
            "Diploma Endorsement": "IC21 = Yes\nIC22 = Yes",
            "Credential Lead Consultant": "David Barbour david.barbour@dpi.nc.gov",
            "Course Number and Title": "IC21 Drafting I\nIC22 Drafting II - Architectural",
            "Credential as POL": "IC21 POL = Yes\nIC22 POL = No",
            "Pathway(s)": "Drafting and Design (DRDE)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "None",
            "Credential Lifespan": "3 years",
            "SOC (Standard Occupational Classification) Code(s)": "Architectural and Civil Drafters (17-3011)\n"
            "Mechanical Drafters (17-3013)",
            "Exam Time Allotment": "50 minutes",
            "Exam Passing Requirement": "700 out of 1000",
        },
    ),
    (
        1305,
        {
            "Credential Name": "Certified EKG Technician (CET)",
            "Credential Vendor Info": "National Healthcareer Association (NHA)\nhelp@nhanow.com\n800.499.9092\nhttps://www.nhanow.com/",
            "Diploma Endorsement": "HI32 = Yes",
            "Credential Lead Consultant": "Tracy Hargett tracy.hargett@dpi.nc.gov",
            "Course Number and Title": "HI32 Health Science II\nHU42 Health Science II",
            "Credential as POL": "HI32 POL = Yes\nHU42 POL = No",
            "Pathway(s)": "Health Science Foundations (HSFO)\nTherapeutic Services (THSV)^",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Recommended\nNHA offers a free educator webinar.",
            "Credential Lifespan": "2 years",
            "SOC (Standard Occupational Classification) Code(s)": "Cardiovascular Technologists and Technicians (29-2031)",
            "Exam Time Allotment": "1 hour 50 minutes",
            "Exam Passing Requirement": "390 out of 500",
            "Multilingual Resources*": "No",
        },
    ),
    (
        1320,
        {
            "Credential Name": "Exam for the Certification of Pharmacy Technicians (ExCPT)",
            "Credential Vendor Info": "National Healthcareer Association (NHA)\nhelp@nhanow.com\n800.499.9092\nhttps://www.nhanow.com/",
            "Diploma Endorsement": "HP42 = Yes",
            "Credential Lead Consultant": "Tracy Hargett tracy.hargett@dpi.nc.gov",
            "Course Number and Title": "HP42 Pharmacy Technician",
            "Credential as POL": "HP42 POL = Yes",
            "Pathway(s)": "Pharmacy Services (PHAR)^",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Recommended",
            "Credential Lifespan": "2 years",
            "SOC (Standard Occupational Classification) Code(s)": "Pharmacy Technicians (29-2052)",
            "Exam Time Allotment": "2 hours 10 minutes",
            "Exam Passing Requirement": "390 out of 500",
        },
    ),
    (
        1350,
        {
            "Credential Name": "Information Technology Specialist - Python",
            "Credential Vendor Info": CERTIPORT,
            "Diploma Endorsement": "SP11 = Yes",
            "Credential Lead Consultant": "Brent Curran brent.curran@dpi.nc.gov",
            "Course Number and Title": "SP11 Python Programming I",
            "Credential as POL": "SP11 POL = Yes",
            "Pathway(s)": "Programming and Software Development (PRSD)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Suggested",
            "Credential Lifespan": "Does not expire",
            "SOC (Standard Occupational Classification) Code(s)": "Software Developers (15-1252)\nComputer Programmers (15-1251)",
            "Exam Time Allotment": "50 minutes",
            "Exam Passing Requirement": "700 out of 1000",
        },
    ),
    (
        1370,
        {
            "Credential Name": "EPA Section 608 Technician Certification",
            "Credential Vendor Info": "ESCO Institute\nPO Box 521 | Mount Prospect, IL 60056\n800.726.9696\nhttps://www.escogroup.org/",
            "Diploma Endorsement": "No",
            "Credential Lead Consultant": "Jonathan Wright jonathan.wright@dpi.nc.gov",
            "Course Number and Title": "IH11 HVAC I",
            "Credential as POL": "IH11 POL = No",
            "Pathway(s)": "Heating, Ventilation, and Air Conditioning (HVAC)",
            "Cost of Instructor Training": "$45.00 per proctor registration",
            "Instructor Training Requirements": "Required\nProctors must register with the ESCO Institute.",
            "Exam Voucher Expiration": "N/A",
            "Credential Lifespan": "Lifetime",
            "SOC (Standard Occupational Classification) Code(s)": "Heating, Air Conditioning, and Refrigeration Mechanics "
            "and Installers (49-9021)",
            "Delivery Format": "Paper/pencil",
            "Exam Time Allotment": "3 hours",
            "Exam Passing Requirement": "18 out of 25 on each section",
        },
    ),
    (
        1380,
        {
            "Credential Name": "Precision Exams Agriculture Mechanics",
            "Credential Vendor Info": "YouScience\nsupport@youscience.com\nhttps://www.youscience.com/",
            "Diploma Endorsement": "AA21 = Yes",
            "Credential Lead Consultant": "LCO",
            "Course Number and Title": "AA21 Agricultural Mechanics I\nAA22 Agricultural Mechanics II",
            "Credential as POL": "AA21 POL = Yes\nAA22 POL = Yes",
            "Pathway(s)": "Agricultural Mechanics (AGME)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "N/A",
            "Credential Lifespan": "N/A",
            "SOC (Standard Occupational Classification) Code(s)": "Farm Equipment Mechanics and Service Technicians (49-3041)",
            "Delivery Format": "N/A",
            "Exam Time Allotment": "60 minutes",
            "Exam Passing Requirement": "70% or higher",
        },
    ),
]


def _changed(cred_id: int, **changes: str) -> tuple[int, dict[str, str]]:
    base = dict(next(values for id_, values in CREDENTIALS_2023 if id_ == cred_id))
    for label, value in changes.items():
        base[_LABEL_ARGS.get(label, label)] = value
    return cred_id, base


_LABEL_ARGS = {
    "name": "Credential Name",
    "cost": "Cost of Instructor Training",
    "lifespan": "Credential Lifespan",
    "passing": "Exam Passing Requirement",
    "courses": "Course Number and Title",
    "pol": "Credential as POL",
    "soc": "SOC (Standard Occupational Classification) Code(s)",
    "exam": "Exam Time Allotment",
    "endorsement": "Diploma Endorsement",
}

_KEPT_2024 = (
    1117,
    1264,
    1262,
    1263,
    1301,
    1310,
    1338,
    1201,
    1202,
    1203,
    1250,
    1260,
    1280,
    1305,
    1320,
    1350,
    1370,
    1380,
)

# 2024-2025: OSHA 10 (1240) retired; costs, lifespans, passing scores, courses
# and SOC codes moved; one credential renamed; two added.
CREDENTIALS_2024: list[tuple[int, dict[str, str]]] = [
    _changed(
        1118,
        cost="$1,575.00\nwith an online webinar\n\n$650.00\nwith no webinar\n\n"
        "Email Info@msscusa.org for instructions and to get started.",
    ),
    _changed(1230, lifespan="5 years", exam="90 minutes"),
    _changed(1305, passing="380 out of 500"),
    _changed(
        1220,
        courses="CD11 Adobe Visual Design II\nCD12 Adobe Visual Design III",
        pol="CD11 POL = Yes\nCD12 POL = Yes",
        endorsement="CD11 = Yes\nCD12 = Yes",
    ),
    _changed(
        1270,
        soc="Welders, Cutters, Solderers, and Brazers (51-4121)\nWelding, Soldering, and Brazing Machine "
        "Setters, Operators, and Tenders (51-4122)",
    ),
    _changed(1290, name="Autodesk Certified User: AutoCAD"),
    *[_changed(cred_id) for cred_id in _KEPT_2024],
    (
        2109,
        {
            "Credential Name": "North Carolina Early Childhood Credential",
            "Credential Vendor Info": "NC Community College System\nearlychildhood@nccommunitycolleges.edu\n919.807.7100\n"
            "https://www.nccommunitycolleges.edu/",
            "Diploma Endorsement": "FE12 = Yes",
            "Credential Lead Consultant": "Tracy Hargett tracy.hargett@dpi.nc.gov",
            "Course Number and Title": "FE12 Early Childhood Education II",
            "Credential as POL": "FE12 POL = Yes",
            "Pathway(s)": "Early Childhood Education (ECED)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Required\nInstructors must hold the credential themselves.",
            "Credential Lifespan": "Lifetime",
            "SOC (Standard Occupational Classification) Code(s)": "Childcare Workers (39-9011)\n"
            "Preschool Teachers, Except Special Education (25-2011)",
            "Delivery Format": "Paper/pencil",
            "Exam Time Allotment": "2 hours",
            "Exam Passing Requirement": "Pass/Fail",
        },
    ),
    (
        2110,
        {
            "Credential Name": "Google IT Support Professional Certificate",
            "Credential Vendor Info": "Coursera for Campus\ncampus@coursera.org\nhttps://www.coursera.org/campus",
            "Diploma Endorsement": "No",
            "Credential Lead Consultant": "Brent Curran brent.curran@dpi.nc.gov",
            "Course Number and Title": "CI01 Computer Engineering Technology I",
            "Credential as POL": "CI01 POL = No",
            "Pathway(s)": "Computer Engineering (COEN)",
            "Cost of Instructor Training": "N/A",
            "Instructor Training Requirements": "Available",
            "Credential Lifespan": "Does not expire",
            "SOC (Standard Occupational Classification) Code(s)": "Computer User Support Specialists (15-1232)",
            "Delivery Format": "On-line",
            "Proctored Environment Required": "No",
            "Exam Time Allotment": "Varies",
            "Exam Passing Requirement": "80% on each graded assessment",
        },
    ),
]
