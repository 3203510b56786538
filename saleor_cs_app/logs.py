"""Structured logs: one JSON line per event, with tenant/event/order/incident fields.

Secrets never reach the output: fields named like secrets are dropped to
"***", and e-mail addresses are masked wherever they appear (`j***@example.com`).
"""

from __future__ import annotations

import json
import logging
import re
import sys

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
_SECRET_KEYS = re.compile(r"token|secret|password|authorization|signature|jwks", re.I)
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+)")


def mask(value: object) -> object:
    if isinstance(value, str):
        return _EMAIL.sub(r"\1***\2", value)
    return value


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "msg": mask(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            entry[key] = "***" if _SECRET_KEYS.search(key) else mask(value)
        if record.exc_info:
            entry["exc"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


class _CurrentStderr(logging.StreamHandler):
    """Writes to `sys.stderr` as it is at each record. A handler holding the stream it was built with would
    keep writing to a replaced one after its owner closed it (click's test runner swaps stderr per command)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def configure(level: str) -> None:
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.setLevel(level)
        return
    handler = _CurrentStderr()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # Libraries that log request bodies or headers at DEBUG stay at WARNING.
    for noisy in ("gql", "urllib3", "huey", "werkzeug"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
