"""A student's copy of the novel is often Windows' cp1252: the report reads it when told, and says how when not."""

import shutil
import subprocess
import sys

import pytest

from rnn_lib.report import build, runs
from rnn_lib.report.parameters import report_parameters
from rnn_lib.text.corpus import ROOT

# curly quotes and a dash, which cp1252 keeps in bytes that are no UTF-8
TEXT = "\u201cWell,\u201d said Harry \u2013 and he went on reading. " * 400


@pytest.fixture
def cp1252_corpus(tmp_path):
    path = tmp_path / "goblet cp1252.txt"
    path.write_bytes(TEXT.encode("cp1252"))
    return path


def test_every_run_of_the_report_reads_the_corpus_in_its_encoding(cp1252_corpus, tmp_path):
    parameters = report_parameters(True, corpus=str(cp1252_corpus), encoding="cp1252", run_dir=str(tmp_path))
    plans = [plan for document in ("assignment", "beyond") for plan in runs.first_plans(document, parameters)]
    configs = [config for plan in plans for config, _ in plan.values()]
    assert configs and all(c.encoding == "cp1252" and c.corpus == str(cp1252_corpus) for c in configs)


def test_a_corpus_in_another_encoding_is_one_line_that_names_the_option(cp1252_corpus, tmp_path, capsys):
    assert build.main(["--quick", "--corpus", str(cp1252_corpus), "--run-dir", str(tmp_path / "run")]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: corpus {cp1252_corpus} is not UTF-8 text") and "--encoding cp1252" in line
    assert not (tmp_path / "run").exists()


@pytest.mark.pdf
def test_the_assignment_is_built_from_a_cp1252_corpus(cp1252_corpus, tmp_path):
    if not shutil.which("xelatex"):
        pytest.fail("XeLaTeX is needed: run `make test`, which installs it")
    where = ["--run-dir", str(tmp_path / "run"), "--out-dir", str(tmp_path / "pdf"), "--build-dir", str(tmp_path / "b")]
    command = [sys.executable, "-m", "rnn_lib.report", "--quick", "--only", "assignment", "--corpus",
               str(cp1252_corpus), "--encoding", "cp1252", "--seeds", "1", "--steps", "300", *where]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    text = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "assignment.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "goblet cp1252.txt" in text and "\u201c" in text  # the vocabulary table shows the curly quote
