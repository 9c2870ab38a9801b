"""The notebooks and the PDF report, for real: every chapter runs, the PDF says what it must."""

import json
import re
import shutil
import subprocess

import nbformat
import pytest

from rnn_lib import config, report

NOTEBOOKS = sorted(report.NOTEBOOKS.glob("*.ipynb"))


def test_every_chapter_is_a_committed_notebook():
    assert [p.stem for p in NOTEBOOKS] == report.CHAPTERS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"clear the outputs of {path.name}"


def test_the_pdf_leaves_out_tagged_cells_widgets_and_progress_bars():
    from nbconvert import LatexExporter

    out = nbformat.v4.new_output
    cells = [
        nbformat.v4.new_markdown_cell("Kept text"),
        nbformat.v4.new_code_cell(
            "x", metadata={"tags": ["skip-report"]}, outputs=[out("stream", name="stdout", text="LIVE ONLY")]
        ),
        nbformat.v4.new_code_cell(
            "y", metadata={"tags": ["parameters"]}, outputs=[out("stream", name="stdout", text="PARAMETERS")]
        ),
        nbformat.v4.new_code_cell(
            "z",
            outputs=[
                out("stream", name="stderr", text="PROGRESS BAR"),
                out("stream", name="stdout", text="KEPT OUTPUT"),
            ],
        ),
        nbformat.v4.new_code_cell(
            "w",
            outputs=[
                out(
                    "display_data",
                    data={"application/vnd.jupyter.widget-view+json": {"model_id": "1"}, "text/plain": "WIDGET"},
                )
            ],
        ),
    ]
    merged = report.merge([nbformat.v4.new_notebook(cells=cells)], {"title": "T"})
    assert len(merged.cells) == 4  # the widget-only cell has nothing left to show
    latex, _ = report.exporter(LatexExporter).from_notebook_node(merged)
    assert "Kept text" in latex and "KEPT OUTPUT" in latex
    for absent in ("LIVE ONLY", "PARAMETERS", "PROGRESS BAR", "WIDGET"):
        assert absent not in latex


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    """The quick report, built once for the tests below (about half a minute)."""
    if not (shutil.which("xelatex") and shutil.which("pdftotext")):
        pytest.fail("XeLaTeX and pdftotext are needed: run `make test`, which installs them")
    tmp = tmp_path_factory.mktemp("report")
    # Tiny Shakespeare with every character that TeX treats specially, some that Latin Modern
    # lacks, and quotations (for the quotes unit): samples may print any of them.
    corpus = tmp / "shakespeare_and_specials.txt"
    specials = '\nThe "price" of 100% \\ {all} $5 & #3 ^ _ ~ < > | • ü € é α — it\'s "so" said.\n' * 40
    corpus.write_text(
        report.ROOT.joinpath("data", "tinyshakespeare.txt").read_text(encoding="utf-8") + specials, encoding="utf-8"
    )
    pdf = report.build(
        quick=True,
        corpus=corpus,
        run_dir=tmp / "run",
        out=tmp / "report.pdf",
        build_dir=tmp / "build",
        log=lambda *_: None,
    )
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return tmp, pdf, " ".join(text.split())


@pytest.mark.pdf
def test_the_pdf_has_every_section_of_the_assignment(quick_report):
    _, pdf, text = quick_report
    assert pdf.read_bytes().startswith(b"%PDF")
    sections = [
        "1 The network and its gradients",
        "1.3 Checking the gradients",
        "2 Training",
        "3 How the writing evolves",
        "4 Writing with the best model",
        "4.1 Temperature",
        "5 Beyond the assignment",
        "5.1 Held-out loss in bits per character",
        "5.2 A count-based baseline",
        "5.3 Optimizers and capacity",
        "5.4 Sampling",
        "5.5 Inside the network",
    ]
    positions = [text.find(s) for s in sections]
    assert -1 not in positions, [s for s, p in zip(sections, positions) if p == -1]
    assert positions == sorted(positions)
    # the gradient tables: W has 25 entries with m = 5, 10,000 with m = 100
    assert re.search(r"all 25 \d\.\de-\d\d \d\.\de-\d\d", text)
    assert re.search(r"of 10,000 \d\.\de-\d\d \d\.\de-\d\d", text)
    assert "Figure: smooth loss of the run" in text
    assert "Step 0 · smooth loss" in text and "Step 10,000 · smooth loss" in text
    assert "Best model: step" in text and "1,000 characters" in text
    for temperature in ("T = 0.5", "T = 0.8", "T = 1.0", "T = 1.3"):
        assert temperature in text
    assert "held-out bits/char" in text and re.search(r"RNN, \S = 100 \d\.\d{3}", text)  # the n-gram table
    assert "8-grams found in training text" in text and "property of the text" in text
    assert "shakespeare_and_specials.txt" in text and "inside quotes" in text
    assert "{ | } ~ é ü α — • €" in text  # the vocabulary line, with characters Latin Modern would drop
    assert "def " not in text and "import " not in text  # no code in the report


@pytest.mark.pdf
def test_results_flow_through_the_run_folder(quick_report):
    tmp, _, _ = quick_report
    run = tmp / "run"
    assert len((run / "passage.txt").read_text(encoding="utf-8")) == 1000
    summary = json.loads((run / "summary.json").read_text())
    assert summary["steps"] == config.report_parameters(quick=True)["steps"]
    assert (run / "figures" / "smooth_loss.pdf").exists()
    assert set(json.loads((run / "gradcheck.json").read_text())) == {"m=5, sigma=0.01", "m=100, sigma=0.1"}
    for figure in ("heldout", "optimizers", "capacity", "units"):
        assert (run / "figures" / f"{figure}.pdf").exists()
    runs = {p.name for p in (run / "beyond").iterdir()}
    assert {"adagrad-m100", "rmsprop-m100", "adam-m100"} <= runs and len(runs) == 5
    assert {name.split("-")[1] for name in runs} == {"m50", "m100", "m200"}
    for name in report.CHAPTERS:  # the executed notebooks, outputs and all
        nb = nbformat.read(tmp / "build" / f"{name}.ipynb", as_version=4)
        assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    synthesis = nbformat.read(tmp / "build" / "04_synthesis.ipynb", as_version=4)
    slider = [
        o
        for cell in synthesis.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(slider) == 1  # the temperature slider, live in Jupyter, left out of the PDF


def test_a_failing_notebook_is_reported(tmp_path):
    expected = "03_sample_evolution failed with FileNotFoundError: no samples in .*run 02_training first"
    with pytest.raises(report.NotebookFailed, match=expected):
        report.build(
            quick=True,
            run_dir=tmp_path / "empty",
            out=tmp_path / "r.pdf",
            build_dir=tmp_path / "b",
            chapters=["03_sample_evolution"],
            log=lambda *_: None,
        )
    assert (tmp_path / "b" / "03_sample_evolution.ipynb").exists()
