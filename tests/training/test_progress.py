"""The bar of many runs: its total fixed before the first run starts, each run weighed by its cost,
and 100 % only once every run has ended."""

import io

import pytest

from rnn_lib.training.progress import Bar, cost, minutes
from rnn_lib.training.settings import Config


def test_a_run_costs_its_characters_times_its_work_per_character():
    rnn = Config(steps=1_000)
    assert cost(Config(steps=2_000)) == pytest.approx(2 * cost(rnn))
    assert cost(Config(steps=1_000, m=200)) == pytest.approx(cost(rnn) * 200 * 264 / (100 * 164))
    lstm = Config(steps=1_000, model="lstm")
    assert cost(lstm) == pytest.approx(4 * cost(rnn))
    assert cost(Config(steps=1_000, model="lstm", dtype="float32")) == pytest.approx(2 * cost(rnn))
    batch = Config(steps=1_000, batch=32)  # 32 times the characters, read about 2.2 times faster each
    assert cost(batch) == pytest.approx(32 / 2.2 * cost(rnn))
    assert cost(rnn) == pytest.approx(1_000 * 25 / 140_000)  # the compiled RNN's speed, measured


def test_epochs_are_counted_on_the_training_part_of_the_corpus(small_corpus):
    whole = cost(Config(corpus=str(small_corpus), epochs=1))
    assert whole == pytest.approx(small_corpus.stat().st_size / 140_000)
    assert cost(Config(corpus=str(small_corpus), epochs=1, validation=0.1, test=0.1)) == pytest.approx(0.8 * whole)


def test_the_total_is_fixed_and_each_run_moves_the_bar_by_its_weight():
    out = io.StringIO()
    bar = Bar("training", {"long": 3.0, "short": 1.0}, out=out)
    assert bar.bar.total == 4.0 and bar.bar.n == 0
    bar.update("long", 50, 100, 90.0)
    assert bar.bar.n == pytest.approx(1.5) and bar.bar.total == 4.0
    bar.update("short", 100, 100, 80.0)
    bar.update("long", 100, 100, 70.0)  # every update reported, but no run has ended yet
    assert bar.bar.n < bar.bar.total
    bar.finished("long")
    assert bar.bar.n < bar.bar.total  # one run left: never 100 %
    bar.finished("short")
    assert bar.bar.n == pytest.approx(bar.bar.total) and bar.bar.total == 4.0
    bar.close()
    lines = [line.strip() for line in out.getvalue().replace("\r", "\n").splitlines()]
    assert sum(line.startswith("training (2/2 runs): trained in ") for line in lines) == 1
    told = [line.split(" after ")[0] for line in lines if " left" in line]
    assert told == ["training: 25 %", "training: 50 %", "training: 75 %"]  # each quarter once, with its ETA


def test_a_run_found_finished_counts_as_done_and_others_are_ignored():
    bar = Bar("training", {"a": 1.0, "b": 1.0}, out=io.StringIO())
    bar.update("not expected", 5, 10)
    bar.finished("a")
    assert bar.bar.n == pytest.approx(1.0) and "(1/2 runs)" in bar.bar.desc


def test_minutes():
    assert minutes(48.4) == "48 s" and minutes(192) == "3 min 12 s"
