"""A big shop's orders, made one at a time when a query pages onto them and never kept (bench/big_shop.py).

Only the `orders` connection (and `order(id)`) sees them. Their numbers come after the orders stored
when they were generated; `created(number)` says when each was placed (its updatedAt too).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from . import data
from .engine import gid, parse_gid


@dataclass
class GeneratedOrders:
    template: dict  # an order as add_order builds it; each generated order is a copy with its own ids
    first: int  # the lowest number
    count: int
    created: Callable[[int], datetime]
    pages: list[int] = field(default_factory=list)  # how many orders each served page held, in order
    on_page: Callable[[int], None] | None = None  # called with the page's size before it is answered

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    def order(self, number: int) -> dict:
        pk = uuid.UUID(int=number)
        stamp = data.iso(self.created(number))
        order = {
            **self.template,
            "id": gid("Order", pk),
            "token": str(pk),
            "number": str(number),
            "created": stamp,
            "updatedAt": stamp,
            "userEmail": f"customer{number}@example.com",
        }
        order["lines"] = [
            {**line, "id": gid("OrderLine", uuid.UUID(int=(number << 8) + i))}
            for i, line in enumerate(self.template["lines"])
        ]
        return order

    def by_id(self, order_id: str) -> dict | None:
        try:
            type_name, pk = parse_gid(order_id)
            number = uuid.UUID(pk).int
        except ValueError:
            return None
        return self.order(number) if type_name == "Order" and self.first <= number <= self.last else None

    def numbers_below(self, bound: int | None):
        """Generated numbers, highest first, below `bound` (all of them without one)."""
        top = self.last if bound is None else min(self.last, bound - 1)
        return range(top, self.first - 1, -1)
