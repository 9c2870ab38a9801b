"""Every setting is declared once, in rnn_lib.config; the CLI, the notebooks and the report read it there."""

import dataclasses
import re

import nbformat
import pytest

from rnn_lib import config, optim, report, settings
from rnn_lib.__main__ import parser


def _options(command):
    sub = next(a for a in parser()._actions if a.dest == "command").choices[command]
    return {a.dest: a for a in sub._actions if a.option_strings}


@pytest.mark.parametrize(
    "command, settings",
    [("train", config.Config), ("gradcheck", config.GradCheck), ("sample", config.Sampling), ("bench", config.Bench)],
)
def test_every_setting_is_an_option_with_its_help(command, settings):
    options = _options(command)
    for f in dataclasses.fields(settings):
        option = options[f.name]
        assert option.option_strings == ["--" + f.name.replace("_", "-")]
        assert f.metadata["help"] in option.help and option.choices == f.metadata["choices"]


def test_options_not_given_keep_the_declared_defaults():
    args = parser().parse_args(["train"])
    assert config.Config(**settings.given(config.Config, args)) == config.Config()


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
    c = config.Config(**settings.given(config.Config, args))
    assert (c.clip, c.checkpoint_every, c.eval_every, c.optimizer, c.eta) == (3.0, 50, 20, "adam", 0.01)
    assert _options("train")["optimizer"].choices == tuple(optim.DEFAULTS)


def test_report_parameters_full_quick_and_given():
    full, quick = config.report_parameters(), config.report_parameters(quick=True)
    assert full["epochs"] == 10 and full["steps"] is None and full["temperatures"] == [0.5, 0.8, 1.0, 1.3]
    assert quick["epochs"] is None and quick["steps"] == 20_000 and quick["max_order"] == 4
    assert config.report_parameters(quick=True, steps=500, corpus=None)["steps"] == 500
    assert set(full) == {f.name for f in dataclasses.fields(config.Report)}


@pytest.mark.parametrize("name", report.CHAPTERS)
def test_notebook_parameters_read_the_declared_defaults(name):
    nb = nbformat.read(report.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    lines = [line for line in cell.source.splitlines() if line]
    assert lines[0].startswith("from rnn_lib.config import Report")
    names = [re.fullmatch(r"(\w+) = Report\.(\w+)", line).groups() for line in lines[1:]]
    assert all(a == b for a, b in names) and {"corpus", "run_dir"} <= {a for a, _ in names}
    assert {a for a, _ in names} <= {f.name for f in dataclasses.fields(config.Report)}


def test_the_report_builder_offers_the_notebook_parameters(capsys):
    with pytest.raises(SystemExit):
        report.main(["--help"])
    out = capsys.readouterr().out
    for f in dataclasses.fields(config.Report):
        assert "--" + f.name.replace("_", "-") in out
