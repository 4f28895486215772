import json
from pathlib import Path

import pytest

# The Rust core's test vectors, in the sibling crate: found because the tests run in the checkout.
CASES = Path(__file__).parents[2] / "wsvectors" / "cases.json"


@pytest.fixture
def cases():
    return json.loads(CASES.read_text())
