"""A count-based baseline: character n-gram models with interpolated Kneser–Ney smoothing.

For the highest order N the counts are the raw counts c(h w); every lower order uses
continuation counts N1+(• h w), the number of distinct characters seen before ``h w``
(Chen & Goodman 1998). With one absolute discount D_n per order,

    P_n(w | h) = max(c_n(h w) - D_n, 0) / c_n(h •)  +  D_n N1+(h •) / c_n(h •) · P_{n-1}(w | h')

where h' drops the oldest character of h, and P_0 is uniform over the K characters of the
vocabulary. A context never seen backs off to P_{n-1} entirely.
"""

import math
from collections import Counter


def ngram_counts(text, max_order):
    """Raw counts ``{n: Counter of n-character strings}`` for n = 1 .. max_order."""
    return {n: Counter(text[i : i + n] for i in range(len(text) - n + 1)) for n in range(1, max_order + 1)}


def _continuation(counts_above):
    """N1+(• g): for every g, how many distinct characters precede it."""
    cont = Counter()
    for gram in counts_above:
        cont[gram[1:]] += 1
    return cont


def _table(counts, scale=1.0):
    """Per order: the counts, per-context totals and types, and the discount (the estimate times ``scale``)."""
    totals, types = Counter(), Counter()
    for gram, count in counts.items():
        totals[gram[:-1]] += count
        types[gram[:-1]] += 1
    n1 = sum(1 for c in counts.values() if c == 1)
    n2 = sum(1 for c in counts.values() if c == 2)
    discount = min(1.0, scale * (n1 / (n1 + 2 * n2) if n1 + n2 else 0.5))
    return {"counts": counts, "totals": totals, "types": types, "discount": discount}


def fit(text, max_order, K=None, raw=None, scale=1.0):
    """An interpolated Kneser–Ney model of order ``max_order`` (context of max_order - 1 characters).

    ``K`` is the vocabulary size of the uniform base distribution (default: the characters of
    ``text``); ``raw`` reuses :func:`ngram_counts` of ``text`` (at least up to ``max_order``);
    every discount is ``scale`` times the estimate n1 / (n1 + 2 n2).
    """
    if max_order < 1:
        raise ValueError(f"the order of an n-gram model must be >= 1 (got {max_order})")
    raw = raw or ngram_counts(text, max_order)
    tables = [_table(_continuation(raw[n + 1]), scale) for n in range(1, max_order)]
    tables.append(_table(raw[max_order], scale))
    return {"order": max_order, "K": K or len(set(text)), "tables": tables}


def size(model):
    """Number of stored n-grams (counts) of the model."""
    return sum(len(t["counts"]) for t in model["tables"])


def probability(model, history, char):
    """P(char | the last order-1 characters of history)."""
    p = 1.0 / model["K"]
    for n, table in enumerate(model["tables"], start=1):  # from unigrams up, each interpolates the one below
        context = history[len(history) - n + 1 :] if n > 1 else ""
        if n > 1 and len(context) < n - 1:
            break
        total = table["totals"].get(context, 0)
        if total:
            d = table["discount"]
            p = (max(table["counts"].get(context + char, 0) - d, 0.0) + d * table["types"][context] * p) / total
    return p


def cross_entropy(model, text, start=1):
    """Mean -ln P of the characters ``text[start:]``, each given the characters before it (nats/char)."""
    span = model["order"] - 1
    total = 0.0
    for i in range(start, len(text)):
        total -= math.log(probability(model, text[max(0, i - span) : i], text[i]))
    return total / (len(text) - start)


def log_probs(model, text, start=1):
    """ln P of each character of ``text[start:]`` given the characters before it: a list, as
    :func:`cross_entropy` scores them."""
    span = model["order"] - 1
    return [math.log(probability(model, text[max(0, i - span) : i], text[i])) for i in range(start, len(text))]


def choose(train_text, validation_text, K, max_order, scales=(0.8, 1.0, 1.2)):
    """Choose the order, then the discount scale, on validation text.

    Returns ``(rows, best)``: rows (order, scale, validation nats per character, size) of every
    model tried, and the chosen one's row. The orders are tried with the estimated discounts,
    then the other ``scales`` with the best order.
    """
    raw = ngram_counts(train_text, max_order)

    def row(order, scale):
        model = fit(train_text, order, K=K, raw=raw, scale=scale)
        return order, scale, cross_entropy(model, validation_text), size(model)

    rows = [row(order, 1.0) for order in range(1, max_order + 1)]
    order = min(rows, key=lambda r: r[2])[0]
    rows += [row(order, scale) for scale in scales if scale != 1.0]
    return rows, min(rows, key=lambda r: r[2])
