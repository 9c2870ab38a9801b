"""The explorer: its runs are found in a run folder, and the HTML it shows for a unit and a character is what
the library computes for that model and text."""

import html
import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from rnn_lib.evaluation import guesses
from rnn_lib.report import explorer, explorer_html, guesses_plot
from rnn_lib.text.corpus import encode

pytest.importorskip("ipywidgets")

LEGACY = Path(__file__).resolve().parent.parent / "data" / "runs-4ce174d"  # a tiny RNN and LSTM on small.txt
TEXT = (LEGACY / "small.txt").read_text(encoding="utf-8")[:300]


@pytest.fixture
def run_dir(tmp_path):
    """A run folder as the report leaves it: the assignment's model, an LSTM of chapter 7, a short-text model."""
    shutil.copy(LEGACY / "rnn" / "best.npz", tmp_path / "best.npz")
    for folder, source in (("beyond/lstm-m100/seed-0", "lstm"), ("short-texts/seq-25/seed-1", "rnn")):
        (tmp_path / folder).mkdir(parents=True)
        shutil.copy(LEGACY / source / "best.npz", tmp_path / folder / "best.npz")
    return tmp_path


def test_finds_every_run_of_the_folder(run_dir):
    assert list(explorer.find_runs(run_dir)) == [
        "the assignment's model",
        "beyond/lstm-m100/seed-0",
        "short-texts/seq-25/seed-1",
    ]
    assert explorer.load(run_dir / "beyond/lstm-m100/seed-0/best.npz")[2] == "lstm"


def test_a_folder_without_runs_says_so(tmp_path):
    with pytest.raises(ValueError, match="no trained run under"):
        explorer.widget(tmp_path)


def test_the_explorer_offers_parts_of_the_validation_text(run_dir):
    view = explorer.widget(run_dir, LEGACY / "small.txt")
    run, part, text = view.children[:3]
    assert list(run.options)[0] == "the assignment's model" and part.value.startswith("validation text, characters 0")
    assert len(text.value) > 0 and text.value in (LEGACY / "small.txt").read_text(encoding="utf-8")


def shown_guesses(page):
    """``[(character, probability text)]`` of the guesses table in the explorer's HTML."""
    return re.findall(r'<td class="rnn-guess">(.*?)</td><td class="rnn-probability">(.*?)</td>', page)


def expected_guesses(path, text, position):
    params, vocab, network = explorer.load(path)
    reading = guesses.read(params, encode(text, vocab), network)
    top = zip(reading.top_ids[position], reading.top_probs[position])
    return [(explorer_html.shown(vocab[i]), f"{p:.3f}") for i, p in top]


def test_the_picture_shows_what_the_library_computes(run_dir):
    runs = explorer.find_runs(run_dir)
    view = explorer.Explorer(runs, {"part": TEXT})
    assert view.unit.max == 7 and view.position.max == len(TEXT) - 1
    view.unit.value, view.position.value = 3, 41
    page = view.picture.value
    assert page.count("<span ") == len(TEXT) and page.count("outline:") == 1
    assert shown_guesses(page) == expected_guesses(runs["the assignment's model"], TEXT, 41)
    assert f"unit 3 {view.reading.states[41, 3]:+.2f}" in page

    view.run.value = "beyond/lstm-m100/seed-0"  # another network: the passage is read again
    view.text.value = "First Citizen:\nWe"
    view.position.value = 3
    assert shown_guesses(view.picture.value) == expected_guesses(runs["beyond/lstm-m100/seed-0"], view.text.value, 3)


def test_most_correlated_sets_the_unit(run_dir):
    view = explorer.Explorer(explorer.find_runs(run_dir), {"part": TEXT})
    name, (unit, _) = "position in line", view.best["position in line"]
    view.feature.value = next(option for option in view.feature.options if option.startswith(name))
    assert view.unit.value == unit


def test_a_character_the_model_never_saw_is_one_line(run_dir):
    view = explorer.Explorer(explorer.find_runs(run_dir), {"part": TEXT})
    view.text.value = "a€b"
    shown = html.unescape(view.picture.value)
    assert shown.count("<p") == 1 and "'€'" in shown and "<span" not in shown
    view.unit.value = 2  # nothing to draw, and no error
    view.text.value = ""
    assert "type a passage" in view.picture.value


def test_redraw_of_a_thousand_characters(run_dir, capsys):
    """Not a timed test: it prints how long a redraw of 1,000 characters takes, for docs/results.md."""
    text = (LEGACY / "small.txt").read_text(encoding="utf-8")[:1000]
    view = explorer.Explorer(explorer.find_runs(run_dir), {"part": text})
    start = time.perf_counter()
    for unit in range(8):
        view.unit.value = unit
    redraw = (time.perf_counter() - start) / 8
    start = time.perf_counter()
    view.read()
    read = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nexplorer, 1,000 characters: redraw {redraw * 1e3:.1f} ms, read {read * 1e3:.1f} ms")
    assert np.isfinite(redraw)


def test_the_printed_form_has_the_five_guesses_under_every_character():
    params, vocab, network = explorer.load(LEGACY / "rnn" / "best.npz")
    text = TEXT[:100]
    reading = guesses.read(params, encode(text, vocab), network)
    labels = [t.get_text() for t in guesses_plot.guesses(text, reading, vocab, 2, "unit 2").axes[0].texts]
    assert len(labels) == 6 * len(text)
    assert labels[6 * 41 : 6 * 42] == [
        explorer_html.shown(ch) for ch in (text[41], *(vocab[i] for i in reading.top_ids[41]))
    ]
