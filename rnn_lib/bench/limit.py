"""How close the LSTM's update comes to what this machine can do (``make bench``).

The limit is the rate of a large matrix product through the BLAS that NumPy calls, on one thread, as a
worker of the pool trains (:func:`matmul_rate`). The update's work is counted in floating-point operations,
part by part (:func:`update_flops`): a multiply-add is two, every element-wise operation one, ``exp`` and
``tanh`` included, and a look-up none. Timing each part on the same minibatch (:func:`part_seconds`) gives
its rate, and the share of the limit it reaches.

The parts, in the order an update runs them:

- ``forward``: the recurrence, H W^T and the gates, step after step (:func:`rnn_lib.nets.lstm.layer_forward`);
- ``output``: the output layer, its softmax, loss and gradients, all steps at once;
- ``backward``: backpropagation through the recurrence, and the weight gradients, with the pass training runs
  (compiled by numba when it is installed: :mod:`rnn_lib.nets.lstm_compiled`);
- ``optimizer``: clipping and Adam's step.
"""

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from ..nets import lstm, optim, registry
from ..nets.rnn_batched import output_loss_and_grads
from ..training import engines
from ..training.processes import blas_threads_of_children

PARTS = ("forward", "output", "backward", "optimizer")
ADAM = 14  # operations per parameter of Adam's step as optim.adam writes it; clipping adds one


def matmul_rate(dtype="float64", n=1024, rounds=5):
    """GFLOP/s of the best of ``rounds`` products of two (n, n) matrices of ``dtype``: 2 n^3 operations each."""
    a = np.random.default_rng(0).random((n, n)).astype(dtype)
    out = np.empty_like(a)
    np.matmul(a, a, out=out)  # loads the kernels
    best = min(_seconds(lambda: np.matmul(a, a, out=out)) for _ in range(rounds))
    return 2 * n**3 / best / 1e9


def update_flops(m, K, B, T):
    """Floating-point operations of one LSTM update on B streams of T characters: ``{part: operations}``.

    Counted from the code of :mod:`rnn_lib.nets.lstm`, :mod:`rnn_lib.nets.rnn_batched` and
    :func:`rnn_lib.nets.optim.adam` (a test counts them again by running it)."""
    chars = B * T
    parameters = 4 * m * (K + m + 1) + K * m + K
    return {
        "forward": chars * (8 * m * m + 25 * m),  # H W^T; U x + b, three sigmoids, two tanh, the cell
        "output": chars * (6 * K * m + 9 * K),  # V h, softmax and loss; dV, dh; dc
        # dA W (but at the first step) and dA^T H; the gates' derivatives; db, dU
        "backward": chars * (16 * m * m + 31 * m) - B * (8 * m * m + m),
        "optimizer": parameters * (ADAM + 1),
    }


def part_seconds(m, K, B, T=25, dtype="float64", rounds=5, seed=0):
    """Seconds of each part of one update, the best of ``rounds``, on a random minibatch: ``{part: seconds}``."""
    rng = np.random.default_rng(seed)
    params = lstm.init_params(K, m, rng, dtype=np.dtype(dtype))
    X, Y = rng.integers(0, K, (B, T)), rng.integers(0, K, (B, T))
    state = lstm.zero_state(B, m, np.dtype(dtype))
    memory = optim.init_state("adam", params)
    H = lstm.hidden_states(params, X, state)[0]
    _, grads, _ = lstm.loss_and_grads(params, X, Y, state)
    update = registry.get("lstm", compiled=compiled_backward()).loss_and_grads
    both = np.stack(state)  # the state as training holds it

    def step():
        optim.adam(params, optim.clip(type(grads)(*(g.copy() for g in grads))), memory, eta=1e-9)

    timed = {
        "forward": lambda: lstm.hidden_states(params, X, state),
        "output": lambda: output_loss_and_grads(params, H, Y),
        "update": lambda: update(params, X, Y, both),
        "optimizer": step,
    }
    for run in timed.values():
        run()
    best = {name: min(_seconds(run) for _ in range(rounds)) for name, run in timed.items()}
    best["backward"] = max(best.pop("update") - best["forward"] - best["output"], 1e-9)
    return {part: best[part] for part in PARTS}


def compiled_backward():
    """Whether training's LSTM runs the compiled backward pass: numba is installed (``--engine auto``)."""
    return engines.resolve("auto").name == "numba"


def table(sizes=(100, 256), batches=(1, 32), dtypes=("float64", "float32"), K=65, T=25, rounds=5, out=print):
    """The LSTM's update against the machine's matrix product, measured in a worker process with one BLAS
    thread, as the pool trains; printed. Returns ``{"limit": {dtype: GFLOP/s}, "rows": [dict]}``."""
    with blas_threads_of_children(1), ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as w:
        measured = w.submit(_measure, sizes, batches, dtypes, K, T, rounds).result()
    limit = measured["limit"]
    out("the limit: a (1024, 1024) matrix product on one thread, "
        + ", ".join(f"{limit[d]:.1f} GFLOP/s in {d}" for d in dtypes))  # fmt: skip
    backward = "compiled by numba" if measured["compiled"] else "NumPy's"
    out(f"the LSTM's update on B x {T} characters, K = {K}, Adam, the backward pass {backward}: GFLOP/s (share of "
        "the limit), part by part")  # fmt: skip
    out(f"{'m':>4} {'B':>3} {'dtype':<8} {'chars/s':>9} " + " ".join(f"{p:>16}" for p in (*PARTS, "whole update")))
    for row in measured["rows"]:
        cells = " ".join(f"{rate:>7.2f} ({row['share'][p]:>6.1%})" for p, rate in row["gflops"].items())
        out(f"{row['m']:>4} {row['B']:>3} {row['dtype']:<8} {row['chars_per_second']:>9,.0f} {cells}")
    return measured


def _measure(sizes, batches, dtypes, K, T, rounds):
    limit, rows = {dtype: matmul_rate(dtype) for dtype in dtypes}, []
    for dtype in dtypes:
        for m in sizes:
            for B in batches:
                flops, seconds = update_flops(m, K, B, T), part_seconds(m, K, B, T, dtype, rounds)
                rates = {part: flops[part] / seconds[part] / 1e9 for part in PARTS}
                rates["whole update"] = sum(flops.values()) / sum(seconds.values()) / 1e9
                rows.append(dict(m=m, B=B, dtype=dtype, chars_per_second=B * T / sum(seconds.values()), gflops=rates,
                                 share={part: rate / limit[dtype] for part, rate in rates.items()}))  # fmt: skip
    return {"limit": limit, "rows": rows, "compiled": compiled_backward()}


def _seconds(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start
