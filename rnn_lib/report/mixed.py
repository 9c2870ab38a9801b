"""Chapter 7, beyond both models: the wide LSTM and chapter 5's n-gram mixed character by character
(:mod:`rnn_lib.evaluation.mixture`), with λ chosen on validation and scored once on test, for each seed."""

import math
from pathlib import Path

import numpy as np

from ..evaluation import heldout, mixture, ngram, stats
from ..training import checkpoint
from .compare import chosen, held_out

PARTS = ("validation", "test")


def ngram_log_probs(texts, K, order, scale):
    """The log-probabilities of the validation and test characters under the n-gram chosen in chapter 5."""
    model = ngram.fit(texts["train"], order, K=K, scale=scale)
    return {part: np.array(ngram.log_probs(model, texts[part])) for part in PARTS}


def network_log_probs(result, ids):
    """The log-probabilities of the validation and test characters under the run's model chosen on validation:
    its last parameters, or those it kept in ``chosen.npz``; None when the run kept neither (one trained before
    runs kept ``chosen.npz``, say)."""
    if not len(result.validation):
        return None
    step, params = int(chosen(result, math.inf)[0]), result.state.params
    if step != result.state.step:
        path = Path(result.run_dir) / "chosen.npz"
        params, info = checkpoint.load(path, result.vocab) if path.is_file() else (None, None)
        if info is None or info["step"] != step:
            return None
    return {part: heldout.log_probs(params, ids[part], network=result.config.model) for part in PARTS}


def figures(results, ngram_figures, corpus=None, encoding="utf-8"):
    """Each seed's mixture (:func:`rnn_lib.evaluation.mixture.figures`) of its chosen model with the n-gram that
    ``ngram_figures`` (chapter 5's, :func:`rnn_lib.report.compare.fit_ngram`) describes; seeds whose chosen model
    is not their last are left out. Returns ``{"seeds": [figures], "runs": n, "test": {model: spread}}``: the spread
    (:func:`rnn_lib.evaluation.stats.spread`) over seeds of the test bits of the network, the n-gram and the
    mixture, or None when no seed is left."""
    ids, texts, K = held_out(corpus, encoding)
    gram = ngram_log_probs(texts, K, ngram_figures["order"], ngram_figures["scale"])
    seeds = []
    for result in results:
        net = network_log_probs(result, ids)
        if net is not None:
            seeds.append(mixture.figures(*((net[part], gram[part]) for part in PARTS)))
    test = (
        {name: stats.spread([s["test"][name] for s in seeds]) for name in ("network", "ngram", "mixture")}
        if seeds
        else None
    )
    return {"seeds": seeds, "runs": len(results), "test": test}
