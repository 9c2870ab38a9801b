"""Speed benchmark of minibatches: characters per second of a full training update, B = 1 against B = 32.

One update is what training does: loss_and_grads, clipping and AdaGrad on a minibatch of B
streams of seq_length characters (:mod:`rnn_lib.streams`), so it trains on B * seq_length
characters. Characters per second, not updates, compare the batch sizes: an update at B = 32
costs more and reads 32 times as much text. The vanilla RNN at B = 1 is the assignment's NumPy
engine; every other row is :func:`rnn_lib.engines.minibatch_engine` of its network. As in
:func:`rnn_lib.bench.benchmark`, the configurations run in one process on the same text, in
alternating rounds, and each reports its best round.
"""

import time
from types import SimpleNamespace

import numpy as np

from . import engines, model, networks, optim, streams
from .checkpoint import State
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


def _trainer(config, K, ids, seq_length, seed=0):
    """One configuration's engine, the text as it reads it, and its training state (:mod:`rnn_lib.engines`)."""
    name, m, B, dtype = config
    net = networks.get(name)
    params = net.init(K, m, np.random.default_rng(seed), 0.01, dtype)
    if name == "rnn" and B == 1:  # the assignment's engine, on the text itself
        engine, text, h = engines.NUMPY, ids, np.zeros(m)
    else:
        engine, text, h = engines.minibatch_engine(name, B), streams.cut(ids, B, seq_length), net.zero(B, m, dtype)
    state = State(params, optim.init_state("adagrad", params), h, model.copy(params), rng=None, smooth_loss=100.0)
    return SimpleNamespace(engine=engine, text=text, state=state, B=B)


def _updates(tr, n, seq_length):
    """``n`` training updates of ``tr``, at successive positions, as training performs them."""
    tr.engine.updates(tr.state, tr.text, n, seq_length, CLIP, "adagrad", optim.DEFAULTS["adagrad"])


def _chars_per_second(tr, n, seq_length):
    start = time.perf_counter()
    _updates(tr, n, seq_length)
    return n * tr.B * seq_length / (time.perf_counter() - start)


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
    rows = configurations(m, lstm_sizes, batch)
    trainers = {row: _trainer(row, K, ids, seq_length) for row in rows}
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
