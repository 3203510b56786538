from __future__ import annotations

from dataclasses import dataclass, field

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.ui.auth import Caller


@dataclass(frozen=True)
class Context:
    """What every resolver gets as `info.context`: the services and the verified caller."""

    runtime: Runtime
    caller: Caller
    # Facts one request's resolvers share (a query asking for a trend and its chart computes it once).
    memo: dict = field(default_factory=dict, compare=False)
