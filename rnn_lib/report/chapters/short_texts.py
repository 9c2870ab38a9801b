"""Chapter 6, the bonus exercise: short texts that end. Its figures and sentences, computed from the runs."""

import math

import numpy as np

from ...evaluation import stats
from .. import compare
from ..display import markdown_escape, markdown_table
from ..sentences import ordering


def corpus_paragraph(stats_, limit, too_long, parts):
    """How the documents were read and split: ``stats_`` of :func:`rnn_lib.text.short_texts.load`,
    ``parts`` = {"training": lengths, "validation": lengths, "test": lengths} (characters per document)."""
    r = stats_["documents"]
    dropped = []
    if r["skipped"]:
        dropped.append(f"{r['skipped']:,} longer than {limit} characters are left out")
    if r["cut"]:
        dropped.append(f"{r['cut']:,} longer than {limit} characters are cut to {limit}")
    if r["empty"]:
        dropped.append(f"{r['empty']:,} empty ones are dropped")
    lengths = np.concatenate(list(parts.values()))
    split = ", ".join(f"{len(v):,} documents for {name}" for name, v in parts.items())
    how = {"blocks": "blocks separated by blank lines", "lines": "one document per line",
           "json": "a JSON list of records with a text field", "csv": "the text column of a CSV file"}  # fmt: skip
    return (
        f"**{markdown_escape(stats_['corpus'])}** is read as {how[r['format']]}: {r['read']:,} documents, of which "
        f"{'; '.join(dropped) if dropped else 'none is dropped or cut'}. That leaves {r['kept']:,} documents of "
        f"{lengths.sum():,} characters: {lengths.mean():.0f} on average, median {np.median(lengths):.0f}, "
        f"shortest {lengths.min()}, longest {lengths.max()}; with the end-of-text character, $K$ = {stats_['K']}. "
        f"They are split in file order into whole documents, 80 / 10 / 10 % of the characters: {split}."
    )


def chunking_sentence(lengths, seq_length, per_epoch):
    """How documents of ``lengths`` (characters each) are cut into chunks of at most ``seq_length``."""
    one = np.mean(lengths + 1 <= seq_length)
    return (
        f"With `seq_length` = {seq_length}, {one:.0%} of the training documents fit in a single chunk, and an "
        f"epoch is {per_epoch:,} updates."
    )


def at_stages(samples, stages):
    """The samples (dicts of samples.json) recorded at the steps ``stages``, in order; missing ones left out."""
    by_step = {s["step"]: s for s in samples}
    return [by_step[step] for step in stages if step in by_step]


def stage_label(step, ended):
    """``"After 1,000 updates: 5 of 6 texts ended by themselves"``."""
    when = "Before training" if step == 0 else f"After {step:,} updates"
    return f"{when}: {sum(ended)} of {len(ended)} texts ended by themselves"


def lengths_paragraph(real, written, limit, temperature=1.0):
    """Generated texts against real ones: ``real`` lengths of the training documents, ``written`` = [(text, ended)]."""
    generated = np.array([len(text) for text, _ in written])
    ended = sum(e for _, e in written)
    return (
        f"Of {len(written):,} texts written at temperature {temperature:g}, **{ended:,} ({ended / len(written):.0%}) "
        f"ended by themselves** and {len(written) - ended:,} were stopped at the limit of {limit} characters. "
        f"They are {generated.mean():.0f} characters long on average (median {np.median(generated):.0f}); "
        f"the training documents {np.mean(real):.0f} (median {np.median(real):.0f})."
    )


def chunk_length_table(groups):
    """Markdown table of ``groups`` = {seq_length: [Result]}: updates per epoch, time, held-out bits at the
    checkpoints chosen on validation (mean ± sd over seeds)."""
    rows = []
    for seq_length, results in groups.items():
        f = compare.figures(results, math.inf)
        seconds = np.mean([r.summary["seconds"] for r in results])
        rows.append((seq_length, f"{results[0].summary['updates_per_epoch']:,}", f"{seconds:.0f} s",
                     stats.mean_sd(f["validation"]), stats.mean_sd(f["test"])))  # fmt: skip
    return markdown_table(["`seq_length`", "updates/epoch", "time", "validation bits/char", "test bits/char"], rows)


def chunk_length_paragraph(groups):
    """What the comparison of chunk lengths shows, with ``groups`` = {seq_length: [Result]}."""
    epochs = groups[next(iter(groups))][0].summary["epochs"]
    seeds = min(len(results) for results in groups.values())
    test = {f"`seq_length` = {s}": compare.figures(results, math.inf)["test"] for s, results in groups.items()}
    return (
        f"Each chunk length trained for {epochs:.1f} epochs with {seeds} seeds; each run's checkpoint is the "
        f"evaluation with the lowest validation loss, and its test loss is the figure. {ordering(test)}"
    )
