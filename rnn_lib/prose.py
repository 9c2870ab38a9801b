"""Sentences of the report that depend on results, made from the results.

Each function returns Markdown. A claim that another corpus or another run could make
false is never written as a fixed sentence: it is decided here, from the numbers.
"""

import math

from .evaluate import bits


def _percent(x):
    return f"{x:.0%}"


def corpus_paragraph(stats, per_epoch, seq_length):
    """Chapter 1: the corpus, its vocabulary and what an epoch is."""
    return (
        f"The corpus is **{stats['corpus']}**: $N$ = {stats['characters']:,} characters, of which "
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


def heldout_paragraph(train_chars, held_chars, validation, history, seq_length):
    """Chapter 5: the held-out curve. ``validation`` (rows, 3) and ``history`` (rows, 4) of one run."""
    best = validation[validation[:, 2].argmin()]
    return (
        f"*Figure: training and held-out loss of AdaGrad, $m$ = 100, trained on the first {train_chars:,} "
        f"characters and evaluated on the last {held_chars:,}.*\n\n"
        f"The held-out loss reaches its lowest value, **{bits(best[2]):.3f} bits per character**, at step "
        f"{int(best[0]):,} and ends at {bits(validation[-1, 2]):.3f}; the training loss ends at "
        f"{bits(history[-1, 3] / seq_length):.3f}. The training curve is noisier and its level depends on "
        f"which part of the text the last thousand chunks came from; the held-out curve measures the same "
        f"text every time, so it is the one to compare models by."
    )


def ngram_paragraph(best_order, max_order, ngram_bits, ngram_size, rnn_bits, rnn_size):
    """Chapter 5: the RNN against the best n-gram model."""
    verdict = "better than" if rnn_bits < ngram_bits else "not as good as"
    longer = "; longer contexts are seen too rarely to help. " if best_order < max_order else ". "
    return (
        f"The best $n$-gram model has order {best_order} and {ngram_bits:.3f} bits per character{longer}"
        f"The RNN, at {rnn_bits:.3f} bits, is {verdict} that baseline, with {rnn_size:,} numbers instead "
        f"of {ngram_size:,} counts. A vanilla RNN of 100 units trained with AdaGrad at $\\eta$ = 0.1 is a "
        f"small model: its hidden state has to carry everything it remembers, and it is trained on one "
        f"chunk at a time."
    )


def capacity_paragraph(budget, best_by_optimizer, best_name, best_by_size):
    """Chapter 5: optimizers and sizes at equal budget; the dicts map a name or m to bits per character."""
    ranked = sorted(best_by_optimizer, key=best_by_optimizer.get)
    sizes = sorted(best_by_size)
    in_order = all(best_by_size[a] > best_by_size[b] for a, b in zip(sizes, sizes[1:]))
    listed = ", ".join(str(m) for m in sizes[:-1]) + f" and {sizes[-1]}"
    reached = ", ".join(f"{best_by_size[m]:.3f}" for m in sizes[:-1]) + f" and {best_by_size[sizes[-1]]:.3f}"
    text = (
        f"With {budget:,} updates, {ranked[0]} reaches the lowest held-out loss, then "
        f"{', '.join(ranked[1:-1]) + ' and ' if len(ranked) > 2 else ''}{ranked[-1]}. "
        f"Capacity matters more: {best_name} with $m$ = {listed} reaches {reached} bits per character. "
    )
    if in_order:
        return text + (
            "Each doubling of $m$ buys a better model, though it costs time: the recurrence is an "
            "$m \\times m$ product at every character."
        )
    return text + (
        "Within this budget the sizes do not line up in order: a larger network needs more updates "
        "before its extra capacity pays off, and each of its updates costs more, the recurrence being "
        "an $m \\times m$ product at every character."
    )


def copying_paragraph(copied, cold="T = 0.5", hot="T = 1.3", reference="held-out text"):
    """Chapter 5: how much of the generated text is found in the training text; ``copied`` maps a label to a share."""
    colder = (
        "Colder sampling copies more: it keeps to the most frequent words and phrases of the training text. "
        if copied[cold] > copied[hot]
        else ""
    )
    return (
        f"At $T$ = 0.5, {_percent(copied[cold])} of the generated 8-character strings are found in the "
        f"training text; at $T$ = 1.3, {_percent(copied[hot])}. {colder}Real unseen text scores "
        f"{_percent(copied[reference])}: a model that wrote like the author would land there, so every "
        f"setting is still far from reciting — and far from the author's fluency, since the gap in known "
        f"words shows how many of its words do not exist. Nucleus sampling cuts the tail of rare characters "
        f"that makes hot samples unreadable, without making every choice the safest one."
    )


def units_paragraph(found, threshold=0.4):
    """Chapter 5: hidden units and text properties; ``found`` maps a property to (unit, r)."""
    name, (unit, r) = max(found.items(), key=lambda item: abs(item[1][1]))
    tracked = [n for n, (_, r) in found.items() if abs(r) >= threshold]
    text = (
        f"*Figure: a passage of held-out text; each character on the colour of a unit's activation after "
        f"reading it (red positive, blue negative).*\n\n"
        f"The clearest unit tracks *{name}* (unit {unit}, $r$ = {r:+.2f}). Nothing in training names these "
        f"properties, and a unit may serve several of them, so single correlations stay moderate; "
    )
    if tracked:
        return text + (
            f"still, with $|r| \\geq {threshold}$ the network tracks {', '.join(tracked)}: information "
            f"it needs to place line breaks, capitals and spaces."
        )
    return text + f"none exceeds $|r| = {threshold}$ here, so this network spreads such information over many units."
