"""Source: DHL Shipment Tracking – Unified API (poll), with the merchant's own DHL API key.

https://developer.dhl.com/api-reference/shipment-tracking: GET /track/shipments?trackingNumber=…,
header DHL-API-Key; errors are RFC 7807 problem documents; the free tier allows a few hundred
calls a day, so each open DHL parcel is polled only as often as its deadline needs.
"""

NAME = "dhl"
