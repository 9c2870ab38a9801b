"""Chapter 7: the path from the assignment's RNN to the n-gram and past it. Its figures and sentences."""

import math

import numpy as np

from ...evaluation import stats
from ...evaluation.heldout import bits
from ...nets import optim
from .. import compare
from ..display import markdown_table
from ..runs import OPTIMIZERS


def minutes(seconds):
    """``"2.1 min"`` or ``"48 s"``: short enough for a table's column."""
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def curve(results):
    """``(minutes, mean, sd)``: the test bits per character of several seeds at each evaluation, against the
    training time then (each run's steps times its mean time per update, as the runs' speed is steady)."""
    steps, mean, sd = compare.band(results, column=3)
    per_update = np.mean([r.summary["seconds"] / max(r.summary["steps"], 1) for r in results])
    return steps * per_update / 60, mean, sd


def table(groups):
    """Markdown table of ``groups`` = {label: [Result]}: size, speed, time, held-out bits per character at the
    checkpoints chosen on validation (mean ± sd over the seeds). Streams and seeds are in :func:`legend`, so
    that a row stays under 72 characters and pandoc sizes the columns to their content."""
    rows = []
    for label, results in groups.items():
        f = compare.figures(results, math.inf)
        speed = np.mean([r.summary["characters_per_second"] or 0 for r in results])
        seconds = np.mean([r.summary["seconds"] for r in results])
        rows.append((label, f"{compare.size(results[0].state.params) / 1000:,.0f}k", f"{speed / 1000:,.0f}k",
                     minutes(seconds), stats.mean_sd(f["validation"]), stats.mean_sd(f["test"])))  # fmt: skip
    return markdown_table(["model", "parameters", "chars/s", "time", "validation", "test"], rows)


def steps_paragraph(groups, ngram):
    """Each step's gain on test with its spread, and where the best model stands against the n-gram."""
    test = {label: compare.figures(results, math.inf)["test"] for label, results in groups.items()}
    labels = list(test)
    sentences = []
    for before, after in zip(labels, labels[1:]):
        a, b = stats.spread(test[before]), stats.spread(test[after])
        verdict = {
            -1: "more than the spread of the seeds",
            0: "within the spread of the seeds, so the runs cannot tell",
            1: "more than the spread of the seeds",
        }[stats.separated(test[after], test[before])]
        change = "lowers" if b["mean"] < a["mean"] else "raises"
        sentences.append(
            f"{after} {change} the test loss from {a['mean']:.3f} ± {a['sd']:.3f} to {b['mean']:.3f} ± {b['sd']:.3f} "
            f"bits per character ({before} before it), {verdict}."
        )
    best = min(labels, key=lambda label: stats.spread(test[label])["mean"])
    s, single = stats.spread(test[best]), len(test[best]) == 1
    against = stats.versus(test[best], ngram["test"])
    gap = s["mean"] - ngram["test"]
    n = f"{ngram['order']}-gram"
    if against < 0:
        end = f"**{best} beats the {n}** ({ngram['test']:.3f}) by {-gap:.3f} bits per character, more than its spread."
    elif against > 0 or single:
        end = (f"**{best} falls short of the {n}** ({ngram['test']:.3f}) by {gap:.3f} bits per character"
               + (" (one run, so without a spread)." if single else "."))  # fmt: skip
    else:
        end = f"{best} and the {n} ({ngram['test']:.3f}) are within the spread of its seeds."
    return " ".join(sentences) + " " + end


def recipe_check_paragraph(tables):
    """The verdict on the gradient checks of the recipe's backward passes, ``tables`` = {what: the table of
    :func:`rnn_lib.nets.gradcheck.check_recipe`}."""
    rows = [r for table in tables.values() for r in table.values()]
    worst = max(r["max_abs"] for r in rows)
    return (
        f"Both agree with centred differences: the relative error of the norm stays below "
        f"{max(r['norm_rel'] for r in rows):.0e} for every parameter, and no entry differs by more than {worst:.0e}, "
        "the size of the differences' own truncation and rounding; a wrong term would give errors of order one. "
        "The masks are drawn once and held fixed, so that the loss is a function of the parameters alone; in "
        "training, update $k$ draws its own from a generator seeded with the run's seed and $k$, so that a run "
        "resumed from `last.npz` drops the very units one session would have."
    )


def mixture_paragraph(mix, label, ngram):
    """``label``'s network and the n-gram mixed character by character (:func:`rnn_lib.report.mixed.figures`):
    the λ chosen on validation, the test bits of each model alone and of the mixture, and how they compare."""
    n = f"{ngram['order']}-gram"
    if mix["test"] is None:
        return (f"Validation chose an earlier checkpoint than the last for every seed of {label}, and a run keeps "
                f"only its last parameters, so it is not mixed with the {n} here.")  # fmt: skip
    seeds = mix["seeds"]
    mixture, network = ([s["test"][model] for s in seeds] for model in ("mixture", "network"))
    m, net = stats.spread(mixture), stats.spread(network)
    left_out = mix["runs"] - len(seeds)
    lambdas = ", ".join(f"{s['lambda']:.2g}" for s in seeds)  # a small weight stays visible: 0.0031, not 0.00
    text = (
        "Mixed character by character, $p = \\lambda\\, p_\\text{net} + (1 - \\lambda)\\, p_\\text{"
        f"{n}}}$, with $\\lambda$ chosen on validation ({lambdas} for {len(seeds)} seed{'s' * (len(seeds) > 1)}"
        + (f"; {left_out} left out, whose validation chose a checkpoint that is not kept" if left_out else "")
        + f"), the two score **{_told(m)} bits per character on test**, against {_told(net)} for {label} alone "
        f"and {ngram['test']:.3f} for the {n}."
    )
    if len(seeds) < 2:
        return text + " With one seed there is no spread to tell the differences by."
    told = {-1: "better than", 0: "within the spread of the seeds of", 1: "worse than"}
    versus_net, versus_ngram = stats.separated(mixture, network), stats.versus(mixture, ngram["test"])
    if versus_net == versus_ngram == -1:
        return text + " The mixture is better than either model alone by more than the spread of the seeds."
    return text + f" The mixture is {told[versus_net]} {label} and {told[versus_ngram]} the {n}."


def _told(spread):
    """``"2.305 ± 0.007"``, or the value alone for one run, which has no spread."""
    return f"{spread['mean']:.3f}" + (f" ± {spread['sd']:.3f}" if spread["n"] > 1 else "")


def still_falling(results, last=3):
    """Mean drop in validation bits per character over the ``last`` evaluations of each run: whether more
    training would pay (a positive figure means the loss was still falling when the budget ran out)."""
    drops = [bits(r.validation[-last - 1, 2] - r.validation[-1, 2]) for r in results if len(r.validation) > last]
    return float(np.mean(drops)) if drops else math.nan


def next_step(groups):
    """What the curve of the last model of ``groups`` = {label: [Result]} says about training it longer."""
    label = list(groups)[-1]
    drop = still_falling(groups[label])
    if drop > 0.005:
        return (f"When its budget ran out, the validation loss of {label} was still falling ({drop:.3f} bits per "
                f"character over its last three evaluations): it would gain from more training time.")  # fmt: skip
    return (f"When its budget ran out, the validation loss of {label} had levelled off ({drop:+.3f} bits per "
            f"character over its last three evaluations): more time alone would not pay.")  # fmt: skip


def legend(groups):
    """What each row of :func:`table` trained, read from its runs' settings."""
    items = []
    for label, results in groups.items():
        c, s = results[0].config, results[0].summary
        streams = "one stream" if c.batch == 1 else f"{c.batch} streams"
        eta = optim.hyperparameters(c.optimizer, eta=c.eta)["eta"]
        optimizer = {name: title for title, name in OPTIMIZERS.items()}[c.optimizer]
        epochs = f"{s['epochs']:.2g} epoch" + ("" if s["epochs"] == 1 else "s")
        seeds = f"{len(results)} seed" + ("" if len(results) == 1 else "s")
        network = "LSTM, 2 layers" if c.model == "lstm2" else c.model.upper()
        items.append(f"**{label}**: {network}, $m$ = {c.m}, {streams}, chunks of {c.seq_length}, "
                     f"{optimizer} $\\eta$ = {eta:g}{recipe(c)}, {c.dtype}, {epochs}, {seeds}")  # fmt: skip
    return (
        "; ".join(items) + ". *Time* is one run's training time without its held-out evaluations (mean over its "
        "seeds); *validation* and *test* are bits per character at the checkpoint chosen on validation."
    )


def recipe(config):
    """What a run's settings add to Adam's constant step (:mod:`rnn_lib.training.recipe`), as the legend says it:
    ``""`` for none, else e.g. ``", 200 updates of warm-up, cosine decay to 0.1 η, dropout 0.2"``."""
    parts = [f"{config.warmup} updates of warm-up"] * bool(config.warmup)
    if config.schedule != "constant":
        parts.append(f"{config.schedule} decay to {config.final_eta:g} $\\eta$")
    if config.clipping == "norm":
        parts.append(f"the gradient's norm clipped at {config.clip:g}")
    if config.dropout:
        parts.append(f"dropout {config.dropout:g}")
    return "".join(f", {part}" for part in parts)


def ylim(curves, reference):
    """Limits of a figure of :func:`curve` s that shows where they end and the ``reference`` level, not their
    start from the untrained networks: from below the lowest point to the highest second evaluation."""
    low = min(min(mean) for _, mean, _ in curves) if curves else reference
    high = max(mean[min(1, len(mean) - 1)] for _, mean, _ in curves) if curves else reference
    return min(low, reference) - 0.05, max(high, reference) + 0.05
