"""Use cases: plain values in, one unit of work each, committed once."""
