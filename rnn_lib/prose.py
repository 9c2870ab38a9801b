"""Sentences of the report that depend on results, made from the results.

Each function returns Markdown. A claim that another corpus or another run could make
false is never written as a fixed sentence: it is decided here, from the numbers. The
corpus name is the user's: it is escaped, so that it reads as it is.
"""

import math

from .display import markdown_escape
from .evaluate import bits


def percent(x):
    return f"{x:.0%}"


def corpus_paragraph(stats, per_epoch, seq_length):
    """Chapter 1: the corpus, its vocabulary and what an epoch is."""
    return (
        f"The corpus is **{markdown_escape(stats['corpus'])}**: $N$ = {stats['characters']:,} characters, of which "
        f"$K$ = {stats['K']} are distinct. The vocabulary is the sorted list of these characters, so a "
        f"character's index is the same in every run. Read in chunks of {seq_length} characters, one pass "
        f"over the text (an *epoch*) is {per_epoch:,} updates. The vocabulary, in index order:"
    )


def gradcheck_paragraph(small, full, agreement):
    """Chapter 1's verdict on two :func:`rnn_lib.gradcheck.check_gradients` tables (m = 5 and m = 100)."""
    worst_name, worst = max(full.items(), key=lambda item: item[1]["max_rel"])
    both = list(small.values()) + list(full.values())
    return (
        f"Every gradient agrees with its numerical estimate: the relative error of the norm stays below "
        f"{max(r['norm_rel'] for r in both):.0e} for every parameter of both networks, "
        f"and the mean element-wise error below {max(r['mean_rel'] for r in both):.0e}. "
        f"The largest element-wise error of the $m = 100$ network, {worst['max_rel']:.1e} in ${worst_name}$, "
        f"belongs to an entry whose gradient is tiny; its absolute difference is at most "
        f"{worst['max_abs']:.0e}, the size of the truncation and rounding errors of the finite differences. "
        f"A wrong term in the backward pass gives errors of order one. The fast implementation also agrees "
        f"with a literal one that multiplies one-hot vectors one time step at a time, to {agreement:.0e}."
    )


def training_paragraph(summary, history, first_smooth_loss):
    """Chapter 2: how the smooth loss went. ``history`` (rows, 4): step, epoch, loss, smooth loss."""
    s, per_epoch, seq = summary, summary["updates_per_epoch"], summary["seq_length"]
    text = (
        f"*Figure: smooth loss of the run; dashed lines separate epochs; the dot marks the best model.*\n\n"
        f"The smooth loss starts at {first_smooth_loss:.1f}, the loss of guessing uniformly among "
        f"{s['K']} characters (${seq} \\ln {s['K']}$), and falls fastest in the first few thousand updates. "
    )
    if s["epochs"] >= 2:
        ends = [history[history[:, 0] <= k * per_epoch][-1, 3] for k in range(1, int(s["epochs"]) + 1)]
        text += (
            f"It is {ends[0]:.1f} at the end of the first epoch and {ends[-1]:.1f} after "
            f"{len(ends)}; the gain per epoch shrinks, and a ripple repeats every epoch: the same "
            f"passages of the text are hard, or easy, each time they come round. "
        )
    nats = s["best_smooth_loss"] / seq
    return text + (
        f"The lowest smooth loss, {s['best_smooth_loss']:.2f} ({nats:.3f} nats, or {bits(nats):.2f} bits, "
        f"per character), was reached at step {s['best_step']:,}."
    )


def evolution_paragraph(steps, known, sample_length):
    """Chapter 3: how the share of real words in the samples grew. ``known[i]`` belongs to ``steps[i]``."""
    pairs = [(s, k) for s, k in zip(steps, known) if not math.isnan(k)]
    if len(pairs) < 2:
        return "The samples hold too few words to measure how their spelling improves."
    (first_step, first), (last_step, last) = pairs[0], pairs[-1]
    best_step, best = max(pairs, key=lambda p: p[1])
    text = (
        f"Of the words in the sample at step {first_step:,}, {percent(first)} are words of the corpus; "
        f"at step {last_step:,}, {percent(last)}"
    )
    if best > last:
        text += f" (the most, {percent(best)}, at step {best_step:,})"
    late = [k for _, k in pairs[len(pairs) // 2 :]]
    text += f". Over the later half of these samples the share ranges from {percent(min(late))} to {percent(max(late))}"
    if all(a < b for a, b in zip(late, late[1:])):
        return text + " and rises with every sample: the spelling was still improving when the samples end."
    return text + (
        f" and no longer rises with every sample: with {sample_length:,} characters a sample, "
        f"neighbouring passages differ by chance as much as by training."
    )


def temperature_paragraph(rows, length):
    """Chapter 4: what temperature did. ``rows``: (T, share of known words, share of repeated 10-grams)."""
    (cold, cold_known, cold_repeat), (hot, hot_known, hot_repeat) = rows[0], rows[-1]
    more = {True: "more", False: "fewer"}
    return (
        f"Measured on {length:,} characters at each temperature: at $T$ = {cold}, {percent(cold_known)} of "
        f"the words are words of the corpus and {percent(cold_repeat)} of the 10-character strings repeat "
        f"one written earlier in the same text; at $T$ = {hot}, {percent(hot_known)} and "
        f"{percent(hot_repeat)}. Cooling the distribution gives {more[cold_known > hot_known]} real "
        f"words and {'more' if cold_repeat > hot_repeat else 'less'} repetition: $T$ trades variety for safety."
    )
