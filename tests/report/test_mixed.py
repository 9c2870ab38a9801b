"""Chapter 7's mixture of a run's network and chapter 5's n-gram, on the split both chapters use."""

import dataclasses

import pytest

from rnn_lib.report import compare, mixed
from rnn_lib.training.loop import train
from rnn_lib.training.settings import Config


def test_each_seed_mixes_its_chosen_model_with_the_ngram(small_corpus, tmp_path):
    config = Config(corpus=str(small_corpus), model="lstm", m=8, batch=2, seq_length=10, steps=40, eval_every=20,
                    sample_length=0, optimizer="adam", eta=0.01, **compare.SPLIT)  # fmt: skip
    results = [train(dataclasses.replace(config, seed=s), tmp_path / f"seed-{s}", progress=False) for s in (0, 1)]
    ids, texts, K = mixed.held_out(small_corpus)
    rows, gram = compare.fit_ngram(texts, K, 3)
    out = mixed.figures(results, gram, small_corpus)
    assert len(out["seeds"]) == sum(int(compare.chosen(r, 40)[0]) == 40 for r in results) > 0
    for seed in out["seeds"]:
        assert 0.0 <= seed["lambda"] <= 1.0
        assert seed["test"]["ngram"] == pytest.approx(gram["test"], rel=1e-9)  # chapter 5's n-gram, to the digit
        assert seed["validation"]["mixture"] <= min(seed["validation"]["network"], seed["validation"]["ngram"])
    assert out["test"]["mixture"]["n"] == len(out["seeds"])


def test_a_seed_whose_chosen_model_was_not_kept_is_left_out(small_corpus, tmp_path):
    config = Config(corpus=str(small_corpus), m=8, steps=40, eval_every=20, sample_length=0,
                    **compare.SPLIT)  # fmt: skip
    result = train(config, tmp_path / "run", progress=False)
    result.validation[-1, 2] = 1e9  # as if validation had chosen the evaluation before the last
    assert mixed.network_log_probs(result, mixed.held_out(small_corpus)[0]) is None
