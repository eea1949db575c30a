"""Directory pages made of the hand-written credentials: a credential page per credential, and a course page
holding several credential blocks. A page knows its URL, its heading style and the cred_id each block must get.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.renderings.credentials import CREDENTIALS, Credential

BASE = "https://center.ncsu.edu/nccte-cms/"

# The page's fixed text as the real pages print it (../shared/seed, ../shared/samples), written out here.
BOILERPLATE = (
    "The North Carolina Office of Career and Technical Education provides multiple opportunities for students to "
    "obtain Industry-Recognized Credentials during their high school career.",
    "Industry-recognized credentials hold immense value as they not only validate student skills and knowledge in a "
    "specific field but also serve as a powerful stepping stone toward future careers.",
    "They provide a competitive edge in the job market, making students more attractive to potential employers and "
    "increasing their earning potential.",
    "Moreover, industry-recognized credentials often lead to more job opportunities and pathways for advancement, "
    "helping students embark on successful and fulfilling career journeys.",
    "Access the NCDPI Credentials and Reporting website to submit a credential application and to view the latest "
    "Credential Attainment Report.",
)
FOOTNOTES = (
    "Footnotes:",
    "^ Indicates the pathway is an approved Local Course Option (LCO) pathway.",
    "* Where multilingual exams are indicated, please be advised that the state of North Carolina adheres to general "
    "statute as follows:",
    'G.S.\u00a7115C-81.45(a) requires classes (silent on exams) to be conducted in English "[e]xcept when a board '
    'authorizes teaching in a foreign language to comply with federal law."',
)
DRAFT_WARNING = "WARNING: This information is considered DRAFT until August 22, 2025."


@dataclass(frozen=True)
class Page:
    key: str
    kind: str  # credential | course
    ident: int  # cred_id of a credential page, course_id of a course page
    url: str
    heading: str  # boilerplate: `YYYY-YYYY Credential Information` + intro; academic-year; plain: the heading alone
    draft: bool
    credentials: tuple[Credential, ...]
    file_cred_id: int | None = None  # a course page showing one credential: `course_id=N&cred_id=M`

    @property
    def school_year(self) -> str:
        return self.credentials[0].school_year

    @property
    def file_stem(self) -> str:
        """The file name a scrape gives it; with no manifest row, ids come from it."""
        if self.kind == "credential" or self.file_cred_id:
            return f"credential_{self.file_cred_id or self.ident}"
        return f"course_{self.ident}"

    def expected_cred_id(self, credential: Credential) -> int | None:
        """The cred_id a block gets: from the URL (or file name) when the page holds one block."""
        return credential.cred_id if len(self.credentials) == 1 else None

    def heading_lines(self) -> list[tuple[str, str]]:
        """(role, text): `h1`, `h2`, `warning`, `p` lines above the first block."""
        first, second = self.school_year.split("-")
        lines: list[tuple[str, str]] = []
        if self.heading == "academic-year":
            lines += [("h1", "Credential Information"), ("h2", f"{first}-{second} Academic Year")]
        else:
            lines.append(("h1", f"{first}-{second} Credential Information"))
        if self.draft:
            lines.append(("warning", DRAFT_WARNING))
        if self.heading == "boilerplate":
            lines += [("p", line) for line in (*BOILERPLATE, *FOOTNOTES)]
        return lines


def _credential_page(key: str, heading: str, draft: bool = False) -> Page:
    credential = CREDENTIALS[key]
    script = "future_credential_info.php" if draft else "credential_info.php"
    url = f"{BASE}{script}?choice=credential&cred_id={credential.cred_id}"
    return Page(f"credential_{key}", "credential", credential.cred_id, url, heading, draft, (credential,))


PAGES: dict[str, Page] = {
    page.key: page
    for page in (
        _credential_page("cpt_maintenance", "boilerplate"),
        _credential_page("cpt_safety", "boilerplate"),
        _credential_page("bls_provider", "boilerplate"),
        _credential_page("comptia_a_core1", "plain"),
        _credential_page("mos_excel", "boilerplate", draft=True),
        Page(
            "course_889_prostart",
            "course",
            889,
            f"{BASE}credential_info.php?course_id=889&cred_id=1338",
            "academic-year",
            False,
            (CREDENTIALS["prostart"],),
            file_cred_id=1338,
        ),
        Page(
            "course_131_im11",
            "course",
            131,
            f"{BASE}credential_info.php?choice=course&course_id=131&cred_id=-1&cluster_id=-1",
            "boilerplate",
            False,
            (CREDENTIALS["cpt_safety"], CREDENTIALS["cpt_maintenance"]),
        ),
    )
}
