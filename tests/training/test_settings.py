"""Every setting is declared once, in rnn_lib.training.settings (the report's in rnn_lib.report.parameters);
the CLI, the notebooks and the report read it there."""

import dataclasses
import os

import pytest

from rnn_lib.__main__ import parser
from rnn_lib.nets import optim
from rnn_lib.text import corpus
from rnn_lib.training import loop, options, pool, settings


def _options(command):
    sub = next(a for a in parser()._actions if a.dest == "command").choices[command]
    return {a.dest: a for a in sub._actions if a.option_strings}


@pytest.mark.parametrize(
    "command, settings",
    [
        ("train", settings.Config),
        ("gradcheck", settings.GradCheck),
        ("sample", settings.Sampling),
        ("bench", settings.Bench),
    ],
)
def test_every_setting_is_an_option_with_its_help(command, settings):
    options = _options(command)
    for f in dataclasses.fields(settings):
        option = options[f.name]
        assert option.option_strings == ["--" + f.name.replace("_", "-")]
        assert f.metadata["help"] in option.help and option.choices == f.metadata["choices"]


def test_options_not_given_keep_the_declared_defaults():
    args = parser().parse_args(["train"])
    assert settings.Config(**options.given(settings.Config, args)) == settings.Config()


def test_the_options_that_were_missing_are_there():
    args = parser().parse_args(
        [
            "train",
            "--clip",
            "3",
            "--checkpoint-every",
            "50",
            "--eval-every",
            "20",
            "--optimizer",
            "adam",
            "--eta",
            "0.01",
        ]
    )
    c = settings.Config(**options.given(settings.Config, args))
    assert (c.clip, c.checkpoint_every, c.eval_every, c.optimizer, c.eta) == (3.0, 50, 20, "adam", 0.01)
    assert _options("train")["optimizer"].choices == tuple(optim.DEFAULTS)


def _config(*argv):
    return settings.Config(**options.given(settings.Config, parser().parse_args(["train", *argv])))


def _spelled(value):
    """A setting's default as a user may type it: floats that are whole as ints (--clip 5), others as repr."""
    if isinstance(value, float) and value.is_integer():
        return [str(int(value))]
    return list(map(str, value)) if isinstance(value, tuple) else [str(value)]


@pytest.mark.parametrize("f", [f for f in dataclasses.fields(settings.Config) if f.default is not None], ids=str)
def test_every_setting_given_as_its_default_is_no_difference(f):
    given = _config(options.option(f.name), *_spelled(f.default))
    assert given.differences(settings.Config(), free=()) == [] == settings.Config().differences(given, free=())


@pytest.mark.parametrize(
    "argv",
    [
        "--eta 0.1",
        "--eta .1",
        "--eta 1e-1",
        "--optimizer adam --eta 0.001",
        "--sigma 1e-2",
        "--validation 0.0",
        "--epochs 2.0",
        f"--corpus {corpus.default_corpus()}",
        f"--corpus {os.path.relpath(corpus.default_corpus())}",
        "--encoding UTF8",
        "--encoding utf_8",
        "--limit 140 --too-long skip --sample-texts 3",  # settings of documents, on one long text
    ],
)
def test_a_default_spelled_out_is_no_difference(argv):
    base = settings.Config(optimizer="adam") if "adam" in argv else settings.Config()
    assert _config(*argv.split()).differences(base, free=()) == []


def test_a_changed_setting_is_a_difference():
    assert _config("--eta", "0.2").differences(settings.Config()) == ["eta"]
    assert _config("--documents", "lines", "--limit", "50").differences(_config("--documents", "lines")) == ["limit"]
    assert _config("--steps", "9", "--engine", "numpy").differences(settings.Config()) == []  # free to change


def test_the_corpus_counts_by_its_resolved_path_or_not_at_all_when_its_text_is_known(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "small.txt").write_text("some text\n")
    (tmp_path / "link.txt").symlink_to(tmp_path / "small.txt")
    trained = settings.Config(corpus="small.txt")
    for spelled in ("./small.txt", str(tmp_path / "small.txt"), "link.txt", "data/../small.txt"):
        assert trained.differences(settings.Config(corpus=spelled)) == [], spelled
    assert trained.differences(settings.Config(corpus="copy.txt")) == ["corpus"]
    stats = {"md5": "the same text", "characters": 10}  # what resume passes when the md5 matches
    assert trained.differences(settings.Config(corpus="copy.txt", encoding="cp1252"), stats) == []


def test_auto_is_the_format_it_read_the_text_as():
    lines, blocks = {"md5": "x", "text_format": "lines"}, {"md5": "x", "text_format": "blocks"}
    auto = settings.Config(corpus="tweets.txt", documents="auto")
    assert auto.differences(settings.Config(corpus="tweets.txt", documents="lines"), lines) == []
    assert auto.differences(settings.Config(corpus="tweets.txt", documents="lines"), blocks) == ["documents"]
    assert (
        settings.Config(corpus="t.json", documents="auto").differences(
            settings.Config(corpus="t.json", documents="json"), blocks
        )
        == []
    )


def test_the_pool_finds_a_run_finished_however_its_corpus_and_eta_were_spelled(small_corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(small_corpus.parent)
    config = settings.Config(corpus="small.txt", steps=20, m=8, sample_length=0)
    loop.train(config, tmp_path / "run", progress=False)
    for same in (dict(corpus="./small.txt"), dict(corpus=str(small_corpus), eta=0.1)):
        assert pool._finished(dataclasses.replace(config, **same), tmp_path / "run")
    assert not pool._finished(dataclasses.replace(config, steps=30), tmp_path / "run")
    assert not pool._finished(dataclasses.replace(config, eta=0.2), tmp_path / "run")
