"""The report's result-dependent sentences are computed, and say what the numbers say."""

import math

import numpy as np

from rnn_lib import prose


def test_corpus_paragraph_uses_the_sequence_length():
    text = prose.corpus_paragraph({"corpus": "x.txt", "characters": 1234, "K": 7}, 49, 25)
    assert "**x.txt**" in text and "1,234 characters" in text and "chunks of 25" in text and "49 updates" in text


def test_gradcheck_paragraph_names_the_worst_parameter():
    row = {"max_rel": 1e-7, "mean_rel": 1e-9, "norm_rel": 1e-8, "max_abs": 1e-10}
    full = {"b": row, "W": {**row, "max_rel": 3e-6}}
    text = prose.gradcheck_paragraph({"b": row}, full, 2e-15)
    assert "3.0e-06 in $W$" in text and "to 2e-15" in text


def _summary(epochs, best=40.0):
    return {
        "updates_per_epoch": 100,
        "seq_length": 25,
        "K": 65,
        "epochs": epochs,
        "best_smooth_loss": best,
        "best_step": 150,
    }


def test_training_paragraph_describes_epochs_only_when_there_are_two():
    history = np.array([[s, s / 100, 50.0, 60.0 - s / 10] for s in range(10, 301, 10)])
    two = prose.training_paragraph(_summary(3), history, 104.4)
    assert "It is 50.0 at the end of the first epoch and 30.0 after 3" in two
    assert "($25 \\ln 65$)" in two and "1.600 nats, or 2.31 bits" in two
    one = prose.training_paragraph(_summary(0.5), history[:5], 104.4)
    assert "first epoch" not in one


def test_evolution_paragraph_follows_the_numbers():
    text = prose.evolution_paragraph([0, 10, 20, 30], [0.0, 0.5, 0.8, 0.7], 200)
    assert "step 0, 0% are words" in text and "step 30, 70%" in text and "the most, 80%, at step 20" in text
    assert "from 70% to 80% and no longer rises with every sample: with 200 characters" in text
    rising = prose.evolution_paragraph([0, 10, 20, 30], [0.0, 0.5, 0.6, 0.7], 200)
    assert "the most" not in rising and "rises with every sample: the spelling was still improving" in rising
    assert "too few words" in prose.evolution_paragraph([0, 10], [math.nan, math.nan], 200)


def test_temperature_paragraph_states_the_measured_direction():
    expected = prose.temperature_paragraph([(0.5, 0.9, 0.3), (1.3, 0.4, 0.05)], 1000)
    assert "more real words and more repetition" in expected
    surprising = prose.temperature_paragraph([(0.5, 0.3, 0.01), (1.3, 0.4, 0.05)], 1000)
    assert "fewer real words and less repetition" in surprising


def test_ngram_paragraph_verdict():
    assert "not as good as" in prose.ngram_paragraph(6, 7, 2.2, 10, 2.9, 5)
    better = prose.ngram_paragraph(7, 7, 2.9, 10, 2.2, 5)
    assert "is better than" in better and "too rarely" not in better


def test_capacity_paragraph_orders_what_was_measured():
    ordered = prose.capacity_paragraph(
        4000, {"AdaGrad": 3.0, "Adam": 2.7, "RMSProp": 2.9}, "Adam", {50: 2.9, 100: 2.8, 200: 2.7}
    )
    assert "Adam reaches the lowest held-out loss, then RMSProp and AdaGrad" in ordered
    assert "Each doubling of $m$ buys a better model" in ordered
    assert "m$ = 50, 100 and 200 reaches 2.900, 2.800 and 2.700" in ordered
    unordered = prose.capacity_paragraph(4000, {"A": 3.0, "B": 2.7}, "B", {50: 2.8, 100: 2.7, 200: 2.75})
    assert "do not line up in order" in unordered and "B reaches the lowest held-out loss, then A." in unordered


def test_copying_paragraph_claims_colder_copies_more_only_when_it_does():
    labels = {"T = 0.5": 0.5, "T = 1.3": 0.1, "held-out text": 0.6}
    assert "Colder sampling copies more" in prose.copying_paragraph(labels)
    assert "Colder" not in prose.copying_paragraph({**labels, "T = 0.5": 0.05})


def test_units_paragraph_threshold():
    strong = prose.units_paragraph({"line break": (3, -0.6), "position in word": (7, 0.45), "quotes": (1, 0.1)})
    assert "tracks *line break* (unit 3, $r$ = -0.60)" in strong
    assert "tracks line break, position in word:" in strong
    weak = prose.units_paragraph({"line break": (3, 0.2)})
    assert "none exceeds" in weak
