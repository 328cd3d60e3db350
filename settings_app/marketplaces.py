"""Amazon marketplace ids: their shape, and the country each known one sells in."""

import re

from django.core.exceptions import ValidationError

# Amazon adds marketplaces over time, so any id of this shape is accepted, known or not.
MARKETPLACE_ID = re.compile(r"[A-Z0-9]{10,20}")

MARKETPLACE_COUNTRIES = {
    "ATVPDKIKX0DER": "US",
    "A2EUQ1WTGCTBG2": "CA",
    "A1AM78C64UM0Y8": "MX",
    "A2Q3Y263D00KWC": "BR",
    "A1F83G8C2ARO7P": "UK",
    "A1PA6795UKMFR9": "DE",
    "A13V1IB3VIYZZH": "FR",
    "APJ6JRA9NG5V4": "IT",
    "A1RKKUPIHCS9HS": "ES",
    "A1805IZSGTT6HS": "NL",
    "A2NODRKZP88ZB9": "SE",
    "A1C3SOZRARQ6R3": "PL",
    "A33AVAJ2PDY3EV": "TR",
    "A21TJRUUN4KGV": "IN",
    "A1VC38T7YXB528": "JP",
    "A39IBJ37TRP1C6": "AU",
    "A19VAU5U5O7RUS": "SG",
    "A2VIGQ35RCS4UG": "AE",
}


def marketplace_label(marketplace_id: str) -> str:
    country = MARKETPLACE_COUNTRIES.get(marketplace_id)
    return f"{country} ({marketplace_id})" if country else marketplace_id


def validate_marketplace_ids(value) -> None:
    """A store sells in one or more marketplaces, each named once by its Amazon id."""
    if not isinstance(value, list) or not value:
        raise ValidationError(
            'List the store\'s Amazon marketplace ids, e.g. ["ATVPDKIKX0DER"].', code="invalid"
        )
    malformed = [
        each for each in value if not (isinstance(each, str) and MARKETPLACE_ID.fullmatch(each))
    ]
    if malformed:
        raise ValidationError(
            "Not Amazon marketplace ids: %(ids)s.",
            code="invalid",
            params={"ids": ", ".join(repr(each) for each in malformed)},
        )
    if len(set(value)) != len(value):
        raise ValidationError("Each marketplace id may be listed once.", code="duplicate")
