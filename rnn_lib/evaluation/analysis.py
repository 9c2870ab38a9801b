"""What the network writes and what it has learnt: copying versus novelty, and hidden units
that track something a reader can name."""

import re

import numpy as np

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def ngram_codes(ids, n, K):
    """Every n-gram of ``ids`` as one integer (base-K digits): int64 array (len(ids) - n + 1,).

    Needs K**n < 2**63 (K = 80 allows n <= 9).
    """
    if K**n >= 2**63:
        raise ValueError(f"{n}-grams over {K} characters do not fit in 64 bits")
    ids = np.asarray(ids, dtype=np.int64)
    codes = np.zeros(max(len(ids) - n + 1, 0), dtype=np.int64)
    for j in range(n):
        codes = codes * K + ids[j : len(ids) - n + 1 + j]
    return codes


def copied_fraction(generated_ids, training_codes, n, K):
    """Share of the n-grams of a generated text that occur somewhere in the training text.

    ``training_codes`` is ``np.unique(ngram_codes(training_ids, n, K))``.
    """
    codes = ngram_codes(generated_ids, n, K)
    if not len(codes):
        return float("nan")
    where = np.searchsorted(training_codes, codes).clip(max=len(training_codes) - 1)
    return float(np.mean(training_codes[where] == codes))


def known_word_fraction(text, training_words):
    """Share of the words of ``text`` that are words of the training text (a set)."""
    words = WORD.findall(text)
    return float(np.mean([w in training_words for w in words])) if words else float("nan")


def words(text):
    """The set of words of a text."""
    return set(WORD.findall(text))


def text_features(text):
    """Named per-character features of ``text``, each an array (len(text),), true *after* reading that character.

    position in line: characters since the last line break; position in word: letters since the
    last non-letter; line break: the character is a line break; capitals line: the line so far is
    letters in capitals (Shakespeare's speaker names); inside quotes: between an opening and a
    closing double quotation mark (only for a text that has them).
    """
    n = len(text)
    feats = {name: np.zeros(n) for name in ("position in line", "position in word", "line break", "capitals line")}
    has_quotes = text.count('"') >= 10
    if has_quotes:
        feats["inside quotes"] = np.zeros(n)
    line_pos = word_pos = 0
    capitals = quoted = False
    for i, ch in enumerate(text):
        if ch == "\n":
            line_pos, capitals = 0, False
        else:
            line_pos += 1
            if ch.isalpha():
                capitals = (line_pos == 1 or capitals) and ch.isupper()
            elif line_pos == 1:
                capitals = False
        word_pos = word_pos + 1 if ch.isalpha() else 0
        quoted = quoted != (ch == '"')
        feats["position in line"][i] = line_pos
        feats["position in word"][i] = word_pos
        feats["line break"][i] = ch == "\n"
        feats["capitals line"][i] = capitals
        if has_quotes:
            feats["inside quotes"][i] = quoted
    return feats


def correlations(activations, feature):
    """Pearson correlation of every hidden unit (columns of ``activations``, (T, m)) with ``feature`` (T,)."""
    a = activations - activations.mean(axis=0)
    f = feature - feature.mean()
    denominator = np.sqrt((a**2).sum(axis=0) * (f**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, a.T @ f / denominator, 0.0)


def best_units(activations, features):
    """For each feature, the unit whose activation correlates most strongly with it:
    ``{feature: (unit, r)}``."""
    out = {}
    for name, feature in features.items():
        r = correlations(activations, feature)
        unit = int(np.argmax(np.abs(r)))
        out[name] = (unit, float(r[unit]))
    return out


def repeated_fraction(text, n):
    """Share of the n-character strings of ``text`` that already occurred earlier in it (looping)."""
    grams = [text[i : i + n] for i in range(len(text) - n + 1)]
    return 1.0 - len(set(grams)) / len(grams) if grams else float("nan")


def units_by_feature(found):
    """``{unit: [label, ...]}`` from :func:`best_units`' ``{feature: (unit, r)}``: one entry per unit."""
    units = {}
    for name, (unit, r) in found.items():
        units.setdefault(unit, []).append(f"{name} (r = {r:+.2f})")
    return units


def writing_measures(text, corpus_words, n=10):
    """``(share of words that are words of the corpus, share of n-grams repeated from earlier in the text)``."""
    return known_word_fraction(text, corpus_words), repeated_fraction(text, n)


def unit_correlations(activations, features, found):
    """The correlation, in other ``activations`` (T, m) and ``features``, of each unit chosen in ``found``
    (:func:`best_units`): ``{feature: r}``, for the features both have."""
    return {name: float(correlations(activations, features[name])[unit]) for name, (unit, _) in found.items()
            if name in features}  # fmt: skip
