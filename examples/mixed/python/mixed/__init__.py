"""The pure-Python half of the package; the arithmetic happens in Rust (mixed._core)."""

from mixed._core import total
from mixed.stats import mean

__all__ = ["mean", "total"]
