"""Named regular expressions: the shapes items are found by (CONTRACT section 1).

Each pattern is loose enough to catch near misses (`(43-903)`, `eli@dpi`), so
that validation, not the parser, rejects them where everyone can see it.
"""

import re

SCHOOL_YEAR_HEADING = re.compile(r"\b(\d{4})\s*-\s*(\d{4})\s+(?:Credential Information|Academic Year)\b", re.I)
DRAFT_WARNING = re.compile(r"WARNING:\s*This information is considered DRAFT", re.I)
SCHOOL_YEAR = re.compile(r"^\d{4}-\d{4}$")

# Two capitals, two digits, up to two capitals/digits. No lookbehind on letters:
# flattened tables glue a title's last word to the next code (`Technology ICL60`,
# `POL = YesCL60`).
COURSE_CODE = r"[A-Z]{2}\d{2}[A-Z0-9]{0,2}"
COURSE_START = re.compile(r"(?<![0-9])(" + COURSE_CODE + r")(?=\s|$)")
COURSE_FLAG = re.compile(r"(?<![0-9])(" + COURSE_CODE + r")\s*((?i:POL)\s*)?=\s*((?i:yes|no))(?![a-z])")
LCO_MARK = re.compile(r"(?<!\s)\s*\(LCO\)\s*$", re.I)
COURSE_AND_TITLE = re.compile(r"\s*(" + COURSE_CODE + r")(?![A-Za-z0-9])[\s:.-]*(.*)", re.S)  # `IM11 Advanced ...`

PATHWAY_CODE = re.compile(r"\(\s*([A-Z0-9]{2,6})\s*\)")
SOC_CODE = re.compile(r"\(\s*(\d{1,3}\s*-\s*\d{2,6})\s*\)")

# An address's domain stops where a web address glued to it begins (`support@certiport.comhttps://...`: a
# flattened table joins a value's lines by nothing).
_DOMAIN_CHARACTER = r"(?:(?!(?i:https?://|www\.))[A-Za-z0-9-])"
EMAIL_LIKE = re.compile(rf"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]+@{_DOMAIN_CHARACTER}+(?:\.{_DOMAIN_CHARACTER}+)*")
URL = re.compile(r"https?://[^\s<>\"')\]|]+", re.I)
PHONE = re.compile(
    r"(?<![\w.])(?:\+?1[ .-])?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?(?![\w])",
    re.I,
)

# A number as written, its sign kept (`-5 years` is rejected, never read as 5). Patterns using it start
# with `(?<![\w.])`, so a match can only begin where a number begins: linear time on any value.
NUMBER = r"-?\d+(?:\.\d+)?"

MONEY = re.compile(r"\$\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?([eE][+-]?\d+)?")  # an exponent: a near miss
LEADING_YES_NO = re.compile(r"^\s*(Yes|No)\b[\s.,:;-]*", re.I)
YES_NO = re.compile(r"\s*(?:Yes|No|Y|N)\s*", re.I)  # a cell holding nothing but the flag

DURATION = re.compile(
    r"(?<![\w.])(" + NUMBER + r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"[\s-]*(years?|yrs?|months?|mos?)\b",
    re.I,
)
HOURS_MINUTES = re.compile(
    r"(?<![\w.])(?:(" + NUMBER + r")\s*(?:hours?|hrs?|hr)\b(?:\s*(?:and\s*)?(\d+)\s*(?:minutes?|mins?|min)\b)?"
    r"|(-?\d+)\s*(?:minutes?|mins?|min)\b)",
    re.I,
)
PERCENT = re.compile(r"(?<![\w.])(" + NUMBER + r")\s*%")
SCORE_OUT_OF = re.compile(r"(?<![\w.])(" + NUMBER + r")\s*(?:out of|/)\s*(\d+(?:\.\d+)?)", re.I)

# Values
COST_CONNECTORS = ("OR", "or", "Or", "AND", "and")  # standing alone between two cost options
OPTION_OPENER = re.compile(r"(?:^|\n|\bOR\b)[ \t]*(?=\$)")  # where a cost option may start
NOTE_PREFIX = re.compile(r"^\s*Note\s*:\s*", re.I)
LIFETIME = re.compile(r"\b(lifetime|does not expire|do not expire|no expiration|never expires?)\b", re.I)
DELIVERY_ONLINE = re.compile(r"on-?line|computer[- ]based|web[- ]based|\bcbt\b", re.I)
DELIVERY_PAPER = re.compile(r"paper", re.I)
DELIVERY_PERFORMANCE = re.compile(r"performance|hands[- ]on|practical", re.I)
LANGUAGE_SEPARATOR = re.compile(r",|;|/|\band\b|\n", re.I)  # parts are cleaned after the split

# Files and pages
FILE_ID = re.compile(r"(credential|course)_([0-9]+)", re.I)
ASCII_ID = re.compile(r"[0-9]{1,40}")  # an id in a URL or file name; longer is not an id
HTTP_URL = re.compile(r"https?://", re.I)  # a manifest URL must start so (not javascript:, file:)
MAX_ID_DIGITS = 9  # the scraper fetches ids of sane length only
DIRECTORY_ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")
ID_RANGE = re.compile(rf"^([0-9]{{1,{MAX_ID_DIGITS}}})(?:-([0-9]{{1,{MAX_ID_DIGITS}}}))?$")
LISTING_NAME = re.compile(r"credentials?[\s_-]*by[\s_-]*course", re.I)  # the listing's link text or file name
SCHOOL_YEAR_IN_TEXT = re.compile(r"\b(\d{4})-(\d{4})\b")

# Page chrome printed in body type: a copyright line, a print date, a page number (never data, never a label)
PAGE_CHROME = re.compile(
    r"\s*(?:©|\(c\)\s|copyright\b|page\s+\d+\s+(?:of|/)\s+\d+\s*$|\d+\s*/\s*\d+\s*$"
    r"|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\s*$)",
    re.I,
)

# Chrome by its role (CONTRACT section 5): controls, hidden elements, a web archive's rewritten links.
# The text of a control: a line holding only these (and separators) is a button or toggle, never data.
CONTROL_TEXT = (
    r"(?:expand|collapse|show|hide)(?:\s+(?:all|more|less|details))?|print(?:\s+this\s+page)?|toggle"
    r"|close|back\s+to\s+top|skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|main)"
)
CONTROL_LINE = re.compile(rf"^[\s|•·/\[\]()]*(?:(?:{CONTROL_TEXT})[\s|•·/\[\]()]*)+$", re.I)
HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!\s*important\s*)?(?:;|$)", re.I
)
# A piece of a word too wide for its column, as a generator splits it: an address, an email, a path.
SPLIT_WORD = re.compile(r"[/@]|\w\.\w")
# A capitalised word (`Schools`): it begins a sentence, it is not the rest of a word cut at a line's end.
CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+[.,;:]?")
# A word in lower case: it goes on a sentence (no paragraph of a value begins with one).
LOWER_CASE_WORD = re.compile(r"[a-z]+[.,;:]?")
# A contact item by its shape, the word a directory value puts on a line of its own.
CONTACT_ITEM = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
# A web archive's rewritten address: the original after a capture timestamp (`/web/20240115083012id_/https://...`).
ARCHIVED_URL = re.compile(r"/\d{8,14}(?:[a-z]{2}_)?/(https?://\S+)$", re.I)

# Text and markup
WHITESPACE = re.compile(r"\s+")
# Characters that show nothing where no line breaks at them (soft hyphen, zero-width space, word joiner, a BOM
# inside the text): a CMS leaves them in labels and names; they are no part of what the page says.
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
HEADER_WORD = re.compile(r"[^\W_]+|#")  # the words a table header is read by
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufdd0-\ufdef\ufffe\uffff]")  # binary, decoded
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
# One UTF-8 character of two to four bytes: bytes without any are windows-1252 throughout.
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
HTML_BREAKS = re.compile(r"[\x1e\n][\x1e\n \t]*")  # runs of block edges and line breaks in cell text
# An XHTML page's XML declaration: lxml refuses a decoded page that declares its encoding in one.
XML_DECLARATION = re.compile(r"\A\s*<\?xml\s[^>]*\?>")


def label_prefix(text: str) -> re.Pattern[str]:
    """A label written at the start of a line, any case and spacing, a `*` and a `:` allowed after it."""
    body = r"\s+".join(re.escape(word) for word in text.replace("*", "").split())
    return re.compile(r"\s*" + body + r"(?:\s*\^?\*)?(?:\s*:)?", re.IGNORECASE)


# Instructor training requirement words, each with the level it means (CONTRACT: instructor_training).
TRAINING_WORDS = (
    ("not required", "none"),
    ("highly recommended", "recommended"),
    ("required", "required"),
    ("recommended", "recommended"),
    ("suggested", "recommended"),
    ("available", "available"),
    ("none", "none"),
    ("n/a", "none"),
    ("no", "none"),
)
TRAINING_WORD = re.compile(
    r"^\s*(" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word, _ in TRAINING_WORDS) + r")(?![\w/])[\s.,;:-]*",
    re.I,
)

# Valid values: the exact shapes validation accepts (schemas/tables.py anchors them). The finders above are
# looser on purpose, so that near misses reach validation and are rejected visibly.
VALID_SCHOOL_YEAR = r"(\d{4})-(\d{4})"
VALID_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
VALID_EMAIL = r"[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"
VALID_URL = r"https?://\S+"
VALID_COURSE_CODE = COURSE_CODE
VALID_PATHWAY_CODE = r"[A-Z]{4}"
VALID_SOC_CODE = r"\d{2}-\d{4}"
VALID_SHA256 = r"[0-9a-f]{64}"
NON_SLUG = re.compile(r"[^a-z0-9]+")
