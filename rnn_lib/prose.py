"""Sentences of the report that depend on results, made from the results.

Each function returns Markdown. A claim that another corpus or another run could make
false is never written as a fixed sentence: it is decided here, from the numbers. The
corpus name is the user's: it is escaped, so that it reads as it is.
"""

import math

from . import stats
from .display import markdown_escape
from .evaluate import bits


def _percent(x):
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
        f"Of the words in the sample at step {first_step:,}, {_percent(first)} are words of the corpus; "
        f"at step {last_step:,}, {_percent(last)}"
    )
    if best > last:
        text += f" (the most, {_percent(best)}, at step {best_step:,})"
    late = [k for _, k in pairs[len(pairs) // 2 :]]
    text += (
        f". Over the later half of these samples the share ranges from {_percent(min(late))} to {_percent(max(late))}"
    )
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
        f"Measured on {length:,} characters at each temperature: at $T$ = {cold}, {_percent(cold_known)} of "
        f"the words are words of the corpus and {_percent(cold_repeat)} of the 10-character strings repeat "
        f"one written earlier in the same text; at $T$ = {hot}, {_percent(hot_known)} and "
        f"{_percent(hot_repeat)}. Cooling the distribution gives {more[cold_known > hot_known]} real "
        f"words and {'more' if cold_repeat > hot_repeat else 'less'} repetition: $T$ trades variety for safety."
    )


def heldout_paragraph(figures, chosen_rows):
    """Chapter 5: the validation curve of several seeds; ``figures`` from :func:`rnn_lib.compare.figures`,
    ``chosen_rows`` the evaluation rows (step, epoch, validation, test nats) chosen on validation."""
    steps = [int(row[0]) for row in chosen_rows]
    where = f"at step {steps[0]:,}" if len(set(steps)) == 1 else f"between steps {min(steps):,} and {max(steps):,}"
    return (
        f"*Figure: training and validation loss of AdaGrad, $m$ = 100, over {len(steps)} seeds: their mean, "
        f"and a band of one standard deviation.*\n\n"
        f"The validation loss is lowest {where}, at {stats.mean_sd(figures['validation'])} bits per "
        f"character; the checkpoints chosen there score **{stats.mean_sd(figures['test'])} bits per character "
        f"on the test text**. The training curve is noisier, and its level depends on which part of the "
        f"text the last thousand chunks came from; the validation curve measures the same text every time, "
        f"so it is the one to choose by."
    )


def ngram_paragraph(order, scale, max_order, ngram_test, ngram_size, rnn_test, rnn_size):
    """Chapter 5: the RNN's seeds (test bits per character) against the n-gram model chosen on validation."""
    longer = "; longer contexts are seen too rarely to help" if order < max_order else ""
    verdict = {
        -1: "better than that baseline by more than the spread of its seeds",
        0: "as good as that baseline, as far as its seeds can tell",
        1: "not as good as that baseline, by more than the spread of its seeds",
    }[stats.versus(rnn_test, ngram_test)]
    return (
        f"On validation text the best $n$-gram model has order {order} and {scale:g} times the estimated "
        f"discounts{longer}. On the test text it scores **{ngram_test:.3f} bits per character**. The RNN, at "
        f"{stats.mean_sd(rnn_test)}, is {verdict}, with {rnn_size:,} numbers instead of {ngram_size:,} counts. "
        f"A vanilla RNN of 100 units trained with AdaGrad at $\\eta$ = 0.1 is a small model: its hidden "
        f"state has to carry everything it remembers, and it is trained on one chunk at a time."
    )


def comparison_caption(budget, best):
    """Chapter 5: the caption of the optimizer and capacity figures and their table."""
    return (
        f"*Figures: validation loss during {budget:,} updates (mean over seeds, band of one standard "
        f"deviation); above, the three optimizers with $m$ = 100; below, {best}, the best of them on "
        f"validation, with three sizes of the hidden state. Table: validation and test bits per character at "
        f"the checkpoint chosen on validation, mean ± standard deviation over seeds.*"
    )


def capacity_note():
    """Chapter 5: what any ordering of sizes costs."""
    return (
        "A larger network costs more per update: the recurrence is an $m \\times m$ product at every "
        "character, and at equal updates a larger one has had less time per parameter to learn."
    )


def copying_paragraph(copied, chosen, model, validation="validation text", test="test text"):
    """Chapter 5: how much generated text is found in the training text; ``copied`` maps a label to a share,
    ``chosen`` is the setting chosen on validation, ``model`` names the network."""
    colder = (
        "Colder sampling copies more: it keeps to the most frequent words and phrases of the training text. "
        if copied["T = 0.5"] > copied["T = 1.3"]
        else ""
    )
    return (
        f"The texts are written by {model}. At $T$ = 0.5, {_percent(copied['T = 0.5'])} of the generated "
        f"8-character strings are found in the training text; at $T$ = 1.3, {_percent(copied['T = 1.3'])}. "
        f"{colder}Real text the network never saw scores {_percent(copied[validation])} (validation) and "
        f"{_percent(copied[test])} (test): a model that wrote like the author would land there. The setting "
        f"closest to the validation text is **{chosen}**, at {_percent(copied[chosen])}; the gap in known "
        f"words shows how far its fluency still is from the author's."
    )


def units_paragraph(found, on_test, threshold=0.4):
    """Chapter 5: hidden units chosen on validation, ``found`` = {property: (unit, r)}, and their
    correlation on the test text, ``on_test`` = {property: r}."""
    name = max(on_test, key=lambda n: abs(on_test[n]))
    tracked = [n for n, r in on_test.items() if abs(r) >= threshold]
    text = (
        f"*Figure: a passage of test text; each character on the colour of a unit's activation after "
        f"reading it (red positive, blue negative).*\n\n"
        f"On the test text the clearest unit tracks *{name}* (unit {found[name][0]}, $r$ = {on_test[name]:+.2f}). "
        f"Nothing in training names these properties, and a unit may serve several of them, so a single "
        f"correlation understates what the network knows; "
    )
    if tracked:
        return text + (
            f"still, with $|r| \\geq {threshold}$ the network tracks {', '.join(tracked)}: information "
            f"it needs to place line breaks, capitals and spaces."
        )
    return text + f"none reaches $|r| = {threshold}$ here, so this network spreads such information over many units."


def _joined(names):
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def spread_paragraph(main, best_losses, seeds):
    """Chapter 2: the best smooth loss of the main run among runs that differ only in their seed."""
    s = stats.spread(best_losses)
    return (
        f"*Figure: smooth loss of {s['n']} runs with the assignment's settings and seeds {seeds[0]} to "
        f"{seeds[-1]}: their mean, and a band of one standard deviation.*\n\n"
        f"Runs that differ only in their seed reach a best smooth loss of **{s['mean']:.2f} ± {s['sd']:.2f}** "
        f"(mean ± standard deviation of {s['n']} runs; range {s['min']:.2f} to {s['max']:.2f}); the run above, "
        f"seed {seeds[0]}, reached {main:.2f}. Two correct programs on the same text can thus differ by "
        f"{s['max'] - s['min']:.2f} by chance alone: a classmate's number that differs from yours by less than "
        f"that says nothing about either program."
    )


def split_paragraph(n_train, n_validation, n_test, seeds):
    """Chapter 5: how the corpus is split, and what each part is for."""
    total = n_train + n_validation + n_test
    return (
        f"The corpus is cut into three contiguous parts: the first {n_train:,} characters "
        f"({n_train / total:.0%}) to train on, the next {n_validation:,} ({n_validation / total:.0%}) to choose "
        f"on — the checkpoint, the $n$-gram order and discount, the sampling setting — and the last {n_test:,} "
        f"({n_test / total:.0%}) to report on, once, at the chosen checkpoint. Every network is trained with "
        f"{seeds} seeds, and each figure is given as mean ± standard deviation over them: a difference "
        f"smaller than that spread is not a finding."
    )


def ordering(results, what="test loss"):
    """Which settings are better, as far as the seeds can tell: ``results`` = {name: [values, lower is better]}."""
    tiers = {}
    for name, tier in stats.ranking(results):
        tiers.setdefault(tier, []).append(name)
    if len(tiers) == 1:
        return f"The runs cannot tell {_joined(results)} apart by {what}: their differences are within the spread."
    parts = []
    for names in tiers.values():
        group = _joined(names)
        parts.append(group + (" (which the runs cannot tell apart)" if len(names) > 1 else ""))
    first = "come" if len(tiers[0]) > 1 else "comes"
    return (f"By {what}, {parts[0]} {first} first, then {', then '.join(parts[1:])}; each step is larger than the "
            f"spread of the seeds.")  # fmt: skip
