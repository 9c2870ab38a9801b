"""The memory estimate made before a run allocates anything holds: it is compared, in a fresh process, with the
peak of NumPy's allocations (tracemalloc tracks them) while the run trains a few updates and saves, for both
networks, both dtypes, one stream and minibatches, long chunks, held-out text and documents."""

import json
import os
import subprocess
import sys

import pytest

from rnn_lib.nets import memory

MARGIN = (0.7, 1.6)  # the estimate over the measured peak, as docs/cli.md states it

PROBE = """
import json, resource, sys, tempfile, tracemalloc
import numpy as np
from rnn_lib.nets import memory
from rnn_lib.text.corpus import build_vocab
from rnn_lib.training import loop, run_text
from rnn_lib.training.settings import Config

kw, characters = json.loads(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
with tempfile.TemporaryDirectory() as folder:
    if kw.get("documents"):  # lines of 20 to 140 characters
        lines = ["".join(rng.choice(list("abcdefghij klmnopqrstuvwxyz"), rng.integers(20, 141))) for _ in
                 range(characters // 80)]
        text = "\\n".join(lines) + "\\n"
    else:
        text = "".join(rng.choice([chr(33 + i) for i in range(100)], characters))  # K = 100
    path = f"{folder}/corpus.txt"
    open(path, "w").write(text)
    config = Config(corpus=path, sample_length=0, **kw).validate()
    ids, validation, test, vocab, stats = run_text.training_text(config)
    needs = run_text.memory_needs(config, len(vocab), len(text) + 1, len(validation), len(test))
    loop._engine(config, 1, 1).prepare()  # numba's compiler keeps its own allocations, no part of a run's
    del ids, validation, test
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    loop.train(config, f"{folder}/run", progress=False)
    peak = tracemalloc.get_traced_memory()[1]
rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024  # the high-water mark's rise
print(json.dumps({"estimate": memory.peak(needs), "peak": peak, "rss": rss, "culprit": memory.culprit(needs)}))
"""

RUNS = {
    "rnn, float64, B = 1, numba": (dict(m=1000, steps=3), 20_000),
    "rnn, float64, B = 1, numpy, adam": (dict(m=1000, steps=3, engine="numpy", optimizer="adam"), 20_000),
    "rnn, float32, B = 32": (dict(m=800, batch=32, dtype="float32", steps=3), 20_000),
    "rnn, float64, B = 64, T = 100": (dict(m=200, batch=64, seq_length=100, steps=2), 40_000),
    "lstm, float64, B = 1": (dict(model="lstm", m=500, steps=3), 20_000),
    "lstm, float32, B = 1": (dict(model="lstm", m=500, dtype="float32", steps=3), 20_000),
    "lstm, float64, B = 32, T = 50": (dict(model="lstm", m=200, batch=32, seq_length=50, steps=2), 40_000),
    "lstm, float32, B = 64, T = 100": (
        dict(model="lstm", m=100, batch=64, seq_length=100, dtype="float32", steps=2),
        40_000,
    ),  # fmt: skip
    "lstm2, float32, B = 32, T = 50, dropout": (
        dict(model="lstm2", m=200, batch=32, seq_length=50, dtype="float32", dropout=0.3, steps=2),
        40_000,
    ),  # fmt: skip
    "rnn, held-out text": (dict(m=200, validation=0.2, test=0.1, steps=1), 100_000),
    "lstm, held-out text": (dict(model="lstm", m=100, batch=4, validation=0.2, steps=1), 100_000),
    "documents, held-out": (dict(m=200, documents="lines", validation=0.2, steps=1), 100_000),
}


def measure(kw, characters):
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(kw), str(characters)], capture_output=True,
                          text=True, timeout=600, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", RUNS)
def test_the_estimate_holds_within_its_margin(name):
    figures = measure(*RUNS[name])
    ratio = figures["estimate"] / figures["peak"]
    assert MARGIN[0] <= ratio <= MARGIN[1], f"{name}: estimate {figures['estimate']:,} vs peak {figures['peak']:,}"


def test_a_run_too_large_for_the_machine_is_refused_with_what_takes_the_most():
    needs = memory.parts("lstm", 65, 100, 4096, 1000, characters=10**6)
    assert memory.culprit(needs) == "activations"
    said = r"^x needs about \d+\.\d GiB of memory to train, and this machine has 8\.0 GiB: y$"
    with pytest.raises(MemoryError, match=said):
        memory.check(memory.peak(needs), "x", "to train", "y", total=8 * 2**30)
    memory.check(memory.peak(needs), "x", "to train", "y", total=memory.peak(needs))  # it fits, just
