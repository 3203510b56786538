"""The customer's own pages: signed links, the order status page, reports with photos, answers to offers."""
