from __future__ import annotations

from dataclasses import dataclass

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.ui.auth import Caller


@dataclass(frozen=True)
class Context:
    """What every resolver gets as `info.context`: the services and the verified caller."""

    runtime: Runtime
    caller: Caller
