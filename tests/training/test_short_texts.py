"""Training on short documents: layout, split, chunking, the reset of the hidden state, both engines."""

import numpy as np
import pytest

from rnn_lib.evaluation import heldout
from rnn_lib.nets import gradcheck, optim, rnn
from rnn_lib.text import short_texts
from rnn_lib.text.corpus import decode
from rnn_lib.text.documents import END
from rnn_lib.training import engines, update
from rnn_lib.training.state import State

DOCS = ["ab", "ba ba", "c", "abcab cabca bcabc"]  # 2, 5, 1 and 17 characters
VOCAB = short_texts.document_vocab(DOCS)
E = VOCAB.index(END)
IDS = short_texts.encode_documents(DOCS, VOCAB)


def _epoch(ids, seq_length, end):
    """(position, length, hidden state reset before it) of every chunk of one epoch, by the rules."""
    e, chunks = 0, []
    while True:
        length = update.chunk_length(ids, e, seq_length, end)
        chunks.append((e, length, update.resets(ids, e, end)))
        e = update.next_position(e, length, len(ids), seq_length, end)
        if e == 0:
            return chunks


def test_layout_bounds_and_lengths():
    assert decode(IDS, VOCAB) == END + END.join(DOCS) + END
    starts, stops = short_texts.bounds(IDS, E)
    assert [decode(IDS[a + 1 : b], VOCAB) for a, b in zip(starts, stops)] == DOCS
    assert short_texts.lengths(IDS, E).tolist() == [2, 5, 1, 17]


def test_chunks_stop_at_every_end_and_the_state_resets_at_every_document():
    # documents of 2, 5, 1, 17 characters give 3, 6, 2, 18 targets: in chunks of at most 4
    assert _epoch(IDS, 4, E) == [
        (0, 3, True),  # END a b -> a b END
        (3, 4, True), (7, 2, False),  # END b a _ -> b a _ b, then b a -> a END
        (9, 2, True),
        (11, 4, True), (15, 4, False), (19, 4, False), (23, 4, False), (27, 2, False),
    ]  # fmt: skip
    for e, length, _ in _epoch(IDS, 4, E):
        x, y = IDS[e : e + length], IDS[e + 1 : e + length + 1]
        assert E not in x[1:] and E not in y[:-1]  # no chunk crosses a boundary
    assert update.updates_per_epoch(len(IDS), 4, IDS, E) == 9


@pytest.mark.parametrize("seq_length", [1, 2, 3, 25])
def test_every_target_is_read_once_per_epoch(seq_length):
    chunks = _epoch(IDS, seq_length, E)
    read = [p for e, length, _ in chunks for p in range(e + 1, e + length + 1)]
    assert read == list(range(1, len(IDS)))
    assert len(chunks) == update.updates_per_epoch(len(IDS), seq_length, IDS, E)
    assert [e for e, _, reset in chunks if reset] == short_texts.bounds(IDS, E)[0].tolist()


def test_one_long_text_keeps_the_assignments_rule():
    ids = np.arange(60) % 7
    assert [e for e, _, _ in _epoch(ids, 10, -1)] == [0, 10, 20, 30, 40]
    assert update.updates_per_epoch(60, 10) == 5


def test_split_keeps_documents_whole():
    docs = [f"document number {k}" for k in range(100)]
    vocab = short_texts.document_vocab(docs)
    end = vocab.index(END)
    ids = short_texts.encode_documents(docs, vocab)
    train, validation, test = short_texts.split_documents(ids, end, 0.1, 0.1)
    counts = [len(short_texts.lengths(part, end)) for part in (train, validation, test)]
    assert counts == [80, 10, 10]
    joined = np.concatenate([train, validation[1:], test[1:]])  # neighbours share their END
    assert np.array_equal(joined, ids)
    assert short_texts.split_documents(ids, end, 0.1, 0.0)[2].size == 0
    with pytest.raises(ValueError, match="for test leaves none: hold out more"):
        short_texts.split_documents(short_texts.encode_documents(docs[:3], vocab), end, 0.4, 0.01)


def _state(K, m, optimizer="adagrad", seed=0):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(K, m, rng, sigma=0.3)
    return State(params, optim.init_state(optimizer, params), np.zeros(m), rnn.copy(params), rng, smooth_loss=30.0)


def test_training_on_documents_is_the_per_document_loop():
    """The engine's updates equal a loop written from the course's words: each document from h = 0,
    in chunks of at most seq_length that end at its END; two epochs."""
    seq_length, hp = 4, optim.DEFAULTS["adagrad"]
    state, expected = _state(len(VOCAB), 6), _state(len(VOCAB), 6)
    n = 2 * update.updates_per_epoch(len(IDS), seq_length, IDS, E)
    losses, _ = engines.resolve("numpy").updates(state, IDS, n, seq_length, 5.0, "adagrad", hp, E)
    expected_losses = []
    for _ in range(2):
        for start, stop in zip(*short_texts.bounds(IDS, E)):
            h = np.zeros(6)
            for e in range(start, stop, seq_length):
                x, y = IDS[e : min(e + seq_length, stop)], IDS[e + 1 : min(e + seq_length, stop) + 1]
                loss, grads, h = rnn.loss_and_grads(expected.params, x, y, h)
                optim.adagrad(expected.params, optim.clip(grads, 5.0), expected.opt, **hp)
                expected_losses.append(loss)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12)
    for a, b in zip(state.params, expected.params):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    assert state.e == 0 and not state.hprev.any()


def test_the_hidden_state_is_zero_exactly_at_document_starts():
    state = _state(len(VOCAB), 6)
    numpy = engines.resolve("numpy")
    for _ in range(12):
        numpy.updates(state, IDS, 1, 4, 5.0, "adagrad", optim.DEFAULTS["adagrad"], E)
        assert (IDS[state.e] == E) == (not state.hprev.any())


@pytest.mark.parametrize("optimizer", ["adagrad", "adam"])
def test_the_compiled_engine_agrees_on_documents(optimizer):
    pytest.importorskip("rnn_lib.training.compiled", reason="numba is not installed")
    hp, seq_length = optim.DEFAULTS[optimizer], 4
    a, b = _state(len(VOCAB), 6, optimizer), _state(len(VOCAB), 6, optimizer)
    n = 2 * update.updates_per_epoch(len(IDS), seq_length, IDS, E) + 3  # past two epoch ends
    loss_np, smooth_np = engines.resolve("numpy").updates(a, IDS, n, seq_length, 5.0, optimizer, hp, E)
    loss_nb, smooth_nb = engines.resolve("numba").updates(b, IDS, n, seq_length, 5.0, optimizer, hp, E)
    np.testing.assert_allclose(loss_nb, loss_np, rtol=1e-10)
    np.testing.assert_allclose(smooth_nb, smooth_np, rtol=1e-10)
    assert (a.e, a.best_step, a.opt["t"]) == (b.e, b.best_step, b.opt["t"])
    np.testing.assert_allclose(b.hprev, a.hprev, atol=1e-12)
    for x, y in zip(a.params, b.params):
        np.testing.assert_allclose(y, x, rtol=1e-9, atol=1e-12)


def test_gradients_of_a_document_chunk_from_the_reset():
    """The chunk a document starts with: END as input, h0 = 0, and its END as the last target."""
    params = rnn.init_params(len(VOCAB), 8, np.random.default_rng(3), sigma=0.3)
    start, stop = short_texts.bounds(IDS, E)[0][1], short_texts.bounds(IDS, E)[1][1]
    x, y = IDS[start:stop], IDS[start + 1 : stop + 1]
    assert x[0] == E and y[-1] == E and len(x) < 25
    results = gradcheck.check_gradients(params, x, y, np.zeros(8))
    assert max(r["max_rel"] for r in results.values()) < 1e-6


def test_held_out_documents_are_each_read_from_zero():
    params = rnn.init_params(len(VOCAB), 8, np.random.default_rng(4), sigma=0.3)
    loop = sum(rnn.loss(params, IDS[a:b], IDS[a + 1 : b + 1], np.zeros(8)) for a, b in zip(*short_texts.bounds(IDS, E)))
    expected = loop / (len(IDS) - 1)
    for group in (1, 2, 256):
        assert heldout.document_cross_entropy(params, IDS, E, group) == pytest.approx(expected, rel=1e-12)
