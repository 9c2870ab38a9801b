"""Chapter 7's mixture of a run's network and chapter 5's n-gram, on the split both chapters use."""

import dataclasses

import numpy as np
import pytest

from rnn_lib.evaluation import heldout
from rnn_lib.report import compare, mixed
from rnn_lib.training import checkpoint, run_text
from rnn_lib.training.loop import train
from rnn_lib.training.settings import Config


def test_each_seed_mixes_its_chosen_model_with_the_ngram(small_corpus, tmp_path):
    config = Config(corpus=str(small_corpus), model="lstm", m=8, batch=2, seq_length=10, steps=40, eval_every=20,
                    sample_length=0, optimizer="adam", eta=0.01, **compare.SPLIT)  # fmt: skip
    results = [train(dataclasses.replace(config, seed=s), tmp_path / f"seed-{s}", progress=False) for s in (0, 1)]
    ids, texts, K = compare.held_out(small_corpus)
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
    assert mixed.network_log_probs(result, compare.held_out(small_corpus)[0]) is None


def test_the_model_validation_chose_is_kept_and_mixed_when_it_is_not_the_last(small_corpus, tmp_path, monkeypatch):
    scripted = iter([5.0, 5.0, 4.0, 4.0, 3.0, 3.0, 3.5, 3.5, 3.6, 3.6])  # validation, test at steps 0, 20, .., 80
    monkeypatch.setattr(run_text, "held_out", lambda *_, **__: next(scripted))
    config = Config(corpus=str(small_corpus), m=8, steps=80, eval_every=20, sample_length=0, engine="numpy",
                    **compare.SPLIT)  # fmt: skip
    result = train(config, tmp_path / "run", progress=False)
    monkeypatch.undo()
    params, info = checkpoint.load(tmp_path / "run" / "chosen.npz")
    assert info["step"] == int(compare.chosen(result, 80)[0]) == 40
    at_40 = train(dataclasses.replace(config, steps=40), tmp_path / "short", progress=False)
    for kept, trained in zip(params, at_40.state.params):  # the parameters after 40 updates, to the bit
        np.testing.assert_array_equal(kept, trained)
    ids = compare.held_out(small_corpus)[0]
    logp = mixed.network_log_probs(result, ids)
    np.testing.assert_array_equal(logp["test"], heldout.log_probs(params, ids["test"]))
