"""The bonus exercise end to end: a tweet archive's export trains, resumes, samples; chapter 6's sentences."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from rnn_lib.report import compare, runs
from rnn_lib.report.chapters import short_texts
from rnn_lib.training.settings import Config

WORDS = "make america great again fake news the people tremendous sad big win deal jobs border wall".split()


def test_plans_compare_two_chunk_lengths_for_the_same_epochs(tmp_path):
    plan = runs.short_text_runs(run_dir=tmp_path, texts_seeds=2, texts_epochs=3.0, texts_stages=(0, 1_000, 5_000))
    assert sorted(plan) == ["seq-141/seed-0", "seq-141/seed-1", "seq-25/seed-0", "seq-25/seed-1"]
    configs = [config for config, _ in plan.values()]
    assert {c.seq_length for c in configs} == {25, 141} and {c.epochs for c in configs} == {3.0}
    assert all(c.documents == "auto" and c.too_long == "skip" and c.sample_every == 1_000 for c in configs)
    assert plan["seq-25/seed-1"][1] == tmp_path / "short-texts" / "seq-25" / "seed-1"


def _result(seq_length, seed, validation_bits, test_bits, seconds=10.0):
    nats = [(0, 0.0, 5.0, 5.0), (100, 1.0, validation_bits * math.log(2), test_bits * math.log(2))]
    summary = {"epochs": 1.0, "seconds": seconds, "updates_per_epoch": 100}
    return SimpleNamespace(validation=np.array(nats), summary=summary, config=Config(seq_length=seq_length, seed=seed))


def test_chunk_length_findings_state_an_ordering_only_beyond_the_spread():
    groups = {25: [_result(25, 0, 3.0, 3.1), _result(25, 1, 3.02, 3.12)],
              141: [_result(141, 0, 2.9, 2.95), _result(141, 1, 2.92, 2.97)]}  # fmt: skip
    table = short_texts.chunk_length_table(groups)
    assert "3.010 ± 0.014" in table and "3.110 ± 0.014" in table and "| 141 | 100 | 10 s |" in table
    assert "`seq_length` = 141 comes first" in short_texts.chunk_length_paragraph(groups)
    groups[141][1] = _result(141, 1, 3.3, 3.4)
    assert "cannot tell" in short_texts.chunk_length_paragraph(groups)
    epochs, mean, sd = compare.band(groups[25], x=1)
    assert epochs.tolist() == [0.0, 1.0] and mean[1] == pytest.approx(3.01)


def test_the_sentences_of_chapter_6():
    stats = {"corpus": "tweets_2018.json", "K": 70,
             "documents": {"read": 10, "kept": 7, "empty": 1, "cut": 0, "skipped": 2, "format": "json"}}  # fmt: skip
    parts = {"training": np.array([10, 20, 30, 40, 50]), "validation": np.array([60]), "test": np.array([5])}
    text = short_texts.corpus_paragraph(stats, 140, "skip", parts)
    assert "tweets\\_2018\\.json" in text and "a JSON list of records" in text and "10 documents" in text
    assert "2 longer than 140 characters are left out; 1 empty ones are dropped" in text
    assert "7 documents of 215 characters: 31 on average, median 30, shortest 5, longest 60" in text
    assert "5 documents for training, 1 documents for validation, 1 documents for test" in text
    assert "40% of the training documents fit" in short_texts.chunking_sentence(parts["training"], 25, 12)
    written = [("a" * 10, True), ("b" * 140, False), ("c" * 20, True), ("d" * 30, True)]
    text = short_texts.lengths_paragraph(parts["training"], written, 140)
    assert "**3 (75%) ended by themselves** and 1 were stopped at the limit of 140" in text
    assert "50 characters long on average (median 25); the training documents 30 (median 30)" in text


def test_samples_at_the_stages():
    samples = [{"step": s, "texts": ["x"], "ended": [True]} for s in (0, 1000, 2000, 3000)]
    assert [s["step"] for s in short_texts.at_stages(samples, (0, 1000, 5000))] == [0, 1000]
    assert short_texts.stage_label(0, [True, False]) == "Before training: 1 of 2 texts ended by themselves"
    assert short_texts.stage_label(5000, [True]) == "After 5,000 updates: 1 of 1 texts ended by themselves"
