"""An incident is not waiting for what was asked of it (an approval, a release from the backlog)."""


class NotPending(Exception):
    pass
