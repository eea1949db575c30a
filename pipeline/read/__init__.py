"""documents -> label/value blocks: find and decode documents, parse HTML, text renderings and PDFs."""
