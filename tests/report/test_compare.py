"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import numpy as np
import pytest

from rnn_lib.evaluation import heldout
from rnn_lib.report import compare
from rnn_lib.training import loop


def test_comparison_helpers(small_corpus, tmp_path):
    plan = compare.plan(tmp_path, "x", [3, 4], corpus=small_corpus, steps=200, m=8, eval_every=50)
    assert list(plan) == ["x/seed-3", "x/seed-4"] and plan["x/seed-4"][1] == tmp_path / "beyond" / "x" / "seed-4"
    config = plan["x/seed-3"][0]
    assert (config.seed, config.validation, config.test, config.m) == (3, 0.1, 0.1, 8)
    results = {name: loop.train(c, d, progress=False) for name, (c, d) in plan.items()}
    group = compare.of(results, "x")
    assert len(group) == 2 and compare.of(results, "y") == []
    assert compare.budget(100, epochs=2.5) == 250 and compare.budget(100, epochs=2, steps=7) == 7
    r = group[0]
    assert compare.within(r, 100)[:, 0].tolist() == [0, 50, 100]
    row = compare.chosen(r, 100)
    assert row[2] == r.validation[:3, 2].min()
    figures = compare.figures(group, 100)
    assert figures["test"][0] == pytest.approx(heldout.bits(row[3]))
    steps, mean, sd = compare.band(group, 100)
    assert steps.tolist() == [0, 50, 100] and mean.shape == sd.shape == (3,)
    assert compare.best_setting({"x": group, "z": group[:1]}, 100) in ("x", "z")
    assert compare.size(r.state.params) == 8 + r.stats["K"] + 2 * 8 * r.stats["K"] + 64
    settings = compare.sampling_settings((1.0,), (0.9,))
    texts, rows = compare.copying(r.state.best, r.vocab, np.arange(r.stats["K"]).repeat(3),
                                  {"validation text": "abc" * 50}, settings, length=100)  # fmt: skip
    assert list(texts) == ["T = 1.0", "top-p = 0.9"] and rows[-1][0] == "validation text"
    assert compare.closest([("a", 0.1, 0), ("b", 0.5, 0), ("real", 0.45, 0)], ["a", "b"], "real") == "b"


def test_chapter_7_on_its_own_fits_chapter_5s_n_gram_once(small_corpus, tmp_path):
    figures = compare.read_ngram(tmp_path, small_corpus, max_order=3)  # chapter 5 has not run here
    assert set(figures) == {"order", "scale", "validation", "test", "size"} and 1 <= figures["order"] <= 3
    assert (tmp_path / "beyond" / "ngram.json").exists()
    assert compare.read_ngram(tmp_path) == figures  # kept: read, not fitted again


@pytest.mark.parametrize("damaged", [b"{", b"[1, 2]", b'{"order": 2}', b"[" * 100_000, b"\xff"])
def test_n_gram_figures_that_cannot_be_read_are_set_aside_and_fitted_again(small_corpus, tmp_path, capsys, damaged):
    figures = compare.read_ngram(tmp_path, small_corpus, max_order=3)
    (tmp_path / "beyond" / "ngram.json").write_bytes(damaged)
    assert compare.read_ngram(tmp_path, small_corpus, max_order=3) == figures
    (aside,) = (tmp_path / "beyond").glob("ngram.json.unreadable-*")
    assert aside.read_bytes() == damaged
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ngram.json cannot be read (" in err and "fitted again" in err
