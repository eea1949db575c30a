"""NC CTE credential directory -> validated CSV and Parquet tables."""

__version__ = "0.1.0"
