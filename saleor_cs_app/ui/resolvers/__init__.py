"""Resolvers: each parses its arguments, calls one function, and maps the result to the types in ui/*_types.py."""
