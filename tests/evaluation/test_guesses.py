"""The guesses of a network after each character equal a direct computation, softmax(V h + c), for both networks."""

import numpy as np
import pytest

from rnn_lib.evaluation import guesses
from rnn_lib.nets import registry


@pytest.mark.parametrize("network", registry.NAMES)
def test_reading_equals_softmax_of_each_hidden_state(network, rng):
    K, m, T = 7, 6, 30
    params = registry.get(network).init(K, m, rng, 0.5)
    ids = rng.integers(0, K, T)
    reading = guesses.read(params, ids, network)
    assert reading.states.shape == (T, m) and reading.top_ids.shape == reading.top_probs.shape == (T, 5)
    assert reading.loss.shape == (T,) and reading.states.dtype == np.float64

    net = registry.get(network)
    state, h = net.zero(1, m), np.zeros(m)
    for t in range(T):
        o = params.V @ h + params.c
        p = np.exp(o - o.max()) / np.exp(o - o.max()).sum()
        assert reading.loss[t] == pytest.approx(-np.log(p[ids[t]]), rel=1e-12)
        _, state = net.hidden(params, ids[None, t : t + 1], state)
        h = net.output(state)[0]
        np.testing.assert_allclose(reading.states[t], h, rtol=1e-12, atol=1e-15)
        o = params.V @ h + params.c
        p = np.exp(o - o.max()) / np.exp(o - o.max()).sum()
        np.testing.assert_array_equal(reading.top_ids[t], np.argsort(-p, kind="stable")[:5])
        np.testing.assert_allclose(reading.top_probs[t], p[reading.top_ids[t]], rtol=1e-12)
    assert np.all(np.diff(reading.top_probs, axis=1) <= 0)


def test_typical_window_is_the_median_one():
    loss = np.repeat([1.0, 5.0, 2.5, 9.0, 2.0], 4)
    assert guesses.typical_window(loss, 4) == (8, 2.5)  # the window of mean 2.5, the median of 1, 2, 2.5, 5, 9


def test_in_top_counts_the_next_characters_guessed(rng):
    reading = guesses.Reading(None, np.array([[2, 0, 1, 3, 4]] * 3), None, None)
    assert guesses.in_top(reading, [0, 2, 1], k=1) == 0.5  # 2 after the first character, not 1 after the second
    assert guesses.in_top(reading, [0, 2, 1]) == 1.0
