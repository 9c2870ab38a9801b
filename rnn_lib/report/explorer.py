"""The explorer of the notebooks: pick a run, a passage and a hidden unit, and see the passage coloured by that unit
and, for any character, what the network expects next (ipywidgets, like the temperature slider).

A passage is read once (:func:`rnn_lib.evaluation.guesses.read`) when it or the run changes; moving the unit or the
character only redraws the HTML from those arrays (:mod:`rnn_lib.report.explorer_html`).
"""

from pathlib import Path

from ..evaluation import analysis, guesses
from ..text.corpus import encode
from ..training import checkpoint
from . import compare, explorer_html

PART = 1_000  # characters of validation text per part offered in the menu
PARTS = 8


def find_runs(run_dir):
    """``{label: best.npz}`` of the runs under ``run_dir``: the assignment's model, chapter 5 and 7's runs
    (``beyond/<setting>/seed-*``) and chapter 6's short-text models (``short-texts/seq-*/seed-*``)."""
    run_dir = Path(run_dir)
    found = {"the assignment's model": run_dir / "best.npz"} if (run_dir / "best.npz").exists() else {}
    for pattern in ("beyond/*/seed-*/best.npz", "short-texts/seq-*/seed-*/best.npz"):
        found |= {str(path.parent.relative_to(run_dir)): path for path in sorted(run_dir.glob(pattern))}
    return found


def load(path):
    """``(params, vocab, network)`` of a run's checkpoint; the network is its config's ``model``."""
    params, info = checkpoint.load(path)
    return params, info["vocab"], info["config"].get("model", "rnn")


class Explorer:
    """The widgets and the state behind them; ``widget`` is what a notebook shows."""

    def __init__(self, runs, parts):
        import ipywidgets as widgets

        wide = {"description_width": "initial"}
        self.run = widgets.Dropdown(options=list(runs), description="run", style=wide)
        self.part = widgets.Dropdown(options=list(parts), description="passage", style=wide)
        self.text = widgets.Textarea(value=next(iter(parts.values()), ""), description="text", continuous_update=False,
                                     layout=widgets.Layout(width="95%", height="6em"), style=wide)  # fmt: skip
        self.unit = widgets.IntSlider(value=0, min=0, max=0, description="unit", continuous_update=True, style=wide)
        self.feature = widgets.Dropdown(options=["–"], description="most correlated with", style=wide)
        self.position = widgets.IntSlider(value=0, min=0, max=0, description="character", style=wide)
        self.picture = widgets.HTML()
        self.runs, self.reading, self.best = runs, None, {}
        self.widget = widgets.VBox([self.run, self.part, self.text, widgets.HBox([self.unit, self.feature]),
                                    self.position, self.picture])  # fmt: skip
        self.run.observe(lambda _: self.load(), "value")
        self.part.observe(lambda change: setattr(self.text, "value", parts[change["new"]]), "value")
        self.text.observe(lambda _: self.read(), "value")
        self.feature.observe(lambda _: self.choose_unit(), "value")
        for slider in (self.unit, self.position):
            slider.observe(lambda _: self.draw(), "value")
        self.load()

    def load(self):
        self.reading = None  # until the passage is read again, nothing draws with another model's guesses
        self.params, self.vocab, self.network = load(self.runs[self.run.value])
        self.unit.max = self.params.m - 1
        self.read()

    def read(self):
        """Read the passage once: states, guesses, losses, tooltips, and the unit best at each text feature."""
        text, self.reading = self.text.value, None
        try:
            ids = encode(text, self.vocab)
        except ValueError as err:
            self.picture.value = explorer_html.message(str(err))
            return
        if not len(text):
            self.picture.value = explorer_html.message("type a passage to read")
            return
        self.reading = guesses.read(self.params, ids, self.network)
        self.pieces = explorer_html.pieces(text, self.reading, self.vocab)
        self.best = analysis.best_units(self.reading.states, analysis.text_features(text))
        self.feature.options = ["–", *(f"{name} (unit {u}, r = {r:+.2f})" for name, (u, r) in self.best.items())]
        self.position.max = len(text) - 1
        self.draw()

    def choose_unit(self):
        name = self.feature.value.split(" (unit ")[0]
        if name in self.best:
            self.unit.value = self.best[name][0]

    def draw(self):
        if self.reading is not None:
            text = self.text.value
            self.picture.value = explorer_html.page(
                text, self.reading, self.vocab, self.unit.value, min(self.position.value, len(text) - 1), self.pieces
            )


def widget(run_dir, corpus=None, encoding="utf-8"):
    """The explorer over every run under ``run_dir``, offering parts of chapter 5's validation text of ``corpus``."""
    runs = find_runs(run_dir)
    if not runs:
        raise ValueError(f"no trained run under {run_dir}: train one first (python -m rnn_lib train --out {run_dir})")
    validation = compare.held_out(corpus, encoding)[1]["validation"]
    parts = {f"validation text, characters {s:,} to {s + PART:,}": validation[s : s + PART]
             for s in range(0, min(len(validation), PARTS * PART), PART)}  # fmt: skip
    return Explorer(runs, parts).widget
