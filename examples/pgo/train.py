"""The PGO training of jsonscan, and the workload its gain is measured on.

Scans a generated JSON document (about 1 MB: nested records with strings, escapes, integers,
floats, exponents and literals, the same document on every run) many times. `pgo-command` in
pyproject.toml runs it; the build action's `pgo` can name this file too. ROUNDS overrides the
number of scans (the tests use a few).
"""

import json
import os
import random

import jsonscan


def document(records: int = 3000, seed: int = 20) -> str:
    """A deterministic document shaped like an API response."""
    rng = random.Random(seed)
    words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        'quote"d',
        "tab\there",
        "naïve",
        "line\nbreak",
    ]
    items = []
    for i in range(records):
        items.append(
            {
                "id": i,
                "name": rng.choice(words) + str(rng.randrange(1000)),
                "score": round(rng.uniform(-1000, 1000), 3),
                "ratio": rng.random() * 10 ** rng.randrange(-5, 6),
                "active": rng.random() < 0.5,
                "parent": None if i % 7 == 0 else rng.randrange(i + 1),
                "tags": [rng.choice(words) for _ in range(rng.randrange(4))],
                "point": {"x": rng.randrange(-500, 500), "y": rng.randrange(-500, 500)},
            }
        )
    return json.dumps({"items": items, "count": records}, indent=1)


def main() -> None:
    text = document()
    rounds = int(os.environ.get("ROUNDS", "400"))
    total = 0
    for _ in range(rounds):
        total += jsonscan.scan(text)["numbers"]
    print(f"scanned {len(text)} bytes {rounds} times ({total} numbers)")


if __name__ == "__main__":
    main()
