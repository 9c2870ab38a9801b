"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import math

import numpy as np
import pytest

from rnn_lib.evaluation import analysis


def test_copied_fraction_and_known_words():
    K = 5
    training = np.array([0, 1, 2, 3, 4, 0, 1, 2])
    codes = np.unique(analysis.ngram_codes(training, 3, K))
    assert analysis.ngram_codes([1, 2, 3], 3, K).tolist() == [1 * 25 + 2 * 5 + 3]
    assert analysis.copied_fraction(np.array([0, 1, 2, 3]), codes, 3, K) == 1.0
    assert analysis.copied_fraction(np.array([0, 1, 2, 2]), codes, 3, K) == 0.5
    assert analysis.known_word_fraction("the cat and a dgo", analysis.words("the cat and the dog")) == 0.6


def test_text_features():
    text = 'KING:\nHe said "go"\n'
    f = analysis.text_features(text)
    assert f["position in line"].tolist()[:7] == [1, 2, 3, 4, 5, 0, 1]
    assert f["position in word"].tolist()[6:10] == [1, 2, 0, 1]
    assert f["line break"].sum() == 2
    assert f["capitals line"].tolist()[:8] == [1, 1, 1, 1, 1, 0, 1, 0] and f["capitals line"][7:].sum() == 0
    assert "inside quotes" not in f  # fewer than ten quotation marks: no such feature
    quoted = analysis.text_features('a "bc" d ' * 10)["inside quotes"]
    assert quoted.tolist()[:8] == [0, 0, 1, 1, 1, 0, 0, 0]


def test_best_units_find_a_planted_unit():
    rng = np.random.default_rng(0)
    feature = rng.random(500)
    activations = rng.standard_normal((500, 20))
    activations[:, 13] = -feature + 0.01 * rng.standard_normal(500)
    unit, r = analysis.best_units(activations, {"planted": feature})["planted"]
    assert unit == 13 and r < -0.99
    assert analysis.correlations(np.ones((10, 2)), np.arange(10.0)).tolist() == [0.0, 0.0]


def test_repeated_fraction_counts_strings_seen_earlier_in_the_same_text():
    assert analysis.repeated_fraction("abcd", 2) == 0.0
    assert analysis.repeated_fraction("ababab", 2) == 1 - 2 / 5
    assert math.isnan(analysis.repeated_fraction("a", 2))
    assert analysis.repeated_fraction("€" * 30, 10) > 0.9  # any alphabet, any size


def test_units_by_feature_groups_what_one_unit_tracks():
    found = {"a": (3, 0.5), "b": (3, -0.25), "c": (1, 0.1)}
    assert analysis.units_by_feature(found) == {3: ["a (r = +0.50)", "b (r = -0.25)"], 1: ["c (r = +0.10)"]}


def test_writing_measures_count_real_words_and_repetition():
    known, repeated = analysis.writing_measures("the cat xq the cat", {"the", "cat"}, n=3)
    assert known == 0.8 and repeated == pytest.approx(5 / 16)
