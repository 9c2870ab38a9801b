"""Speed benchmark: training updates per second of each implementation, and sampling speed.

Implementations are measured in one process on the same data, in alternating rounds,
and each reports its best round, so that a noisy neighbour slows all of them alike.
"""

import time

import numpy as np

from . import engines, model, optim, reference
from .checkpoint import State
from .data import load_corpus
from .rules import updates_per_epoch


def _fresh_state(K, m, seed=0):
    rng = np.random.default_rng(seed)
    params = model.init_params(K, m, rng)
    return State(
        params=params,
        opt=optim.init_state("adagrad", params),
        hprev=np.zeros(m),
        best=model.copy(params),
        rng=rng,
        smooth_loss=4.0 * 25,
    )


def _reference_updates(state, ids, n, seq_length, clip, optimizer, hp):
    """The literal implementation in the same loop as the engines (no best tracking needed)."""
    for _ in range(n):
        x, y = ids[state.e : state.e + seq_length], ids[state.e + 1 : state.e + seq_length + 1]
        loss, grads, state.hprev = reference.loss_and_grads(state.params, x, y, state.hprev)
        optim.adagrad(state.params, optim.clip(grads, clip), state.opt, **hp)
        state.e = (state.e + seq_length) % (len(ids) - 2 * seq_length)


def _rate(run, state, ids, n):
    start = time.perf_counter()
    run(state, ids, n, 25, 5.0, "adagrad", optim.DEFAULTS["adagrad"])
    return n / (time.perf_counter() - start)


def benchmark(m=100, rounds=3, seconds=2.0, corpus=None, engine_names=None, out=print):
    """Measure and print; returns ``{name: updates_per_second}`` plus ``sampling``."""
    ids, vocab, stats = load_corpus(corpus)
    K = len(vocab)
    names = engine_names or available_engines()
    runners = {"reference": _reference_updates}
    runners.update({name: engines.resolve(name).updates for name in names})
    states = {name: _fresh_state(K, m) for name in runners}
    for name in names:
        seconds = engines.resolve(name).prepare()
        if seconds > 0.05:
            out(f"{name}: compiled in {seconds:.1f} s (once; later runs load it from the cache)")
    for name, run in runners.items():  # warm-up
        _rate(run, states[name], ids, 20)
    sizes = {name: 20 for name in runners}
    best = {name: 0.0 for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            while True:  # grow each round to about `seconds`
                rate = _rate(run, states[name], ids, sizes[name])
                if sizes[name] / rate >= seconds / 2:
                    break
                sizes[name] = int(sizes[name] * 2)
            best[name] = max(best[name], rate)
    per_epoch = updates_per_epoch(len(ids), 25)
    out(
        f"corpus {stats['corpus']}: {stats['characters']:,} characters, K = {K}, m = {m}, seq_length 25, "
        f"AdaGrad with clipping; best of {rounds} alternating rounds"
    )
    out(f"{'implementation':<14} {'updates/s':>10} {'vs reference':>13} {'10 epochs':>10}")
    for name, rate in best.items():
        out(f"{name:<14} {rate:>10,.0f} {rate / best['reference']:>12.1f}x {10 * per_epoch / rate / 60:>8.1f} min")
    params = model.init_params(K, m, np.random.default_rng(0))
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


def available_engines():
    """The engines that can run here, fastest last."""
    names = ["numpy"]
    try:
        engines.resolve("numba")
        names.append("numba")
    except (ImportError, ValueError):
        pass
    return names


def sweep_throughput(runs=4, steps=10_000, m=100, corpus=None, out=print):
    """Runs per minute of a sweep of ``runs`` short runs, with one worker and with one per core.

    Each run is ``steps`` updates; the time includes starting the worker processes, as a
    sweep pays it. Returns ``{workers: runs_per_minute}``.
    """
    import dataclasses
    import tempfile

    from .config import Config
    from .sweep import cores, run

    rates = {}
    for jobs in sorted({1, cores()}):
        with tempfile.TemporaryDirectory() as folder:
            config = Config(corpus=corpus and str(corpus), steps=steps, m=m, sample_length=0, checkpoint_every=steps)
            plan = {f"seed-{s}": (dataclasses.replace(config, seed=s), f"{folder}/seed-{s}") for s in range(runs)}
            start = time.perf_counter()
            run(plan, jobs=jobs, progress=False)
            rates[jobs] = runs / (time.perf_counter() - start) * 60
        workers = f"{jobs} worker{'s' * (jobs > 1)}"
        out(f"sweep of {runs} runs of {steps:,} updates with {workers}: {rates[jobs]:.1f} runs/min")
    if len(rates) > 1:
        out(f"sweep speedup with {max(rates)} workers: {rates[max(rates)] / rates[1]:.2f}x")
    return rates
