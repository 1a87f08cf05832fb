"""All I/O with the outside world: DNS, TLS, HTTP, tokens, evidence record and replay."""
