"""A local HTTP server that behaves like Amazon's Selling Partner API (Orders 2026-01-01).

It runs as its own process (``python -m simulator``) so that the product can be developed,
demonstrated and tested without an Amazon account. It does not import Django.
"""
