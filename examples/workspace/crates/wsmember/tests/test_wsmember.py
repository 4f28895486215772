import json
import os
from importlib.metadata import version
from pathlib import Path

import wsmember


def test_matches_the_core_crates_vectors(cases):
    for case in cases:
        assert wsmember.weighted_sum(case["values"]) == case["expected"]


def test_reads_the_repository_data():
    data = json.loads((Path(__file__).parent / "../../../data/x.json").read_text())
    assert wsmember.weighted_sum(data["values"]) == data["expected"]


def test_the_installed_wheel_is_imported():
    assert "site-packages" in Path(wsmember.__file__).parts


def test_pytest_is_the_locked_one():
    expected = os.environ.get("EXPECT_PYTEST")
    if expected:
        assert version("pytest") == expected
