"""Scoring, above ``nets``: held-out loss in bits per character (``heldout``), the Kneser–Ney n-gram
baseline (``ngram``), what the network writes and which units track what (``analysis``), and the spread
over seeds with the orderings it allows (``stats``)."""
