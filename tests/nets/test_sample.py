import warnings

import numpy as np
import pytest

from rnn_lib.nets import registry, rnn, sample
from rnn_lib.text import corpus

VOCAB = list("\n abcdefgh")


@pytest.fixture
def params():
    return rnn.init_params(len(VOCAB), 16, np.random.default_rng(0), sigma=0.5)


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


def _document_model(end_bias, K=6, m=4):
    params = rnn.init_params(K, m, np.random.default_rng(0), sigma=0.3)
    params.c[0] = end_bias  # id 0 is the end-of-text character of the vocabulary below
    return params, ["\x03", "a", "b", "c", "d", "e"]


def test_documents_stop_at_the_end_character_or_the_limit():
    params, vocab = _document_model(end_bias=-50.0)  # never ends by itself
    texts = sample.generate_documents(params, vocab, 3, np.random.default_rng(1), "\x03", limit=40)
    assert [(len(t), ended) for t, ended in texts] == [(40, False)] * 3
    params, vocab = _document_model(end_bias=50.0)  # ends at once
    assert sample.generate_documents(params, vocab, 2, np.random.default_rng(1), "\x03") == [("", True)] * 2
    params, vocab = _document_model(end_bias=1.5)
    texts = sample.generate_documents(params, vocab, 50, np.random.default_rng(2), "\x03", limit=30)
    assert any(ended for _, ended in texts) and all("\x03" not in t and len(t) <= 30 for t, _ in texts)
    assert all(len(t) < 30 for t, ended in texts if ended)
    again = sample.generate_documents(params, vocab, 50, np.random.default_rng(2), "\x03", limit=30)
    assert again == texts


def test_documents_need_an_end_character_and_a_limit():
    params, vocab = _document_model(end_bias=0.0)
    with pytest.raises(ValueError, match="no end-of-text character"):
        sample.generate_documents(params, vocab[1:] + ["f"], 1, np.random.default_rng(0), "\x03")
    with pytest.raises(ValueError, match="at least 1 character"):
        sample.generate_documents(params, vocab, 1, np.random.default_rng(0), "\x03", limit=0)


def test_both_engines_write_the_same_documents():
    pytest.importorskip("numba")
    from rnn_lib.training import engines

    params, vocab = _document_model(end_bias=1.0)

    def write(name):
        sampler = engines.resolve(name).sample
        return sample.generate_documents(params, vocab, 20, np.random.default_rng(3), "\x03", limit=60, sampler=sampler)

    texts = [write(name) for name in ("numpy", "numba")]
    assert texts[0] == texts[1]


def _unstreamed(params, vocab, n, rng, prime, temperature, top_p, network):
    """The passage as it was written before it was streamed: every uniform drawn at once."""
    prime_ids = corpus.encode(prime, vocab)
    if network == "rnn":
        h = sample.warm_up(params, np.zeros(params.m), prime_ids)
        return corpus.decode(sample.sample_ids(params, h, prime_ids[-1], rng.random(n), temperature, top_p), vocab)
    net = registry.get(network)
    state = net.zero(1, params.m)
    if len(prime_ids) > 1:
        state = net.hidden(params, prime_ids[None, :-1], state)[1]
    ids = sample.stream_ids(network, params, state, prime_ids[-1], rng.random(n), temperature, top_p)
    return corpus.decode(ids, vocab)


@pytest.mark.parametrize("network, dtype", [("rnn", "float64"), ("lstm", "float64"), ("lstm", "float32")])
@pytest.mark.parametrize("seed, temperature, top_p, prime", [(0, 1.0, None, "\n"), (1, 0.5, 0.9, "abc"),
                                                             (2, 2.0, 0.5, "h"), (3, 1e-6, None, "ge")])  # fmt: skip
def test_the_streamed_passage_is_the_unstreamed_one(network, dtype, seed, temperature, top_p, prime, monkeypatch):
    params = registry.get(network).init(len(VOCAB), 16, np.random.default_rng(5), 0.5, dtype)
    expected = _unstreamed(params, VOCAB, 53, np.random.default_rng(seed), prime, temperature, top_p, network)
    monkeypatch.setattr(sample, "CHUNK", 7)  # pieces end inside the passage, and the last is short
    pieces = list(sample.passage(params, VOCAB, 53, np.random.default_rng(seed), prime, None, temperature, top_p,
                                 network))  # fmt: skip
    assert [len(p) for p in pieces] == [7] * 7 + [4] and "".join(pieces) == expected
    assert sample.generate(params, VOCAB, 53, np.random.default_rng(seed), prime, None, temperature, top_p,
                           network) == expected  # fmt: skip


def test_a_passage_of_any_length_is_written_as_it_is_made(params):
    class Uniforms:  # the generator, counting what each draw asks
        def __init__(self):
            self.rng, self.largest = np.random.default_rng(0), 0

        def random(self, n):
            self.largest = max(self.largest, n)
            return self.rng.random(n)

    uniforms = Uniforms()
    pieces = sample.passage(params, VOCAB, 10**12, uniforms)  # drawn at once: 8 TB of uniforms
    assert len(next(pieces)) == len(next(pieces)) == sample.CHUNK and uniforms.largest == sample.CHUNK
    texts = sample.documents(*_document_model(end_bias=-50.0), 10**12, np.random.default_rng(1), "\x03", limit=40)
    assert [len(text) for text, _ in (next(texts), next(texts))] == [40, 40]  # one at a time, however many
    with pytest.raises(ValueError, match="priming text is empty"):
        sample.passage(params, VOCAB, 10**12, uniforms, prime="")  # refused at once, not at the first piece


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("temperature", [1e-6, 1e-46, 1e-320])
def test_a_tiny_temperature_is_greedy_for_every_dtype_without_warnings(dtype, temperature):
    params = registry.get("lstm").init(len(VOCAB), 16, np.random.default_rng(0), 0.5, dtype)
    greedy = sample.generate(params, VOCAB, 40, np.random.default_rng(1), "a", None, 1e-3, None, "lstm")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = sample.generate(params, VOCAB, 40, np.random.default_rng(1), "a", None, temperature, None, "lstm")
    assert text == greedy and len(set(text)) > 1  # the argmax, not the last character forever
    p = sample.next_distribution(np.array([3.0, 1.0, 3.0 - 1e-3], dtype=dtype), temperature)
    assert p.tolist() == [1.0, 0.0, 0.0]


def test_a_passage_without_a_prime_starts_from_a_line_break_or_what_the_text_has():
    assert sample.default_prime(["\n", " ", "a"]) == "\n"
    assert sample.default_prime([" ", "a"]) == " "  # a text without line breaks
    assert sample.default_prime(["a", "b"]) == "a"
    params = rnn.init_params(2, 4, np.random.default_rng(0))
    assert len(sample.generate(params, ["a", "b"], 10, np.random.default_rng(0))) == 10
