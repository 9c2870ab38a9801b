"""Chapter 3, the evolution of samples (notebooks/03_sample_evolution): its sentence, made from the samples."""

import math

from ..sentences import percent


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
