"""Several seeds of one setting: their spread, and whether two settings can be told apart."""

import math

import numpy as np


def spread(values):
    """``{"mean", "sd", "min", "max", "n"}`` of the results of several runs (sd with n - 1; 0 for one run)."""
    values = np.asarray(values, dtype=float)
    sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return {"mean": float(values.mean()), "sd": sd, "min": float(values.min()), "max": float(values.max()),
            "n": len(values)}  # fmt: skip


def mean_sd(values, digits=3):
    """``"2.931 ± 0.012"``: the mean and standard deviation of several runs, for a table."""
    s = spread(values)
    return f"{s['mean']:.{digits}f} ± {s['sd']:.{digits}f}"


def separated(a, b):
    """-1 if the runs ``a`` are lower than the runs ``b`` by more than their spread, +1 if higher, 0 if the
    runs cannot tell them apart.

    "More than their spread": the difference of the means exceeds the sum of the two standard
    deviations, so that the intervals mean ± sd do not overlap. With one run of each there is
    no spread to measure, and nothing can be told.
    """
    sa, sb = spread(a), spread(b)
    if min(sa["n"], sb["n"]) < 2:
        return 0
    difference = sa["mean"] - sb["mean"]
    if abs(difference) <= sa["sd"] + sb["sd"] or math.isnan(difference):
        return 0
    return -1 if difference < 0 else 1


def ranking(results):
    """Settings from lowest to highest mean, ``results`` = {name: values}; returns ``[(name, tier)]`` where
    names share a tier when neighbours cannot be told apart (:func:`separated`)."""
    names = sorted(results, key=lambda name: spread(results[name])["mean"])
    tiers, tier = [], 0
    for previous, name in zip([None, *names], names):
        if previous is not None and separated(results[previous], results[name]) == -1:
            tier += 1
        tiers.append((name, tier))
    return tiers


def versus(values, reference):
    """-1 if the runs ``values`` are lower than a ``reference`` without spread (a deterministic model) by
    more than their standard deviation, +1 if higher, 0 if the runs cannot tell."""
    s = spread(values)
    if s["n"] < 2 or abs(s["mean"] - reference) <= s["sd"]:
        return 0
    return -1 if s["mean"] < reference else 1


def band(curves):
    """``(mean, sd)`` over runs of curves measured at the same steps: ``curves`` (runs, steps)."""
    curves = np.asarray(curves, dtype=float)
    return curves.mean(axis=0), curves.std(axis=0, ddof=1) if len(curves) > 1 else np.zeros(curves.shape[1])
