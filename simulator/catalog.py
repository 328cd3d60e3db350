"""Reference data the generator draws from: marketplaces, people, places and products."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Marketplace:
    marketplace_id: str
    name: str
    currency: str
    country: str
    order_prefixes: tuple[int, ...]
    email_domain: str


MARKETPLACES = {
    marketplace.marketplace_id: marketplace
    for marketplace in (
        Marketplace(
            "ATVPDKIKX0DER",
            "Amazon.com",
            "USD",
            "US",
            (111, 112, 113, 114),
            "marketplace.amazon.com",
        ),
        Marketplace(
            "A2EUQ1WTGCTBG2", "Amazon.ca", "CAD", "CA", (701, 702), "marketplace.amazon.ca"
        ),
        Marketplace(
            "A1AM78C64UM0Y8", "Amazon.com.mx", "MXN", "MX", (701, 702), "marketplace.amazon.com.mx"
        ),
        Marketplace(
            "A1PA6795UKMFR9",
            "Amazon.de",
            "EUR",
            "DE",
            (302, 303, 304, 305, 306),
            "marketplace.amazon.de",
        ),
        Marketplace(
            "A13V1IB3VIYZZH",
            "Amazon.fr",
            "EUR",
            "FR",
            (402, 403, 404, 405, 406),
            "marketplace.amazon.fr",
        ),
        Marketplace(
            "A1F83G8C2ARO7P",
            "Amazon.co.uk",
            "GBP",
            "GB",
            (202, 203, 204, 205, 206),
            "marketplace.amazon.co.uk",
        ),
    )
}


def marketplace_for(marketplace_id: str) -> Marketplace:
    """A marketplace the simulator has no data for still gets orders, priced in US dollars."""
    return MARKETPLACES.get(
        marketplace_id,
        Marketplace(marketplace_id, "Amazon", "USD", "US", (111,), "marketplace.amazon.com"),
    )


# Buyers from every marketplace; several names are deliberately outside ASCII.
BUYER_NAMES = (
    "Jane Doe",
    "Michael O'Connor",
    "Priya Raghunathan",
    "José Álvarez",
    "Zoë Müller",
    "François Lefèvre",
    "Łukasz Wróbel",
    "Søren Højbjerg",
    "Björn Ångström",
    "Çağla Öztürk",
    "山田 太郎",
    "Nguyễn Thị Hương",
    "Emily Chen",
    "Dmitri Ivanov",
    "Aoife Ní Bhriain",
    "Jürgen Weiß",
)

COMPANY_NAMES = (
    "Northwind Traders",
    "Blue Harbor Supply Co.",
    "Müller & Söhne GmbH",
    "Acme Office Ltd",
)

ADDRESSES = {
    "US": (
        ("742 Evergreen Terrace", "Springfield", "OR", "97403"),
        ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043"),
        ("350 Fifth Avenue", "New York", "NY", "10118"),
    ),
    "CA": (
        ("290 Bremner Blvd", "Toronto", "ON", "M5V 3L9"),
        ("1 Rue Notre-Dame Ouest", "Montréal", "QC", "H2Y 1S5"),
    ),
    "MX": (("Av. Paseo de la Reforma 505", "Ciudad de México", "CDMX", "06500"),),
    "DE": (
        ("Friedrichstraße 43", "Berlin", "Berlin", "10117"),
        ("Königsallee 92", "Düsseldorf", "NRW", "40212"),
    ),
    "FR": (("12 Rue de Rivoli", "Paris", "Île-de-France", "75004"),),
    "GB": (
        ("221B Baker Street", "London", "Greater London", "NW1 6XE"),
        ("10 Princes Street", "Edinburgh", "Midlothian", "EH2 2AN"),
    ),
}

PRODUCT_TITLES = (
    "Stainless Steel Water Bottle, 750 ml",
    "Wireless Ergonomic Mouse",
    "Organic Cotton Bath Towel Set (4 pieces)",
    "LED Desk Lamp with USB-C Charging",
    "Cast Iron Skillet 26 cm",
    "Noise Cancelling Earbuds",
    "Yoga Mat, Non-Slip, 6 mm",
    "Ceramic Pour-Over Coffee Dripper",
    "Kids' Rain Boots, Size 30",
    "Café Crème Espresso Beans, 1 kg",
    "Merino Wool Hiking Socks (3 pairs)",
    "Bamboo Cutting Board",
)


@dataclass(frozen=True)
class Product:
    sku: str
    asin: str
    title: str
    unit_price: Decimal


def product_for_sku(sku: str) -> Product:
    """The same SKU always maps to the same ASIN, title and list price."""
    digest = hashlib.sha256(sku.encode("utf-8")).hexdigest()
    asin = "B0" + digest[:8].upper()
    title = PRODUCT_TITLES[int(digest[8:12], 16) % len(PRODUCT_TITLES)]
    cents = 499 + int(digest[12:18], 16) % 19500
    return Product(sku=sku, asin=asin, title=title, unit_price=Decimal(cents) / 100)
