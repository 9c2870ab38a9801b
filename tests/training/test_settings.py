"""Every setting is declared once, in rnn_lib.training.settings (the report's in rnn_lib.report.parameters);
the CLI, the notebooks and the report read it there."""

import dataclasses

import pytest

from rnn_lib.__main__ import parser
from rnn_lib.nets import optim
from rnn_lib.training import options, settings


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
