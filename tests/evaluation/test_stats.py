"""Spread over seeds, and the call whether two settings differ by more than it."""

import pytest

from rnn_lib.evaluation import stats


def test_spread():
    s = stats.spread([1.0, 2.0, 3.0])
    assert s == {"mean": 2.0, "sd": 1.0, "min": 1.0, "max": 3.0, "n": 3}
    assert stats.spread([5.0])["sd"] == 0.0
    assert stats.mean_sd([2.9, 2.95, 3.0]) == "2.950 ± 0.050"


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([1.0, 1.1, 0.9], [2.0, 2.1, 1.9], -1),  # far apart: a is lower
        ([2.0, 2.1, 1.9], [1.0, 1.1, 0.9], 1),
        ([1.0, 1.2, 0.8], [1.25, 1.45, 1.05], 0),  # means 0.25 apart, spread 0.2 + 0.2: cannot tell
        ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], 0),
        ([1.0], [2.0], 0),  # one run each: no spread measured, nothing can be told
        ([1.0, 1.01], [1.02, 1.03], -1),
    ],
)
def test_separated_only_beyond_the_spread(a, b, expected):
    assert stats.separated(a, b) == expected


def test_ranking_puts_settings_the_runs_cannot_tell_apart_in_one_tier():
    results = {"adam": [2.69, 2.70, 2.68], "rmsprop": [2.93, 2.95, 2.91], "adagrad": [2.95, 2.97, 2.93]}
    assert stats.ranking(results) == [("adam", 0), ("rmsprop", 1), ("adagrad", 1)]
