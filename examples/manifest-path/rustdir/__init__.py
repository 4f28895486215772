"""The Python half of the package; `double` comes from Rust (rustdir._native)."""

from rustdir._native import double

__all__ = ["double", "halve"]


def halve(value):
    return value // 2
