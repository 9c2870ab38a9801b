"""Training on minibatches of streams, the RNN's and the LSTM's: the same run folder, resume and checks."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from rnn_lib.nets import gradcheck, rnn
from rnn_lib.report import runs
from rnn_lib.report.chapters import lstm as chapter7
from rnn_lib.report.parameters import Report
from rnn_lib.text.corpus import load_corpus
from rnn_lib.training.settings import Config


def _run(label_seed, test_bits, validation_bits, seconds=60.0, steps=100, batch=32):
    nats = [(0, 0.0, 5.0, 5.0), (steps, 1.0, validation_bits * math.log(2), test_bits * math.log(2))]
    summary = {"seconds": seconds, "steps": steps, "characters_per_second": 1000.0, "config": {"batch": batch}}
    params = rnn.init_params(3, 2, np.random.default_rng(label_seed))
    return SimpleNamespace(validation=np.array(nats), summary=summary, state=SimpleNamespace(params=params))


def test_the_path_states_each_gain_with_its_spread_and_the_target():
    groups = {
        "RNN": [_run(0, 3.0, 2.9), _run(1, 3.1, 3.0), _run(2, 3.05, 2.95)],
        "LSTM": [_run(0, 2.50, 2.3), _run(1, 2.52, 2.31), _run(2, 2.51, 2.32)],
        "LSTM, wider": [_run(0, 2.40, 2.2), _run(1, 2.38, 2.19)],
    }
    ngram = {"order": 6, "test": 2.475}
    text = chapter7.steps_paragraph(groups, ngram)
    assert "LSTM lowers the test loss from 3.050 ± 0.050 to 2.510 ± 0.010 bits per character (RNN before it)" in text
    assert "**LSTM, wider beats the 6-gram** (2.475) by 0.085 bits per character" in text
    groups["LSTM, wider"] = [_run(0, 2.50, 2.3)]
    text = chapter7.steps_paragraph(groups, ngram)
    assert "falls short of the 6-gram** (2.475) by 0.025 bits per character (one run, so without a spread)" in text
    table = chapter7.table(groups)
    assert "| RNN | 0k | 1k | 1.0 min | 2.950 ± 0.050 | 3.050 ± 0.050 |" in table
    minutes_, mean, _ = chapter7.curve(groups["RNN"])
    assert minutes_.tolist() == [0.0, 1.0] and mean[-1] == pytest.approx(3.05)
    assert chapter7.minutes(48.4) == "48 s" and chapter7.minutes(125) == "2.1 min"


def test_chapter_7_plans_its_path_on_chapter_5s_split(tmp_path):
    plan = runs.lstm_path(run_dir=tmp_path, lstm_seeds=3, lstm_epochs=2.0)
    assert sorted({name.split("/")[0] for name in plan}) == ["lstm-m100", "rnn-b32"] and len(plan) == 6
    assert all(c.validation == 0.1 and c.test == 0.1 and c.batch == 32 for c, _ in plan.values())
    assert plan["rnn-b32/seed-0"][1] == tmp_path / "beyond" / "rnn-b32" / "seed-0"
    wide = runs.wide_lstm(run_dir=tmp_path, wide_m=64, wide_seeds=2, wide_epochs=5.0, recipe_epochs=7.0)
    assert sorted(wide) == ["lstm-recipe/seed-0", "lstm-recipe/seed-1", "lstm-wide/seed-0", "lstm-wide/seed-1"]
    config = wide["lstm-wide/seed-1"][0]
    assert (config.model, config.m, config.batch, config.epochs, config.dtype) == ("lstm", 64, 32, 5.0, "float32")
    assert config.schedule == "constant" and not config.dropout
    config = wide["lstm-recipe/seed-1"][0].validate()
    assert (config.m, config.epochs, config.validation, config.test) == (64, 7.0, 0.1, 0.1)
    assert {k: getattr(config, k) for k in runs.RECIPE} == runs.RECIPE  # the recipe, as declared
    assert all(c.checkpoint_every == c.eval_every == Report.wide_eval_every for c, _ in wide.values())


def test_the_next_step_follows_the_curve():
    falling = SimpleNamespace(validation=np.array([(k, k, 3.0 - 0.1 * k, 3.0) for k in range(5)]))
    assert "was still falling (0.433 bits" in chapter7.next_step({"LSTM": [falling]})
    flat = SimpleNamespace(validation=np.array([(k, k, 2.0, 3.0) for k in range(5)]))
    assert "had levelled off (+0.000 bits" in chapter7.next_step({"LSTM": [flat]})


def test_the_legend_reads_the_runs_settings():
    run = SimpleNamespace(config=Config(model="lstm", batch=32, optimizer="adam", eta=0.002, m=256, seq_length=50,
                                        dtype="float32"), summary={"epochs": 10.0})  # fmt: skip
    assignment = SimpleNamespace(config=Config(), summary={"epochs": 1.0})
    text = chapter7.legend({"RNN, assignment": [assignment], "LSTM, m = 256": [run]})
    assert (
        "**RNN, assignment**: RNN, $m$ = 100, one stream, chunks of 25, AdaGrad $\\eta$ = 0.1, float64, 1 epoch, "
        "1 seed;" in text
    )
    assert (
        "**LSTM, m = 256**: LSTM, $m$ = 256, 32 streams, chunks of 50, Adam $\\eta$ = 0.002, float32, 10 epochs" in text
    )
    config = Config(model="lstm2", batch=32, optimizer="adam", eta=0.004, m=256, seq_length=100, schedule="cosine",
                    warmup=200, final_eta=0.05, clipping="norm", clip=1.0, dropout=0.25)  # fmt: skip
    text = chapter7.legend({"deep": [SimpleNamespace(config=config, summary={"epochs": 20.0})]})
    assert (
        "**deep**: LSTM, 2 layers, $m$ = 256, 32 streams, chunks of 100, Adam $\\eta$ = 0.004, 200 updates of warm-up, "
        "cosine decay to 0.05 $\\eta$, the gradient's norm clipped at 1, dropout 0.25, float64, 20 epochs, 1 seed"
        in text
    )


def test_the_figure_shows_where_the_curves_end():
    curves = [(np.arange(3), np.array([6.0, 3.0, 2.6]), np.zeros(3)), (np.arange(2), np.array([6.0, 3.2]), np.zeros(2))]
    assert chapter7.ylim(curves, 2.475) == pytest.approx((2.425, 3.25))


def _mixed(*seeds, runs=None):
    rows = [{"lambda": lam, "test": {"mixture": mix, "network": net, "ngram": 2.475}} for lam, mix, net in seeds]
    return {"seeds": rows, "runs": runs or len(rows), "test": {} if rows else None}


def test_the_mixture_paragraph_tells_each_case_by_the_spread_of_the_seeds():
    ngram, label = {"order": 6, "test": 2.475}, "LSTM, m = 256"
    both = chapter7.mixture_paragraph(_mixed((0.6, 2.30, 2.588), (0.62, 2.31, 2.589)), label, ngram)
    assert "(0.6, 0.62 for 2 seeds)" in both and "**2.305 ± 0.007 bits per character on test**" in both
    assert "against 2.588 ± 0.001 for LSTM, m = 256 alone and 2.475 for the 6-gram" in both
    assert both.endswith("The mixture is better than either model alone by more than the spread of the seeds.")
    close = chapter7.mixture_paragraph(_mixed((0.5, 2.40, 2.588), (0.5, 2.55, 2.589)), label, ngram)
    assert close.endswith("The mixture is better than LSTM, m = 256 and within the spread of the seeds of the 6-gram.")
    one = chapter7.mixture_paragraph(_mixed((0.6, 2.30, 2.588), runs=2), label, ngram)
    assert "1 left out, whose validation chose a checkpoint that is not kept" in one
    assert "the two score **2.300 bits per character on test**, against 2.588 for LSTM, m = 256 alone" in one
    assert one.endswith("With one seed there is no spread to tell the differences by.")
    none = chapter7.mixture_paragraph(_mixed(runs=2), label, ngram)
    assert none.startswith("Validation chose an earlier checkpoint than the last for every seed of LSTM, m = 256")


def test_the_recipes_gradient_check_is_told_from_its_tables(small_corpus):
    ids, vocab, _ = load_corpus(small_corpus)
    tables = {net: gradcheck.check_recipe(ids, len(vocab), 4, net, p=0.3, seq_length=6) for net in ("lstm", "lstm2")}
    assert list(tables["lstm2"]) == ["b", "c", "U", "W", "V", "b2", "U2", "W2"]
    worst = max(r["norm_rel"] for t in tables.values() for r in t.values())
    assert worst < 1e-6
    text = chapter7.recipe_check_paragraph(tables)
    assert f"stays below {worst:.0e} for every parameter" in text
