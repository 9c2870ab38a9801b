"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import math

import numpy as np
import pytest

from rnn_lib import analysis, compare, evaluate, model, ngram, rules, runs, train


def test_split_is_train_validation_test_in_that_order():
    ids = np.arange(100)
    train_part, validation, test = evaluate.split(ids, 0.1, 0.1)
    assert list(train_part) == list(range(80)) and list(validation) == list(range(80, 90))
    assert list(test) == list(range(90, 100))
    train_part, validation, test = evaluate.split(ids, 0.2)
    assert len(train_part) == 80 and len(validation) == 20 and len(test) == 0
    with pytest.raises(ValueError, match="leave text to train on"):
        evaluate.split(ids, 0.6, 0.5)
    with pytest.raises(ValueError, match="leaves 1 to evaluate on"):
        evaluate.split(ids, 0.01)


def test_held_out_cross_entropy_is_the_mean_loss_of_one_pass():
    rng = np.random.default_rng(0)
    params = model.init_params(12, 8, rng, 0.3)
    ids = rng.integers(0, 12, 1234)
    expected = model.loss(params, ids[:-1], ids[1:], np.zeros(8)) / 1233
    assert evaluate.cross_entropy(params, ids, block=100) == pytest.approx(expected, rel=1e-12)
    assert evaluate.bits(math.log(2)) == pytest.approx(1.0)


def test_streams_read_side_by_side_agree_with_one_pass():
    rng = np.random.default_rng(1)
    params = model.init_params(12, 8, rng, 0.3)  # contracting: the warm-up makes the state forget h0
    ids = rng.integers(0, 12, 5000)
    one_pass = evaluate.cross_entropy(params, ids)
    for streams in (2, 7, 32):
        assert evaluate.cross_entropy(params, ids, streams=streams, warmup=50) == pytest.approx(one_pass, rel=1e-6)
    cold = evaluate.cross_entropy(params, ids, streams=32, warmup=0)  # every segment from h0 = 0
    assert cold != pytest.approx(one_pass, rel=1e-9)


def test_training_with_validation_and_test_parts(small_corpus, tmp_path):
    kw = dict(corpus=str(small_corpus), steps=300, m=16, validation=0.1, test=0.1, eval_every=100,
              sample_length=0, checkpoint_every=100, progress=False)  # fmt: skip
    r = train.train(run_dir=tmp_path / "a", **kw)
    assert r.validation[:, 0].tolist() == [0, 100, 200, 300]
    assert r.validation[-1, 2] < r.validation[0, 2]  # it learns something that carries over
    chosen = r.validation[r.validation[:, 2].argmin()]
    assert r.summary["best_validation_nats"] == chosen[2] and r.summary["test_nats"] == chosen[3]
    assert r.summary["best_validation_step"] == chosen[0]
    np.testing.assert_array_equal(runs.read_validation(tmp_path / "a"), r.validation)
    assert r.summary["updates_per_epoch"] == rules.updates_per_epoch(2400, 25)  # trained on the first 80 % only
    train.train(run_dir=tmp_path / "b", **{**kw, "steps": 150})
    resumed = train.train(run_dir=tmp_path / "b", **kw)
    np.testing.assert_array_equal(resumed.validation, r.validation)
    with pytest.raises(ValueError, match="--test needs --validation"):
        train.train(run_dir=tmp_path / "c", **{**kw, "validation": 0.0})


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


def test_the_n_gram_order_and_discount_are_chosen_on_validation():
    text = "to be or not to be that is the question " * 30
    rows, best = ngram.choose(text, text[:200], len(set(text)), 3, scales=(0.5, 1.0))
    assert [r[:2] for r in rows] == [(1, 1.0), (2, 1.0), (3, 1.0), (3, 0.5)]
    expected = ngram.cross_entropy(ngram.fit(text, 1, K=len(set(text))), text[:200])
    assert rows[0][2] == pytest.approx(expected)
    assert best == min(rows, key=lambda r: r[2])


def test_comparison_helpers(small_corpus, tmp_path):
    plan = compare.plan(tmp_path, "x", [3, 4], corpus=small_corpus, steps=200, m=8, eval_every=50)
    assert list(plan) == ["x/seed-3", "x/seed-4"] and plan["x/seed-4"][1] == tmp_path / "beyond" / "x" / "seed-4"
    config = plan["x/seed-3"][0]
    assert (config.seed, config.validation, config.test, config.m) == (3, 0.1, 0.1, 8)
    results = {name: train.train(c, d, progress=False) for name, (c, d) in plan.items()}
    group = compare.of(results, "x")
    assert len(group) == 2 and compare.of(results, "y") == []
    assert compare.budget(100, epochs=2.5) == 250 and compare.budget(100, epochs=2, steps=7) == 7
    r = group[0]
    assert compare.within(r, 100)[:, 0].tolist() == [0, 50, 100]
    row = compare.chosen(r, 100)
    assert row[2] == r.validation[:3, 2].min()
    figures = compare.figures(group, 100)
    assert figures["test"][0] == pytest.approx(evaluate.bits(row[3]))
    steps, mean, sd = compare.band(group, 100)
    assert steps.tolist() == [0, 50, 100] and mean.shape == sd.shape == (3,)
    assert compare.best_setting({"x": group, "z": group[:1]}, 100) in ("x", "z")
    assert compare.size(r.state.params) == 8 + r.stats["K"] + 2 * 8 * r.stats["K"] + 64
    settings = compare.sampling_settings((1.0,), (0.9,))
    texts, rows = compare.copying(r.state.best, r.vocab, np.arange(r.stats["K"]).repeat(3),
                                  {"validation text": "abc" * 50}, settings, length=100)  # fmt: skip
    assert list(texts) == ["T = 1.0", "top-p = 0.9"] and rows[-1][0] == "validation text"
    assert compare.closest([("a", 0.1, 0), ("b", 0.5, 0), ("real", 0.45, 0)], ["a", "b"], "real") == "b"


def test_writing_measures_count_real_words_and_repetition():
    known, repeated = analysis.writing_measures("the cat xq the cat", {"the", "cat"}, n=3)
    assert known == 0.8 and repeated == pytest.approx(5 / 16)


def test_the_end_of_a_run_is_evaluated_and_a_resumed_run_matches(small_corpus, tmp_path):
    kw = dict(corpus=str(small_corpus), m=16, validation=0.1, test=0.1, eval_every=100, sample_length=0,
              checkpoint_every=100, progress=False)  # fmt: skip
    straight = train.train(run_dir=tmp_path / "a", steps=250, **kw)
    assert straight.validation[:, 0].tolist() == [0, 100, 200, 250]
    train.train(run_dir=tmp_path / "b", steps=150, **kw)
    resumed = train.train(run_dir=tmp_path / "b", steps=250, **kw)
    np.testing.assert_array_equal(resumed.validation, straight.validation)
