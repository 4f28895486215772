# A root conftest.py: in pytest's default import mode its directory, the project root, goes first
# on sys.path, where the rustdir/ sources are.
import pytest


@pytest.fixture
def answer():
    return 42
