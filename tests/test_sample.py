import numpy as np
import pytest

from rnn_lib import model, sample

VOCAB = list("\n abcdefgh")


@pytest.fixture
def params():
    return model.init_params(len(VOCAB), 16, np.random.default_rng(0), sigma=0.5)


def test_same_seed_same_text(params):
    a = sample.generate(params, VOCAB, 300, np.random.default_rng(7))
    b = sample.generate(params, VOCAB, 300, np.random.default_rng(7))
    c = sample.generate(params, VOCAB, 300, np.random.default_rng(8))
    assert a == b != c
    assert len(a) == 300 and set(a) <= set(VOCAB)


def test_tiny_temperature_is_greedy(params):
    text = sample.generate(params, VOCAB, 50, np.random.default_rng(1), prime="a", temperature=1e-6)
    h, x, greedy = np.zeros(16), VOCAB.index("a"), []
    for _ in range(50):
        h = np.tanh(params.W @ h + params.U[:, x] + params.b)
        x = int(np.argmax(params.V @ h + params.c))
        greedy.append(VOCAB[x])
    assert text == "".join(greedy)


def test_distribution_temperature_and_nucleus():
    o = np.array([2.0, 1.0, 0.0, -1.0])
    p = sample.next_distribution(o)
    np.testing.assert_allclose(p, np.exp(o) / np.exp(o).sum())
    assert sample.next_distribution(o, temperature=0.5)[0] > p[0]
    assert sample.next_distribution(o, temperature=2.0)[0] < p[0]
    nucleus = sample.next_distribution(o, top_p=0.8)  # p = .64 .24 .09 .03: keeps the first two
    np.testing.assert_allclose(nucleus, [p[0] / (p[0] + p[1]), p[1] / (p[0] + p[1]), 0, 0])
    assert sample.next_distribution(np.array([1000.0, 0.0]))[0] == 1.0  # stable for large logits


def test_priming_text_conditions_the_passage(params):
    a = sample.generate(params, VOCAB, 100, np.random.default_rng(3), prime="abc")
    b = sample.generate(params, VOCAB, 100, np.random.default_rng(3), prime="hhh")
    assert a != b


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"prime": "xyz"}, "'x' is not in the vocabulary"),
        ({"prime": ""}, "priming text is empty"),
        ({"temperature": 0}, "temperature must be > 0"),
        ({"temperature": -1}, "temperature must be > 0"),
        ({"top_p": 1.5}, "top_p must be in"),
    ],
)
def test_bad_sampling_requests(params, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sample.generate(params, VOCAB, 10, np.random.default_rng(0), **kwargs)


@pytest.mark.parametrize("name, value", [("W", np.nan), ("c", np.inf)])
def test_parameters_that_are_not_finite_are_refused(params, name, value):
    getattr(params, name)[0] = value  # what a diverged run leaves
    with pytest.raises(ValueError, match=f"parameter {name} holds NaN or inf, so the run that trained it diverged"):
        sample.generate(params, VOCAB, 10, np.random.default_rng(0))
