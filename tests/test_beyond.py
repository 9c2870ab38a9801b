"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import math

import numpy as np
import pytest

from rnn_lib import analysis, compare, evaluate, model, ngram, rules, runs, train


def test_split_holds_out_the_end():
    ids = np.arange(100)
    train_part, held_out = evaluate.split(ids, 0.1)
    assert list(held_out) == list(range(90, 100)) and len(train_part) == 90
    with pytest.raises(ValueError, match="between 0 and 1"):
        evaluate.split(ids, 1.5)


def test_held_out_cross_entropy_is_the_mean_loss_of_one_pass():
    rng = np.random.default_rng(0)
    params = model.init_params(12, 8, rng, 0.3)
    ids = rng.integers(0, 12, 1234)
    expected = model.loss(params, ids[:-1], ids[1:], np.zeros(8)) / 1233
    assert evaluate.cross_entropy(params, ids, block=100) == pytest.approx(expected, rel=1e-12)
    assert evaluate.bits(math.log(2)) == pytest.approx(1.0)


def test_training_with_a_held_out_part(small_corpus, tmp_path):
    kw = dict(
        corpus=str(small_corpus),
        steps=300,
        m=16,
        validation=0.2,
        eval_every=100,
        sample_length=0,
        checkpoint_every=100,
        progress=False,
    )
    r = train.train(run_dir=tmp_path / "a", **kw)
    assert r.validation[:, 0].tolist() == [0, 100, 200, 300]
    assert r.validation[-1, 2] < r.validation[0, 2]  # it learns something that carries over
    assert r.summary["validation_characters"] == 600 and r.summary["best_validation_nats"] == r.validation[:, 2].min()
    np.testing.assert_array_equal(runs.read_validation(tmp_path / "a"), r.validation)
    per_epoch = rules.updates_per_epoch(2400, 25)  # trained on the first 80 % only
    assert r.summary["updates_per_epoch"] == per_epoch
    train.train(run_dir=tmp_path / "b", **{**kw, "steps": 150})
    resumed = train.train(run_dir=tmp_path / "b", **kw)
    np.testing.assert_array_equal(resumed.validation, r.validation)


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


def test_evaluate_orders_and_the_best_one():
    text = "to be or not to be that is the question " * 30
    rows = ngram.evaluate_orders(text, text[:200], len(set(text)), 3)
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[0][1] == pytest.approx(ngram.cross_entropy(ngram.fit(text, 1, K=len(set(text))), text[:200]))
    assert ngram.best(rows) == min(rows, key=lambda r: r[1]) == rows[2]


def test_comparison_helpers(small_corpus, tmp_path):
    r = compare.heldout_run(tmp_path, "x", corpus=small_corpus, steps=200, m=8, eval_every=50)
    assert (tmp_path / "beyond" / "x" / "last.npz").exists() and r.config.validation == compare.HELD_OUT
    assert compare.budget(100, epochs=2.5) == 250 and compare.budget(100, epochs=2, steps=7) == 7
    assert compare.within(r, 100)[:, 0].tolist() == [0, 50, 100]
    assert compare.best_nats(r, 100) == r.validation[:3, 2].min()
    steps, bits = compare.curve(r, 100)
    np.testing.assert_allclose(bits, evaluate.bits(r.validation[:3, 2]))
    assert compare.size(r.state.params) == 8 + r.stats["K"] + 2 * 8 * r.stats["K"] + 64
    texts, rows = compare.copying(
        r.state.best,
        r.vocab,
        np.arange(r.stats["K"]).repeat(3),
        "abc" * 50,
        compare.sampling_settings((1.0,), (0.9,)),
        length=100,
    )
    assert list(texts) == ["T = 1.0", "top-p = 0.9"] and [row[0] for row in rows][-1] == "held-out text"
    again = compare.heldout_run(tmp_path, "x", corpus=small_corpus, steps=200, m=8, eval_every=50)
    assert again.summary["seconds"] == r.summary["seconds"]  # loaded, not trained again


def test_writing_measures_count_real_words_and_repetition():
    known, repeated = analysis.writing_measures("the cat xq the cat", {"the", "cat"}, n=3)
    assert known == 0.8 and repeated == pytest.approx(5 / 16)
