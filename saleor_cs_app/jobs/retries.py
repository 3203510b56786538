"""How often a task is tried, and how long it waits between tries."""

MAX_ATTEMPTS = 8


def backoff_seconds(attempt: int) -> int:
    """10 s, 20 s, 40 s … capped at 30 minutes."""
    return min(10 * 2 ** max(attempt - 1, 0), 1800)
