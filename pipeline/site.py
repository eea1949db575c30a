"""What we know of the directory site itself: where it lives and how its URLs are shaped."""

DEFAULT_BASE_URL = "https://center.ncsu.edu/nccte-cms/"
