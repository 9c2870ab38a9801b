"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import pytest

from rnn_lib.evaluation import ngram


def test_kneser_ney_distributions_sum_to_one():
    text = "the cat sat on the mat. the dog sat on the log. " * 5
    raw = ngram.ngram_counts(text, 4)
    vocab = sorted(set(text)) + ["#"]  # one character the text never has
    for order in (1, 2, 3, 4):
        model = ngram.fit(text, order, K=len(vocab), raw=raw)
        for history in ("", "t", "th", "the", "xyz", "at "):
            total = sum(ngram.probability(model, history, ch) for ch in vocab)
            assert total == pytest.approx(1.0, abs=1e-12), (order, history)
        assert ngram.probability(model, "the", "#") > 0


def test_kneser_ney_unigram_and_a_hand_computed_bigram():
    text = "abab"
    model = ngram.fit(text, 1, K=3)
    d = model["tables"][0]["discount"]  # counts a:2 b:2 → n1 = 0, n2 = 2 → D = 0
    assert d == 0.0 and ngram.probability(model, "", "a") == pytest.approx(0.5)
    model = ngram.fit(text, 2, K=3)
    # bigrams ab:2 ba:1, so D2 = 1 / (1 + 2). Continuation unigrams: b follows one distinct
    # character, a one: both counts 1, so D1 = 1 and P1(b) = 0 + 1 * 2/2 * 1/K = 1/3.
    d2, p_b_lower = 1 / 3, 1 / 3
    expected = (2 - d2) / 2 + d2 * 1 / 2 * p_b_lower  # context "a": total 2, one type
    assert ngram.probability(model, "a", "b") == pytest.approx(expected)


def test_higher_orders_predict_repetitive_text_better():
    text = "to be or not to be that is the question " * 30
    held = "to be or not to be that is the question " * 3
    ce = [ngram.cross_entropy(ngram.fit(text, n), held) for n in (1, 2, 4)]
    assert ce[0] > ce[1] > ce[2]
    with pytest.raises(ValueError):
        ngram.fit(text, 0)


def test_the_n_gram_order_and_discount_are_chosen_on_validation():
    text = "to be or not to be that is the question " * 30
    rows, best = ngram.choose(text, text[:200], len(set(text)), 3, scales=(0.5, 1.0))
    assert [r[:2] for r in rows] == [(1, 1.0), (2, 1.0), (3, 1.0), (3, 0.5)]
    expected = ngram.cross_entropy(ngram.fit(text, 1, K=len(set(text))), text[:200])
    assert rows[0][2] == pytest.approx(expected)
    assert best == min(rows, key=lambda r: r[2])
