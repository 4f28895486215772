import json
import os
import subprocess
import sys
from pathlib import Path

import jsonscan
import pytest

PROJECT = Path(__file__).resolve().parent.parent


def python_counts(value, depth=0):
    """What jsonscan.scan should find, counted by walking Python's own parse."""
    counts = dict.fromkeys(
        ["objects", "arrays", "keys", "strings", "numbers", "literals"], 0
    )
    counts.update(total=0.0, max_depth=depth)

    def walk(v, d):
        if isinstance(v, dict):
            counts["objects"] += 1
            counts["keys"] += len(v)
            counts["max_depth"] = max(counts["max_depth"], d + 1)
            for item in v.values():
                walk(item, d + 1)
        elif isinstance(v, list):
            counts["arrays"] += 1
            counts["max_depth"] = max(counts["max_depth"], d + 1)
            for item in v:
                walk(item, d + 1)
        elif isinstance(v, str):
            counts["strings"] += 1
        elif isinstance(v, bool) or v is None:
            counts["literals"] += 1
        else:
            counts["numbers"] += 1
            counts["total"] += v

    walk(value, depth)
    return counts


def test_counts_a_small_document():
    result = jsonscan.scan('{"a": [1, 2.5, -3e2, true, null], "b\\n": "x\\u00e9"}')
    assert result == {
        "objects": 1,
        "arrays": 1,
        "keys": 2,
        "strings": 1,
        "escapes": 2,
        "numbers": 3,
        "literals": 2,
        "total": 1 + 2.5 - 300,
        "max_depth": 2,
    }


def test_agrees_with_python_on_the_training_document():
    sys.path.insert(0, str(PROJECT))
    try:
        import train
    finally:
        sys.path.pop(0)
    text = train.document(records=300)
    result = jsonscan.scan(text)
    expected = python_counts(json.loads(text))
    for key in [
        "objects",
        "arrays",
        "keys",
        "strings",
        "numbers",
        "literals",
        "max_depth",
    ]:
        assert result[key] == expected[key], key
    assert result["total"] == pytest.approx(expected["total"], rel=1e-9)


@pytest.mark.parametrize(
    "text, where",
    [
        ("", "byte 0"),
        ("[1, 2", "byte 5"),
        ('{"a" 1}', "byte 5"),
        ("[01]", "byte 3"),
        ('["\\x"]', "byte 3"),
        ("[1] x", "byte 4"),
        ("[" * 600 + "]" * 600, "nesting"),
    ],
)
def test_refuses_what_is_not_json(text, where):
    with pytest.raises(ValueError, match=where):
        jsonscan.scan(text)


def test_the_training_runs():
    done = subprocess.run(
        [sys.executable, str(PROJECT / "train.py")],
        env={**os.environ, "ROUNDS": "2"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("scanned ")
