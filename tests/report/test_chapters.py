"""The report's result-dependent sentences are computed, and say what the numbers say."""

import math

import numpy as np

from rnn_lib.report import sentences
from rnn_lib.report.chapters import beyond, gradient_check, sample_evolution, synthesis, training


def test_corpus_paragraph_uses_the_sequence_length():
    text = gradient_check.corpus_paragraph({"corpus": "x.txt", "characters": 1234, "K": 7}, 49, 25)
    assert "**x\\.txt**" in text and "1,234 characters" in text and "chunks of 25" in text and "49 updates" in text


def test_corpus_paragraph_escapes_the_corpus_name():
    # the user's file name: its * _ $ | \ must not turn into emphasis, math, a table or TeX
    text = gradient_check.corpus_paragraph({"corpus": "*a* _b_ $5 | \\x's.txt", "characters": 1, "K": 1}, 1, 25)
    assert "**\\*a\\* \\_b\\_ \\$5 \\| \\\\x\\'s\\.txt**:" in text


def test_gradcheck_paragraph_names_the_worst_parameter():
    row = {"max_rel": 1e-7, "mean_rel": 1e-9, "norm_rel": 1e-8, "max_abs": 1e-10}
    full = {"b": row, "W": {**row, "max_rel": 3e-6}}
    text = gradient_check.gradcheck_paragraph({"b": row}, full, 2e-15)
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
    two = training.training_paragraph(_summary(3), history, 104.4)
    assert "It is 50.0 at the end of the first epoch and 30.0 after 3" in two
    assert "($25 \\ln 65$)" in two and "1.600 nats, or 2.31 bits" in two
    one = training.training_paragraph(_summary(0.5), history[:5], 104.4)
    assert "first epoch" not in one


def test_evolution_paragraph_follows_the_numbers():
    text = sample_evolution.evolution_paragraph([0, 10, 20, 30], [0.0, 0.5, 0.8, 0.7], 200)
    assert "step 0, 0% are words" in text and "step 30, 70%" in text and "the most, 80%, at step 20" in text
    assert "from 70% to 80% and no longer rises with every sample: with 200 characters" in text
    rising = sample_evolution.evolution_paragraph([0, 10, 20, 30], [0.0, 0.5, 0.6, 0.7], 200)
    assert "the most" not in rising and "rises with every sample: the spelling was still improving" in rising
    assert "too few words" in sample_evolution.evolution_paragraph([0, 10], [math.nan, math.nan], 200)


def test_temperature_paragraph_states_the_measured_direction():
    expected = synthesis.temperature_paragraph([(0.5, 0.9, 0.3), (1.3, 0.4, 0.05)], 1000)
    assert "more real words and more repetition" in expected
    surprising = synthesis.temperature_paragraph([(0.5, 0.3, 0.01), (1.3, 0.4, 0.05)], 1000)
    assert "fewer real words and less repetition" in surprising


def test_ngram_paragraph_verdict_beyond_the_spread():
    worse = beyond.ngram_paragraph(6, 1.0, 7, 2.2, 10, [2.9, 2.95, 2.85], 5)
    assert "not as good as that baseline, by more than the spread" in worse and "too rarely" in worse
    better = beyond.ngram_paragraph(7, 0.8, 7, 2.9, 10, [2.2, 2.25, 2.15], 5)
    assert "better than that baseline by more than the spread" in better and "too rarely" not in better
    assert "0.8 times the estimated discounts" in better
    tie = beyond.ngram_paragraph(7, 1.0, 7, 2.5, 10, [2.4, 2.6, 2.5], 5)
    assert "as good as that baseline, as far as its seeds can tell" in tie and "2.500 ± 0.100" in tie


def test_heldout_paragraph_gives_mean_and_spread_of_the_chosen_checkpoints():
    rows = [(4000, 1, 2.0, 2.1), (3000, 1, 2.0, 2.1)]
    text = beyond.heldout_paragraph({"validation": [2.9, 3.1], "test": [3.0, 3.2]}, rows)
    assert "lowest between steps 3,000 and 4,000, at 3.000 ± 0.141" in text and "**3.100 ± 0.141" in text
    assert "lowest at step 4,000" in beyond.heldout_paragraph({"validation": [3.0], "test": [3.1]}, rows[:1])


def test_ordering_states_only_what_the_seeds_can_tell():
    tiers = sentences.ordering(
        {"Adam": [2.69, 2.7, 2.68], "RMSProp": [2.93, 2.95, 2.91], "AdaGrad": [2.95, 2.97, 2.93]}
    )
    assert tiers.startswith("By test loss, Adam comes first, then RMSProp and AdaGrad (which the runs cannot tell")
    assert sentences.ordering({"a": [1.0, 1.1], "b": [1.05, 1.1]}).startswith("The runs cannot tell a and b apart")
    assert "a comes first, then b, then c;" in sentences.ordering({"a": [1, 1.01], "b": [2, 2.01], "c": [3, 3.01]})


def test_spread_and_split_paragraphs():
    text = training.spread_paragraph(44.6, [44.6, 45.0, 45.4], [0, 1, 2])
    assert "**45.00 ± 0.40**" in text and "range 44.60 to 45.40" in text and "seed 0, reached 44.60" in text
    assert "differ by 0.80 by chance alone" in text
    split = beyond.split_paragraph(800, 100, 100, 3)
    assert "first 800 characters (80%)" in split and "last 100 (10%)" in split and "with 3 seeds" in split


def test_copying_paragraph_claims_colder_copies_more_only_when_it_does():
    labels = {"T = 0.5": 0.5, "T = 1.3": 0.1, "validation text": 0.6, "test text": 0.55, "T = 0.8": 0.3}
    text = beyond.copying_paragraph(labels, "T = 0.8", "Adam")
    assert "Colder sampling copies more" in text and "closest to the validation text is **T = 0.8**, at 30%" in text
    assert "Colder" not in beyond.copying_paragraph({**labels, "T = 0.5": 0.05}, "T = 0.8", "Adam")


def test_units_paragraph_threshold_on_test():
    found = {"line break": (3, -0.6), "position in word": (7, 0.45), "quotes": (1, 0.1)}
    strong = beyond.units_paragraph(found, {"line break": -0.55, "position in word": 0.41, "quotes": 0.12})
    assert "tracks *line break* (unit 3, $r$ = -0.55)" in strong
    assert "tracks line break, position in word:" in strong
    weak = beyond.units_paragraph({"line break": (3, 0.2)}, {"line break": 0.1})
    assert "none reaches" in weak


def test_guesses_paragraph_says_how_close_the_misses_are():
    near = beyond.guesses_paragraph(144, 2.31, 2.30, 7, "line break", 0.5, 0.9)
    assert "144 characters" in near and "(2.31 bits per character)" in near and "(2.30)" in near
    assert "unit 7" in near and "*line break*" in near and "50% of the time" in near and "90% of the time" in near
    assert "near misses" in near
    assert "mostly not among" in beyond.guesses_paragraph(144, 2.31, 2.30, 7, "line break", 0.5, 0.6)
    assert beyond.clearest({"a": 0.2, "b": -0.5, "c": 0.4}) == "b"


def _run(seed, best_step, best=40.0, per_epoch=10_000, seq=25, characters=250_026, steps=100_000):
    return {"config": {"seed": seed}, "best_step": best_step, "best_smooth_loss": best, "updates_per_epoch": per_epoch,
            "seq_length": seq, "characters": characters, "steps": steps, "epochs": steps / per_epoch}  # fmt: skip


def test_where_the_best_smooth_loss_is_reached():
    # update 9,899 of epoch 10 reads the chunk that ends at 9,900 * 25; the 1,000 chunks before it start 25,000 earlier
    assert training.best_place(_run(0, 99_899)) == (10, 222_500, 247_500)
    assert training.best_place(_run(0, 20_000)) == (3, 0, 25)  # the first chunk of epoch 3
    summaries = [_run(0, 99_899), _run(1, 88_950, 41.0), _run(2, 99_890, 42.0)]  # 8,950: 949 updates earlier
    text = training.best_place_paragraph(summaries)
    assert "at update 99,899 of 100,000, in epoch 10" in text and "99.0% of the way" in text
    assert "characters 222,500 to 247,500" in text and "All 3 runs reach their best at that same passage" in text
    summaries[2] = _run(2, 97_000)
    assert "2 of the 3 runs reach their best at that same passage" in training.best_place_paragraph(summaries)
    summaries[1] = _run(1, 48_500)
    assert "The other 2 runs reach their best elsewhere" in training.best_place_paragraph(summaries)
    assert "| 0 | 40.00 | 99,899 | 10 | 99.0% |" in training.best_place_table(summaries)
    label, passage = training.best_passage(_run(0, 99_899), "x" * 247_000 + "y" * 500 + "z" * 2_000)
    assert passage == "y" * 300 and label.endswith("characters 247,200 to 247,500")


def test_the_two_ways_of_measuring_are_compared_by_their_numbers():
    windows = {"updates 1 to 1,000": (np.full(1000, 80.0), np.full(1000, 74.0)),
               "the 1,000 updates after the last (10,000)": (np.full(1000, 45.0), np.full(1000, 44.5))}  # fmt: skip
    text = training.after_update_paragraph(windows, 44.0)
    assert "reads 6.0 nats lower over updates 1 to 1,000" in text and "0.5 nats lower over the 1,000" in text
    assert "the gap shrinks" in text and "near 43.5 where this chapter reports 44.00" in text
    assert "| updates 1 to 1,000 | 80.00 | 74.00 | +6.00 |" in training.after_update_table(windows)
    windows["the 1,000 updates after the last (10,000)"] = (np.full(1000, 45.0), np.full(1000, 52.0))
    text = training.after_update_paragraph(windows, 44.0)
    assert "7.0 nats higher over the 1,000" in text and "does not shrink" in text
