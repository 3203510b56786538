"""Watching orders: turn Saleor's order snapshots and the clock into deadlines and incidents."""
