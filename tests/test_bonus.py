"""The bonus exercise end to end: a tweet archive's export trains, resumes, samples; chapter 6's sentences."""

import csv
import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from rnn_lib import bonus, plans, runs
from rnn_lib.__main__ import main
from rnn_lib.config import Config
from rnn_lib.train import train

WORDS = "make america great again fake news the people tremendous sad big win deal jobs border wall".split()


def _tweets(n=120, seed=0):
    """Tweet-like texts of 2 to 20 words, with the entities and newlines of a real export."""
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(WORDS, rng.integers(2, 20))) for _ in range(n)]
    return [t.replace("deal", "deal &amp; more", 1).replace("jobs ", "jobs\n", 1) for t in texts]


@pytest.fixture
def archive(tmp_path):
    """The shape of the Trump Twitter Archive's JSON export: a list of records with a text field."""
    path = tmp_path / "tweets.json"
    records = [{"source": "Twitter for iPhone", "text": t, "created_at": "Mon Jan 01 10:00:00 +0000 2018",
                "retweet_count": 1, "id_str": str(k)} for k, t in enumerate(_tweets())]  # fmt: skip
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


@pytest.fixture
def archive_csv(tmp_path):
    path = tmp_path / "tweets.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "date"])
        writer.writerows((k, t, "2018-01-01") for k, t in enumerate(_tweets()))
    return path


def _config(corpus, **settings):
    defaults = dict(documents="auto", m=16, steps=600, sample_every=200, eval_every=200, checkpoint_every=100,
                    validation=0.1, test=0.1, engine="numpy")  # fmt: skip
    return Config(corpus=str(corpus), **{**defaults, **settings})


@pytest.mark.parametrize("fixture", ["archive", "archive_csv"])
def test_a_tweet_archive_trains_and_writes_whole_texts(request, tmp_path, fixture):
    r = train(_config(request.getfixturevalue(fixture), sample_texts=4), tmp_path / "run", progress=False)
    assert r.stats["documents"]["format"] == {"archive": "json", "archive_csv": "csv"}[fixture]
    assert r.stats["documents"]["kept"] == 120 and "&amp;" not in "".join(r.vocab)
    assert [s["step"] for s in r.samples] == [0, 200, 400, 600]
    assert all(len(s["texts"]) == len(s["ended"]) == 4 and all(len(t) <= 140 for t in s["texts"]) for s in r.samples)
    assert r.validation[:, 0].tolist() == [0, 200, 400, 600]
    assert r.validation[-1, 2] < r.validation[0, 2]  # it learns
    assert r.summary["updates_per_epoch"] < 600  # several epochs: the wrap-around is exercised


def test_a_documents_run_resumes_exactly(archive, tmp_path):
    whole = train(_config(archive), tmp_path / "whole", progress=False)
    train(_config(archive, steps=250), tmp_path / "parts", progress=False)
    resumed = train(_config(archive), tmp_path / "parts", progress=False)
    assert np.array_equal(resumed.history, whole.history)
    for a, b in zip(resumed.state.params, whole.state.params):
        assert np.array_equal(a, b)
    assert resumed.samples == whole.samples


def test_a_run_refuses_other_document_settings(archive, tmp_path):
    train(_config(archive, steps=100), tmp_path / "run", progress=False)
    with pytest.raises(ValueError, match="other settings \\(limit, too_long\\)"):
        train(_config(archive, limit=100, too_long="skip"), tmp_path / "run", progress=False)


def test_cli_trains_on_documents_and_samples_separate_texts(archive, tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train", "--corpus", str(archive), "--documents", "json", "--m", "16", "--steps", "300", "--quiet",
            "--out", str(out), "--engine", "numpy"]  # fmt: skip
    assert main(argv) == 0
    assert "tweets.json read as json: 120 documents kept of 120 (0 empty dropped" in capsys.readouterr().out
    assert json.loads((out / "summary.json").read_text())["documents"]["kept"] == 120
    assert main(["sample", "--run", str(out), "--texts", "3", "--limit", "30"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("--- text ") == 3 and "characters, " in printed
    assert printed.strip().splitlines()[-1].endswith("hit the limit of 30")


def test_cli_refuses_a_bad_archive_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"text": "not a list"}', encoding="utf-8")
    assert (
        main(["train", "--corpus", str(bad), "--documents", "auto", "--steps", "5", "--out", str(tmp_path / "r")]) == 2
    )
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "not a list" in err


def test_plans_compare_two_chunk_lengths_for_the_same_epochs(tmp_path):
    plan = plans.short_text_runs(run_dir=tmp_path, texts_seeds=2, texts_epochs=3.0, texts_stages=(0, 1_000, 5_000))
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
    table = bonus.chunk_length_table(groups)
    assert "3.010 ± 0.014" in table and "3.110 ± 0.014" in table and "| 141 | 100 | 10 s |" in table
    assert "`seq_length` = 141 comes first" in bonus.chunk_length_paragraph(groups)
    groups[141][1] = _result(141, 1, 3.3, 3.4)
    assert "cannot tell" in bonus.chunk_length_paragraph(groups)
    epochs, mean, sd = bonus.by_epoch(groups[25])
    assert epochs.tolist() == [0.0, 1.0] and mean[1] == pytest.approx(3.01)


def test_the_sentences_of_chapter_6():
    stats = {"corpus": "tweets_2018.json", "K": 70,
             "documents": {"read": 10, "kept": 7, "empty": 1, "cut": 0, "skipped": 2, "format": "json"}}  # fmt: skip
    parts = {"training": np.array([10, 20, 30, 40, 50]), "validation": np.array([60]), "test": np.array([5])}
    text = bonus.corpus_paragraph(stats, 140, "skip", parts)
    assert "tweets\\_2018\\.json" in text and "a JSON list of records" in text and "10 documents" in text
    assert "2 longer than 140 characters are left out; 1 empty ones are dropped" in text
    assert "7 documents of 215 characters: 31 on average, median 30, shortest 5, longest 60" in text
    assert "5 documents for training, 1 documents for validation, 1 documents for test" in text
    assert "40% of the training documents fit" in bonus.chunking_sentence(parts["training"], 25, 12)
    written = [("a" * 10, True), ("b" * 140, False), ("c" * 20, True), ("d" * 30, True)]
    text = bonus.lengths_paragraph(parts["training"], written, 140)
    assert "**3 (75%) ended by themselves** and 1 were stopped at the limit of 140" in text
    assert "50 characters long on average (median 25); the training documents 30 (median 30)" in text


def test_samples_at_the_stages():
    samples = [{"step": s, "texts": ["x"], "ended": [True]} for s in (0, 1000, 2000, 3000)]
    assert [s["step"] for s in bonus.at_stages(samples, (0, 1000, 5000))] == [0, 1000]
    assert bonus.stage_label(0, [True, False]) == "Before training: 1 of 2 texts ended by themselves"
    assert bonus.stage_label(5000, [True]) == "After 5,000 updates: 1 of 1 texts ended by themselves"


def test_samples_json_round_trips_texts(archive, tmp_path):
    r = train(_config(archive, steps=200), tmp_path / "run", progress=False)
    assert runs.read_samples(r.run_dir) == r.samples
