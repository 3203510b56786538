"""The Saleor permissions the app asks for at install (the manifest) and checks it still has (problems/)."""

# MANAGE_ORDERS: order and fulfilment events, notes, metadata, draft orders, refund grants.
# MANAGE_GIFT_CARD: gift cards. MANAGE_DISCOUNTS: free-shipping vouchers.
# MANAGE_PRODUCTS: look up a gift product's variant by SKU, also unpublished ones.
PERMISSIONS = ("MANAGE_ORDERS", "MANAGE_GIFT_CARD", "MANAGE_DISCOUNTS", "MANAGE_PRODUCTS")
