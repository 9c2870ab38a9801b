"""Speed benchmark (``make bench``): training updates per second of each engine, characters per
second of minibatches and the LSTM, and sampling speed (a sweep's runs per minute: :mod:`.sweep`).

Everything one table compares runs in one process on the same text, in alternating rounds, and
each reports its best round, so that a noisy neighbour slows all of them alike (:func:`best_rates`).
One update is what training does: loss and gradients, clipping and AdaGrad on a chunk of
seq_length characters, or on B such chunks side by side (:mod:`rnn_lib.text.streams`). Characters
per second, not updates, compare batch sizes: an update at B = 32 reads 32 times as much text.
"""

import time
from types import SimpleNamespace

import numpy as np

from ..nets import memory, optim, reference, rnn
from ..text import streams
from ..text.corpus import CorpusError, load_corpus
from ..training import engines, pool
from ..training.settings import Config
from ..training.state import fresh
from ..training.update import updates_per_epoch

SEQ_LENGTH, CLIP = 25, 5.0


def check(m=100, corpus=None, encoding="utf-8", sweep_runs=4, lstm_sizes=(100, 256), batch=32):
    """Refuse, before anything is allocated, a text too short for every table (``batch`` streams of chunks)
    or an ``m`` whose tables would not fit in memory: each table's trainers are all held at once, and a
    sweep trains one run per core."""
    ids, vocab, stats = load_corpus(corpus, encoding)
    shortest = batch * (SEQ_LENGTH + 1) + 1
    if len(ids) < shortest:
        raise CorpusError(
            f"corpus {stats['corpus']} has {len(ids):,} characters, and the benchmark reads {batch} streams of "
            f"{SEQ_LENGTH}-character chunks: give a --corpus of at least {shortest:,} characters"
        )
    K, n = len(vocab), len(ids)
    one = memory.parts("rnn", K, m, characters=n)
    engines_table = (len(available_engines()) + 1) * one["state"] + one["update"] + one["activations"] + one["text"]
    rows = [memory.parts(net, K, size, B, SEQ_LENGTH, dtype, characters=n) for net, size, B, dtype in
            configurations(m, lstm_sizes, batch)]  # fmt: skip
    table = sum(r["state"] + r["text"] for r in rows) + max(r["update"] + r["activations"] for r in rows)
    sweep = pool.cores() * memory.peak(one) if sweep_runs else 0
    memory.check(max(engines_table, table, sweep), f"bench --m {m}", "to run", "choose a smaller --m")


def best_rates(trainers, rounds, seconds):
    """``{name: best rate}`` of ``trainers`` = {name: SimpleNamespace(engine, text, state, B)}, in characters
    per second: a warm-up, then ``rounds`` alternating rounds, each grown to about ``seconds``."""
    for tr in trainers.values():  # the first calls allocate and load BLAS kernels
        _updates(tr, 2)
    sizes, best = dict.fromkeys(trainers, 1), dict.fromkeys(trainers, 0.0)
    for _ in range(rounds):
        for name, tr in trainers.items():
            while True:
                start = time.perf_counter()
                _updates(tr, sizes[name])
                elapsed = time.perf_counter() - start
                if elapsed >= seconds / 2:
                    break
                sizes[name] *= 2
            best[name] = max(best[name], sizes[name] * tr.B * SEQ_LENGTH / elapsed)
    return best


def _updates(tr, n):
    tr.engine.updates(tr.state, tr.text, n, SEQ_LENGTH, CLIP, "adagrad", optim.DEFAULTS["adagrad"])


def trainer(ids, K, engine, model="rnn", m=100, B=1, dtype="float64"):
    """What one row of a table trains: ``engine`` (an engine, or "reference"), the text as it reads it,
    and a fresh state (:func:`rnn_lib.training.state.fresh`)."""
    config = Config(model=model, m=m, batch=B, dtype=dtype, seq_length=SEQ_LENGTH)
    text = streams.cut(ids, B, SEQ_LENGTH) if config.minibatch else ids
    state = fresh(config, text, [None] * K)
    return SimpleNamespace(engine=engine, text=text, state=state, B=B)


def _reference_updates(state, ids, n, seq_length, clip, optimizer, hp):
    """The literal equations (:mod:`rnn_lib.nets.reference`) in the same loop as the engines."""
    for _ in range(n):
        x, y = ids[state.e : state.e + seq_length], ids[state.e + 1 : state.e + seq_length + 1]
        loss, grads, state.hprev = reference.rnn_loss_and_grads(state.params, x, y, state.hprev)
        optim.adagrad(state.params, optim.clip(grads, clip), state.opt, **hp)
        state.e = (state.e + seq_length) % (len(ids) - 2 * seq_length)


REFERENCE = SimpleNamespace(name="reference", updates=_reference_updates)


def available_engines():
    """The engines that can run here, fastest last."""
    names = ["numpy"]
    try:
        engines.resolve("numba")
        names.append("numba")
    except (ImportError, ValueError):
        pass
    return names


def benchmark(m=100, rounds=3, seconds=2.0, corpus=None, engine_names=None, out=print, encoding="utf-8"):
    """Updates per second of the literal reference and of each engine, and sampling speed; printed.
    Returns ``{name: updates_per_second}`` plus ``"sampling <engine>"`` in characters per second."""
    ids, vocab, stats = load_corpus(corpus, encoding)
    K, names = len(vocab), engine_names or available_engines()
    for name in names:
        compile_seconds = engines.resolve(name).prepare()
        if compile_seconds > 0.05:
            out(f"{name}: compiled in {compile_seconds:.1f} s (once; later runs load it from the cache)")
    runners = {"reference": REFERENCE, **{name: engines.resolve(name) for name in names}}
    chars = best_rates({name: trainer(ids, K, e, m=m) for name, e in runners.items()}, rounds, seconds)
    best = {name: rate / SEQ_LENGTH for name, rate in chars.items()}
    per_epoch = updates_per_epoch(len(ids), SEQ_LENGTH)
    out(f"corpus {stats['corpus']}: {stats['characters']:,} characters, K = {K}, m = {m}, seq_length {SEQ_LENGTH}, "
        f"AdaGrad with clipping; best of {rounds} alternating rounds")  # fmt: skip
    out(f"{'implementation':<14} {'updates/s':>10} {'vs reference':>13} {'10 epochs':>10}")
    for name, rate in best.items():
        out(f"{name:<14} {rate:>10,.0f} {rate / best['reference']:>12.1f}x {10 * per_epoch / rate / 60:>8.1f} min")
    params = rnn.init_params(K, m, np.random.default_rng(0))
    for name in names:
        sampler = engines.resolve(name).sample
        uniforms = np.random.default_rng(1).random(20_000)
        sampler(params, np.zeros(m), 0, uniforms[:10])
        start = time.perf_counter()
        sampler(params, np.zeros(m), 0, uniforms)
        best[f"sampling {name}"] = len(uniforms) / (time.perf_counter() - start)
        out(f"sampling with {name}: {best[f'sampling {name}']:,.0f} characters/s")
    fastest = max(names, key=lambda n: best[n])
    out(f"speedup vs reference: {best[fastest] / best['reference']:.1f}x")
    return best


def configurations(m=100, lstm_sizes=(100, 256), batch=32):
    """The rows of the minibatch table, in order: tuples (model, m, B, dtype name).

    The vanilla RNN at ``m``, the LSTM at each of ``lstm_sizes``, each at B = 1 and B = ``batch``
    in float64; then the largest LSTM at B = ``batch`` in float32, to see whether float32 pays.
    """
    rows = [("rnn", m, B, "float64") for B in (1, batch)]
    rows += [("lstm", size, B, "float64") for size in lstm_sizes for B in (1, batch)]
    return rows + [("lstm", max(lstm_sizes), batch, "float32")]


def minibatch_trainer(row, K, ids):
    """The trainer of one row of :func:`configurations`: the RNN at B = 1 is the assignment's NumPy engine
    on the text itself, every other row :func:`rnn_lib.training.engines.minibatch_engine` of its network."""
    name, m, B, dtype = row
    engine = engines.NUMPY if (name, B) == ("rnn", 1) else engines.minibatch_engine(name, B)
    return trainer(ids, K, engine, name, m, B, dtype)


def minibatch_throughput(
    m=100, rounds=3, seconds=2.0, corpus=None, lstm_sizes=(100, 256), batch=32, out=print, encoding="utf-8"
):
    """Characters per second of a training update for every row of :func:`configurations`; printed.

    Returns ``{"chars_per_second": {row: rate}, "speedup": {(model, m): rate at B = batch / rate at
    B = 1, both float64}, "float32": float32 / float64 rate of the largest LSTM at B = batch}``.
    """
    ids, vocab, stats = load_corpus(corpus, encoding)
    rows = configurations(m, lstm_sizes, batch)
    best = best_rates({row: minibatch_trainer(row, len(vocab), ids) for row in rows}, rounds, seconds)

    def base(name, size):  # the float64 B = 1 row each row is compared with
        return best[(name, size, 1, "float64")]

    speedup = {(n, size): best[(n, size, batch, "float64")] / base(n, size) for n, size, B, _ in rows if B == 1}
    largest = ("lstm", max(lstm_sizes), batch)
    float32 = best[(*largest, "float32")] / best[(*largest, "float64")]
    out(f"corpus {stats['corpus']}: K = {len(vocab)}, seq_length {SEQ_LENGTH}; one update = loss_and_grads + clip + "
        f"AdaGrad on B x {SEQ_LENGTH} characters; best of {rounds} alternating rounds")  # fmt: skip
    out("vs B = 1: over the same model and m at B = 1 in float64")
    out(f"{'model':<6} {'m':>5} {'B':>4} {'dtype':<8} {'chars/s':>10} {'vs B = 1':>9}")
    for row in rows:
        name, size, B, dtype = row
        vs = f"{best[row] / base(name, size):>8.1f}x" if B > 1 else f"{'':>9}"
        out(f"{name:<6} {size:>5} {B:>4} {dtype:<8} {best[row]:>10,.0f} {vs}".rstrip())
    out(f"float32 vs float64, lstm m = {largest[1]}, B = {batch}: {float32:.2f}x")
    return {"chars_per_second": best, "speedup": speedup, "float32": float32}
