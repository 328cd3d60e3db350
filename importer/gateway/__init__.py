"""The Amazon edge: the only code that knows Selling Partner API field names.

`orders.OrdersGateway` speaks Orders API 2026-01-01 through python-amazon-sp-api
(`wire`), paces every call with a shared token bucket, retries what deserves it and
returns the frozen values of `types`.
"""
