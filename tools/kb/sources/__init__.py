"""One adapter per knowledge source: each turns its source's files into canonical records."""
