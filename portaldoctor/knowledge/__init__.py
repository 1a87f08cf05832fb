"""Pure product knowledge, with no I/O: token formats, links, phone numbers, email addresses, redaction."""
