"""label/value blocks -> validated tables -> files: normalize, type, merge, validate, export."""
