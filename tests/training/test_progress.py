"""The bar of many runs: its total fixed before the first run starts, each run weighed by its cost,
and 100 % only once every run has ended."""

import io

import pytest

from rnn_lib.training import progress
from rnn_lib.training.progress import Bar, cost, minutes
from rnn_lib.training.settings import Config


def test_a_run_costs_its_characters_times_its_work_per_character():
    def training(config):  # the estimate, less what a run costs before its first update
        return cost(config) - progress.START

    rnn = Config(steps=1_000)
    assert training(rnn) == pytest.approx(1_000 * 25 / 140_000)  # the compiled RNN's speed, measured
    assert training(Config(steps=2_000)) == pytest.approx(2 * training(rnn))
    per_character = 100 * 164 + progress.PER_CHARACTER
    assert training(Config(steps=1_000, m=200)) == pytest.approx(training(rnn) * (200 * 264 + 4_000) / per_character)
    lstm = (4 * 100 * 164 + 4_000) / per_character
    assert training(Config(steps=1_000, model="lstm")) == pytest.approx(lstm * training(rnn))
    assert training(Config(steps=1_000, model="lstm", dtype="float32")) == pytest.approx(lstm / 2 * training(rnn))
    batch = Config(steps=1_000, batch=32)  # 32 times the characters, read about 2.2 times faster each
    assert training(batch) == pytest.approx(32 / 2.2 * training(rnn))


def test_epochs_and_held_out_evaluations(small_corpus, tmp_path):
    size = small_corpus.stat().st_size
    whole = Config(corpus=str(small_corpus), epochs=1)
    assert cost(whole) - progress.START == pytest.approx(size * 25 / 25 / 140_000)
    held = Config(corpus=str(small_corpus), epochs=1, validation=0.1, test=0.1, eval_every=10)
    updates = 0.8 * size / 25
    evaluations = (updates // 10 + 1) * 0.2 * size * progress.FORWARD / 2.2  # on 32 streams side by side
    assert cost(held) - progress.START == pytest.approx((0.8 * size + evaluations) / 140_000)
    documents = tmp_path / "short.txt"
    documents.write_text("a b\n" * 100 + "x" * 5_000 + "\n", encoding="utf-8")  # one line too long: skipped
    skipped = Config(corpus=str(documents), documents="lines", too_long="skip", epochs=1)
    assert cost(skipped) - progress.START == pytest.approx((1 + 100 * 4) / 140_000)  # END a b END ... : the layout


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


def test_on_two_workers_the_bar_counts_the_time_the_pool_will_take():
    bar = Bar("training", {"a": 3.0, "b": 3.0, "c": 3.0}, out=io.StringIO(), workers=2)
    assert bar.bar.total == 6.0  # a and b side by side, then c alone
    bar.update("a", 50, 100)
    bar.update("b", 50, 100)
    assert bar.bar.n == pytest.approx(1.5)  # both half done: 1.5 s of the pool's time
    bar.finished("a")
    bar.finished("b")
    assert bar.bar.n == pytest.approx(3.0)  # half of the time, though two thirds of the work
    bar.update("c", 50, 100)
    assert bar.bar.n == pytest.approx(4.5) and bar.bar.total == 6.0
    bar.finished("c")
    assert bar.bar.n == pytest.approx(6.0)
