"""outputs -> what changed and whether it is valid: diff, check, report."""
