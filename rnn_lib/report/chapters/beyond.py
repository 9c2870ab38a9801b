"""Chapter 5, beyond the assignment (notebooks/05_beyond): its sentences about comparisons on text no
model trained on, each Markdown decided from the numbers of several seeds. The runs themselves are
:mod:`rnn_lib.report.runs`; choosing on validation and reporting on test is :mod:`rnn_lib.report.compare`.
"""

from ...evaluation import stats
from ..sentences import percent


def heldout_paragraph(figures, chosen_rows):
    """Chapter 5: the validation curve of several seeds; ``figures`` from :func:`rnn_lib.report.compare.figures`,
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
        f"The texts are written by {model}. At $T$ = 0.5, {percent(copied['T = 0.5'])} of the generated "
        f"8-character strings are found in the training text; at $T$ = 1.3, {percent(copied['T = 1.3'])}. "
        f"{colder}Real text the network never saw scores {percent(copied[validation])} (validation) and "
        f"{percent(copied[test])} (test): a model that wrote like the author would land there. The setting "
        f"closest to the validation text is **{chosen}**, at {percent(copied[chosen])}; the gap in known "
        f"words shows how far its fluency still is from the author's."
    )


def clearest(on_test):
    """The property of the text that a unit tracks best on the test text, of ``on_test`` = {property: r}."""
    return max(on_test, key=lambda name: abs(on_test[name]))


def guesses_paragraph(length, window_bits, median_bits, unit, name, first, five):
    """Chapter 5: the passage of validation text shown with the network's guesses, chosen as the window of
    ``length`` characters whose mean loss (``window_bits``) is closest to the median of all (``median_bits``);
    ``unit`` tracks property ``name``; ``first`` and ``five``: shares of its characters that are the network's
    first guess, and among its five."""
    close = (
        "most of its misses are near misses, the right character among its next four guesses"
        if five - first > (1 - first) / 2
        else "when its first guess is wrong, the right character is mostly not among its next four either"
    )
    return (
        f"*Figure: {length} characters of validation text, the window whose mean loss ({window_bits:.2f} bits per "
        f"character) is closest to the median over all windows of that length ({median_bits:.2f}); each character "
        f"on the colour of unit {unit}, the one that tracks *{name}* best (red positive, blue negative), and under "
        f"it the network's five likeliest next characters, the likeliest on top, darker the likelier.*\n\n"
        f"In this passage the network's first guess is the next character {percent(first)} of the time, and "
        f"the next character is among its five guesses {percent(five)} of the time; {close}. In JupyterLab, "
        f"chapter 4's explorer shows the same for any run, passage and unit."
    )


def units_paragraph(found, on_test, threshold=0.4):
    """Chapter 5: hidden units chosen on validation, ``found`` = {property: (unit, r)}, and their
    correlation on the test text, ``on_test`` = {property: r}."""
    name = clearest(on_test)
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
