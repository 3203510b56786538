"""Source: AfterShip (push). The app creates each shipped parcel's tracking once, and AfterShip
reports every checkpoint to a webhook URL unique to the merchant's Saleor.

https://www.aftership.com/docs/tracking/2025-01 (API) and …/webhook/webhook-specifications.
"""

NAME = "aftership"
