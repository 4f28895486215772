import pytest

import mixed
from mixed import stats


def test_total_comes_from_rust():
    assert mixed.total([1, 2, 3]) == 6
    assert mixed._core.__name__ == "mixed._core"


def test_mean_uses_the_extension():
    assert stats.mean([2, 4]) == 3.0


def test_mean_of_nothing_fails():
    with pytest.raises(ValueError):
        stats.mean([])
