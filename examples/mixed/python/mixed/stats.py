"""A pure-Python submodule built on the Rust extension."""

from mixed._core import total


def mean(values: list[int]) -> float:
    if not values:
        raise ValueError("mean of an empty list")
    return total(values) / len(values)
