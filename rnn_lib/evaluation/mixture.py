"""The network and the n-gram together: each character's probability the mixture

    p(x) = λ p_net(x) + (1 − λ) p_ngram(x),

with one λ in [0, 1] for the whole text, chosen on validation and scored on test. Both models are given
as the log-probabilities they assign to each character of a held-out part (:func:`rnn_lib.evaluation.heldout.
log_probs`, :func:`rnn_lib.evaluation.ngram.log_probs`), position for position. Its bits per character
are convex in λ, so a grid finds the best one; λ = 0 and 1 are the models alone, so on validation the
mixture is never worse than either.
"""

import numpy as np

from .heldout import LN2

GRID = np.linspace(0.0, 1.0, 101)


def bits(net, ngram, lam):
    """Bits per character of the mixture with weight ``lam`` on the network; ``net`` and ``ngram`` the
    log-probabilities (nats) of the same characters, arrays (n,)."""
    net, ngram = np.asarray(net, dtype=np.float64), np.asarray(ngram, dtype=np.float64)
    if net.shape != ngram.shape:
        raise ValueError(f"the two models score different characters ({net.shape} and {ngram.shape})")
    with np.errstate(divide="ignore"):  # log 0 = -inf: a model with no weight adds nothing
        mixed = np.logaddexp(np.log(lam) + net, np.log1p(-lam) + ngram)
    return float(-mixed.mean() / LN2)


def choose(net, ngram, grid=GRID):
    """The λ of ``grid`` with the fewest bits per character on these (validation) log-probabilities, refined
    to a hundredth of the grid's step around it."""
    best = min(grid, key=lambda lam: bits(net, ngram, lam))
    step = grid[1] - grid[0]
    fine = np.clip(np.linspace(best - step, best + step, 201), 0.0, 1.0)
    return float(min(fine, key=lambda lam: bits(net, ngram, lam)))


def figures(validation, test):
    """Choose λ on ``validation`` = (net, ngram) log-probabilities, score it on ``test``: a dict of λ and the
    bits per character of each model alone and of the mixture, on both parts."""
    lam = choose(*validation)
    out = {"lambda": lam}
    for part, (net, ngram) in (("validation", validation), ("test", test)):
        out[part] = {"network": bits(net, ngram, 1.0), "ngram": bits(net, ngram, 0.0), "mixture": bits(net, ngram, lam)}
    return out
