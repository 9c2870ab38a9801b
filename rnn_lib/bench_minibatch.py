"""Speed benchmark of minibatches: characters per second of a full training update, B = 1 against B = 32.

One update is loss_and_grads, clipping and AdaGrad on a minibatch of B streams of seq_length
characters (:mod:`rnn_lib.streams`), so it trains on B * seq_length characters. Characters per
second, not updates, compare the batch sizes: an update at B = 32 costs more and reads 32 times
as much text. The vanilla RNN at B = 1 is the assignment's :func:`rnn_lib.model.loss_and_grads`;
at B > 1 it is :func:`rnn_lib.batched.loss_and_grads`; the LSTM is :func:`rnn_lib.lstm.loss_and_grads`
at every B. As in :func:`rnn_lib.bench.benchmark`, the configurations run in one process on the
same text, in alternating rounds, and each reports its best round.
"""

import time
from types import SimpleNamespace

import numpy as np

from . import batched, lstm, model, optim, streams
from .data import load_corpus

CLIP = 5.0


def configurations(m=100, lstm_sizes=(100, 256), batch=32):
    """The rows of the table, in order: tuples (model, m, B, dtype name).

    The vanilla RNN at ``m``, the LSTM at each of ``lstm_sizes``, each at B = 1 and B = ``batch``
    in float64; then the largest LSTM at B = ``batch`` in float32, to see whether float32 pays.
    """
    rows = [("rnn", m, B, "float64") for B in (1, batch)]
    rows += [("lstm", size, B, "float64") for size in lstm_sizes for B in (1, batch)]
    return rows + [("lstm", max(lstm_sizes), batch, "float32")]


def _assignment_step(params, X, Y, h):
    """:func:`rnn_lib.model.loss_and_grads` on the single stream of X, Y (1, T), with its (m,) state."""
    return model.loss_and_grads(params, X[0], Y[0], h)


def _trainer(config, K, S, seed=0):
    """What one configuration's updates carry on: parameters, AdaGrad's memories, state and position.

    S : (B, L + 1) int streams of :func:`rnn_lib.streams.cut`.
    """
    name, m, B, dtype = config
    rng = np.random.default_rng(seed)
    if name == "lstm":
        params = lstm.init_params(K, m, rng, dtype=np.dtype(dtype))
        zero, step = (lambda: lstm.zero_state(B, m, params.W.dtype)), lstm.loss_and_grads
    elif B == 1:  # the assignment's own function, not batched.loss_and_grads at B = 1
        params = model.init_params(K, m, rng)
        zero, step = (lambda: np.zeros(m)), _assignment_step
    else:
        params = model.init_params(K, m, rng)
        zero, step = (lambda: np.zeros((B, m))), batched.loss_and_grads
    opt = optim.init_state("adagrad", params)
    return SimpleNamespace(params=params, opt=opt, zero=zero, step=step, state=zero(), S=S, e=0)


def _updates(tr, n, seq_length):
    """``n`` training updates of ``tr`` at successive positions, resetting the state when an epoch ends."""
    hp = optim.DEFAULTS["adagrad"]
    for _ in range(n):
        X, Y = streams.chunk(tr.S, tr.e, seq_length)
        _, grads, tr.state = tr.step(tr.params, X, Y, tr.state)
        optim.adagrad(tr.params, optim.clip(grads, CLIP), tr.opt, **hp)
        tr.e = streams.next_position(tr.e, seq_length, tr.S)
        if tr.e == 0:
            tr.state = tr.zero()


def _chars_per_second(tr, n, seq_length):
    start = time.perf_counter()
    _updates(tr, n, seq_length)
    return n * tr.S.shape[0] * seq_length / (time.perf_counter() - start)


def minibatch_throughput(
    m=100, rounds=3, seconds=2.0, corpus=None, lstm_sizes=(100, 256), batch=32, seq_length=25, out=print
):
    """Measure and print characters per second of a training update for every configuration.

    Returns ``{"chars_per_second": {(model, m, B, dtype): rate}, "speedup": {(model, m): rate at
    B = batch / rate at B = 1, both float64}, "float32": float32 / float64 rate of the largest LSTM
    at B = batch}``.
    """
    ids, vocab, stats = load_corpus(corpus)
    K = len(vocab)
    cut = {B: streams.cut(ids, B, seq_length) for B in (1, batch)}  # the same streams for every model
    rows = configurations(m, lstm_sizes, batch)
    trainers = {row: _trainer(row, K, cut[row[2]]) for row in rows}
    for tr in trainers.values():  # warm-up: first calls allocate and load BLAS kernels
        _updates(tr, 2, seq_length)
    sizes = {row: 1 for row in rows}
    best = {row: 0.0 for row in rows}
    for _ in range(rounds):
        for row, tr in trainers.items():
            while True:  # grow each round to about `seconds`, as bench.benchmark does
                rate = _chars_per_second(tr, sizes[row], seq_length)
                if sizes[row] * row[2] * seq_length / rate >= seconds / 2:
                    break
                sizes[row] *= 2
            best[row] = max(best[row], rate)

    def base(name, size):  # the float64 B = 1 row each row is compared with
        return best[(name, size, 1, "float64")]

    speedup = {(n, size): best[(n, size, batch, "float64")] / base(n, size) for n, size, B, _ in rows if B == 1}
    largest = ("lstm", max(lstm_sizes), batch)
    float32 = best[(*largest, "float32")] / best[(*largest, "float64")]
    out(
        f"corpus {stats['corpus']}: K = {K}, seq_length {seq_length}; one update = loss_and_grads + clip + "
        f"AdaGrad on B x {seq_length} characters; best of {rounds} alternating rounds"
    )
    out("vs B = 1: over the same model and m at B = 1 in float64")
    out(f"{'model':<6} {'m':>5} {'B':>4} {'dtype':<8} {'chars/s':>10} {'vs B = 1':>9}")
    for row in rows:
        name, size, B, dtype = row
        vs = f"{best[row] / base(name, size):>8.1f}x" if B > 1 else f"{'':>9}"
        out(f"{name:<6} {size:>5} {B:>4} {dtype:<8} {best[row]:>10,.0f} {vs}".rstrip())
    out(f"float32 vs float64, lstm m = {largest[1]}, B = {batch}: {float32:.2f}x")
    return {"chars_per_second": best, "speedup": speedup, "float32": float32}
