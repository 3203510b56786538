"""Carrying an offer out in Saleor exactly once: look for an earlier attempt, then create."""
