"""The network and the n-gram mixed, character by character, with the weight chosen on validation."""

import math

import numpy as np
import pytest

from rnn_lib.evaluation import heldout, mixture, ngram
from rnn_lib.nets import lstm, rnn


@pytest.mark.parametrize("network", ["rnn", "lstm"])
def test_the_log_probabilities_are_the_held_out_loss_character_by_character(network):
    rng = np.random.default_rng(0)
    params = rnn.init_params(12, 8, rng, 0.3) if network == "rnn" else lstm.init_params(12, 8, rng)
    ids = rng.integers(0, 12, 3001)
    logp = heldout.log_probs(params, ids, streams=7, warmup=40, block=100, network=network)
    assert logp.shape == (3000,) and (logp < 0).all()
    expected = heldout.cross_entropy(params, ids, streams=7, warmup=40, block=100, network=network)
    assert -logp.mean() == pytest.approx(expected, rel=1e-12)
    if network == "rnn":  # the first segment is read from h0 = 0, as one pass reads it
        H = rnn.hidden_states(params, ids[:100], np.zeros(8))
        O = H[1:] @ params.V.T + params.c
        first = O[np.arange(100), ids[1:101]] - np.log(np.exp(O).sum(axis=1))
        np.testing.assert_allclose(logp[:100], first, rtol=1e-12)


def test_the_ngram_log_probabilities_are_its_cross_entropy_character_by_character():
    text = "the cat sat on the mat. the dog sat on the log. " * 5
    model = ngram.fit(text, 3, K=len(set(text)) + 1)
    held = "the dog sat on the cat."
    logp = ngram.log_probs(model, held)
    assert len(logp) == len(held) - 1
    assert -sum(logp) / len(logp) == pytest.approx(ngram.cross_entropy(model, held), rel=1e-12)
    assert logp[0] == pytest.approx(math.log(ngram.probability(model, "t", "h")))


def test_the_mixture_is_each_model_at_its_ends_and_a_hand_computed_one_between():
    net, gram = np.log([0.5, 0.25]), np.log([0.25, 0.5])
    assert mixture.bits(net, gram, 1.0) == pytest.approx(-np.log2([0.5, 0.25]).mean())
    assert mixture.bits(net, gram, 0.0) == pytest.approx(-np.log2([0.25, 0.5]).mean())
    assert mixture.bits(net, gram, 0.5) == pytest.approx(-np.log2([0.375, 0.375]).mean())
    with pytest.raises(ValueError, match="score different characters"):
        mixture.bits(net, gram[:1], 0.5)


def test_lambda_is_chosen_on_validation_and_the_test_is_scored_with_it():
    rng = np.random.default_rng(3)
    # two models that are each right where the other is wrong: the mixture beats both
    p_net = np.where(rng.random(5000) < 0.5, 0.9, 0.05)
    p_gram = np.where(p_net > 0.5, 0.1, 0.6)
    validation, test = (np.log(p_net[:2500]), np.log(p_gram[:2500])), (np.log(p_net[2500:]), np.log(p_gram[2500:]))
    lam = mixture.choose(*validation)
    brute = min(np.linspace(0, 1, 10001), key=lambda x: mixture.bits(*validation, x))
    assert lam == pytest.approx(brute, abs=2e-4)
    result = mixture.figures(validation, test)
    assert result["lambda"] == lam
    for part in ("validation", "test"):
        alone = min(result[part]["network"], result[part]["ngram"])
        assert result[part]["mixture"] < alone
    assert result["test"]["mixture"] == pytest.approx(mixture.bits(*test, lam))
    same = (validation[0], validation[0])  # a model mixed with itself is itself, whatever the weight
    assert mixture.bits(*same, mixture.choose(*same)) == pytest.approx(mixture.bits(*same, 1.0))
