"""Chapter 1, the gradient check (notebooks/01_gradient_check): its sentences, made from the results."""

from ..display import markdown_escape


def corpus_paragraph(stats, per_epoch, seq_length):
    """Chapter 1: the corpus, its vocabulary and what an epoch is."""
    return (
        f"The corpus is **{markdown_escape(stats['corpus'])}**: $N$ = {stats['characters']:,} characters, of which "
        f"$K$ = {stats['K']} are distinct. The vocabulary is the sorted list of these characters, so a "
        f"character's index is the same in every run. Read in chunks of {seq_length} characters, one pass "
        f"over the text (an *epoch*) is {per_epoch:,} updates. The vocabulary, in index order:"
    )


def gradcheck_paragraph(small, full, agreement):
    """Chapter 1's verdict on two :func:`rnn_lib.nets.gradcheck.check_gradients` tables (m = 5 and m = 100)."""
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
