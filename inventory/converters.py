"""The SKU in inventory URLs.

Merchants write SKUs with slashes and spaces, so the converter takes any text, except
the NUL character: PostgreSQL cannot store it, so no SKU holds one, and such a URL is
answered 404 before any query is made. Registered as ``sku`` when the app is ready.
"""


class SkuConverter:
    regex = r"[^\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
