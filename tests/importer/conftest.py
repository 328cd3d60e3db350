import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def amazon_json():
    """Load one of our stored Orders API response bodies."""

    def load(name: str):
        return json.loads((FIXTURES / name).read_text())

    return load
