"""Delivery truth: what tracking sources say happened to each parcel.

One module per source (fulfilment metadata, AfterShip push, DHL poll), each
turning its own input into `DeliveryReport`s for fulfilments (report.py).
`record.py` keeps them per fulfilment and hands the parcel to the watch, which
alone decides whether a promise broke. A parcel no source follows is never
called late.
"""
