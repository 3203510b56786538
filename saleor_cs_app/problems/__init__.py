"""Problems the merchant must act on, raised where Saleor shows them and cleared when they are fixed.

conditions.py finds what is wrong now (pure over what it is given); review.py compares that with what
was raised, calls appProblemCreate / appProblemDismiss once per change (Saleor 3.22+), and keeps the
list the app's page shows on older Saleors.
"""
