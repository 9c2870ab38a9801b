"""Wording that several chapters share: percentages, lists of names, and orderings
claimed only where they are larger than the spread over seeds.
"""

from ..evaluation import stats


def percent(x):
    return f"{x:.0%}"


def joined(names):
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def ordering(results, what="test loss"):
    """Which settings are better, as far as the seeds can tell: ``results`` = {name: [values, lower is better]}."""
    tiers = {}
    for name, tier in stats.ranking(results):
        tiers.setdefault(tier, []).append(name)
    if len(tiers) == 1:
        return f"The runs cannot tell {joined(results)} apart by {what}: their differences are within the spread."
    parts = []
    for names in tiers.values():
        group = joined(names)
        parts.append(group + (" (which the runs cannot tell apart)" if len(names) > 1 else ""))
    first = "come" if len(tiers[0]) > 1 else "comes"
    return (f"By {what}, {parts[0]} {first} first, then {', then '.join(parts[1:])}; each step is larger than the "
            f"spread of the seeds.")  # fmt: skip
