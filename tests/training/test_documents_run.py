"""The bonus exercise end to end: a tweet archive's export trains, resumes, samples; chapter 6's sentences."""

import csv
import json

import numpy as np
import pytest

from rnn_lib.__main__ import main
from rnn_lib.training import run_folder
from rnn_lib.training.loop import train
from rnn_lib.training.settings import Config

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


def test_samples_json_round_trips_texts(archive, tmp_path):
    r = train(_config(archive, steps=200), tmp_path / "run", progress=False)
    assert run_folder.read_samples(r.run_dir) == r.samples
