import re

import numpy as np

from rnn_lib.bench.speed import _updates, configurations, minibatch_throughput, minibatch_trainer
from rnn_lib.text.corpus import load_corpus


def test_the_minibatch_table_has_every_configuration():
    assert configurations() == [
        ("rnn", 100, 1, "float64"),
        ("rnn", 100, 32, "float64"),
        ("lstm", 100, 1, "float64"),
        ("lstm", 100, 32, "float64"),
        ("lstm", 256, 1, "float64"),
        ("lstm", 256, 32, "float64"),
        ("lstm", 256, 32, "float32"),
    ]


def test_minibatch_throughput_prints_and_returns_positive_rates(capsys):
    # small networks: the rows and the code paths are those of the defaults, in a fraction of a second
    result = minibatch_throughput(m=16, rounds=1, seconds=0.02, lstm_sizes=(8, 16), batch=4)
    lines = capsys.readouterr().out.strip().splitlines()
    rows = configurations(16, (8, 16), 4)
    table = [line.split() for line in lines[3:-1]]
    assert [(r[0], int(r[1]), int(r[2]), r[3]) for r in table] == rows
    assert all(float(r[4].replace(",", "")) > 0 for r in table)
    assert all(re.fullmatch(r"\d+\.\dx", r[5]) for r in table if int(r[2]) > 1)
    assert re.fullmatch(r"float32 vs float64, lstm m = 16, B = 4: \d+\.\d\dx", lines[-1])
    assert list(result["chars_per_second"]) == rows
    assert all(rate > 0 for rate in result["chars_per_second"].values())
    assert set(result["speedup"]) == {("rnn", 16), ("lstm", 8), ("lstm", 16)}
    assert all(s > 0 for s in result["speedup"].values()) and result["float32"] > 0


def test_the_float32_configuration_trains_in_float32():
    ids, vocab, _ = load_corpus(None)
    trainer = minibatch_trainer(("lstm", 8, 4, "float32"), len(vocab), ids)
    _updates(trainer, 3)
    state = trainer.state
    assert {a.dtype for a in (*state.params, *state.opt["m"], state.hprev)} == {np.dtype(np.float32)}
    assert state.e == 75  # successive positions
