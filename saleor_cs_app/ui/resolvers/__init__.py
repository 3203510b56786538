"""Resolvers: each parses its arguments, calls one function, and maps the result to types.py."""
