"""Every setting is declared once, in rnn_lib.training.settings (the report's in rnn_lib.report.parameters);
the CLI, the notebooks and the report read it there."""

import dataclasses
import re

import nbformat
import pytest

from rnn_lib.report import build, documents
from rnn_lib.report.parameters import Report, gathered, report_parameters


def test_report_parameters_full_quick_and_given():
    full, quick = report_parameters(), report_parameters(quick=True)
    assert full["epochs"] == 10 and full["steps"] is None and full["temperatures"] == [0.5, 0.8, 1.0, 1.3]
    assert quick["epochs"] is None and quick["steps"] == 20_000 and quick["max_order"] == 4
    assert report_parameters(quick=True, steps=500, corpus=None)["steps"] == 500
    assert set(full) == {f.name for f in dataclasses.fields(Report)}


@pytest.mark.parametrize("name", documents.CHAPTERS)
def test_notebook_parameters_read_the_declared_defaults(name):
    nb = nbformat.read(build.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    lines = [line for line in cell.source.splitlines() if line]
    assert lines[0].startswith("from rnn_lib.report.parameters import Report")
    names = [re.fullmatch(r"(\w+) = Report\.(\w+)", line).groups() for line in lines[1:]]
    assert all(a == b for a, b in names) and {"corpus", "run_dir"} <= {a for a, _ in names}
    assert {a for a, _ in names} <= {f.name for f in dataclasses.fields(Report)}


def test_the_report_builder_offers_the_notebook_parameters(capsys):
    with pytest.raises(SystemExit):
        build.main(["--help"])
    out = capsys.readouterr().out
    for f in dataclasses.fields(Report):
        assert "--" + f.name.replace("_", "-") in out


def test_a_chapter_gathers_its_parameters_once_from_its_variables():
    namespace = {"corpus": "a.txt", "seed": 3, "texts_limit": 90, "ids": [1, 2], "check": object()}
    assert gathered(namespace) == {"corpus": "a.txt", "seed": 3, "texts_limit": 90}
    assert gathered({}) == {}


@pytest.mark.parametrize("name", documents.CHAPTERS)
def test_every_code_cell_but_the_parameters_is_a_few_lines_that_call_the_library(name):
    nb = nbformat.read(build.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            assert len(cell.source.splitlines()) <= 12, f"{name}, cell {cell.id}: move its work into rnn_lib"


@pytest.mark.parametrize("name", documents.CHAPTERS)
def test_each_notebook_says_which_document_it_belongs_to(name):
    nb = nbformat.read(build.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    note = nb.cells[0]
    document = next(doc for doc, d in documents.DOCUMENTS.items() if name in d.chapters)
    assert "skip-report" in note.metadata.tags and f"`report/{document}.pdf`" in note.source
    assert f"ONLY={document}`" in note.source and f"Chapter {int(name[:2])} of" in note.source
