"""The notebooks and the PDF report, for real: every chapter runs, the PDF says what it must."""

import json
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbconvert.filters import convert_pandoc

from rnn_lib.report import build, display, documents, pdf
from rnn_lib.report.chapters import gradient_check
from rnn_lib.report.parameters import report_parameters

NOTEBOOKS = sorted(build.NOTEBOOKS.glob("*.ipynb"))
# What users type: the title page and the prose must print these as they are
HOSTILE_AUTHOR = "A & B_{x} \\evil"
HOSTILE_CORPUS = "my 'weird' 50% #1 _a_ {b} ^~ & *c* | \\x.txt"
# what a file name can hold: every character but "/" and NUL (ASCII's punctuation, white space, others)
EVERY_NAME = "".join(c for c in string.punctuation if c != "/") + " \t\n é€😀 {b} {} {0} %s %(x)s $HOME"
# every ASCII punctuation character, then what TeX, pandoc or Markdown read specially in pairs or more
EVERY_SPECIAL = string.punctuation + " -- --- ,, << >> !` ?` '' `` ... $x$ <b> [l](u) @cite &amp; \\par ~~s~~"


def test_every_chapter_is_a_committed_notebook():
    assert [p.stem for p in NOTEBOOKS] == documents.CHAPTERS


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
    merged = pdf.merge([nbformat.v4.new_notebook(cells=cells)], {"title": "T"})
    assert len(merged.cells) == 4  # the widget-only cell has nothing left to show
    latex, _ = pdf.exporter(LatexExporter).from_notebook_node(merged)
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
    # lacks, and quotations (for the quotes unit): samples may print any of them. Its name and
    # the author hold TeX's and Markdown's specials too.
    corpus = tmp / f"shakespeare_and_{HOSTILE_CORPUS} {EVERY_NAME}.txt"
    specials = '\nThe "price" of 100% \\ {all} $5 & #3 ^ _ ~ < > | • ü € é α — it\'s "so" said.\n' * 40
    shakespeare = build.ROOT.joinpath("data", "tinyshakespeare.txt").read_text(encoding="utf-8")
    middle = int(len(shakespeare) * 0.85)  # in the validation part too: units are chosen there
    corpus.write_text(shakespeare[:middle] + specials + shakespeare[middle:] + specials, encoding="utf-8")
    # Chapter 6 reads a tweet archive's JSON export, with its entities, hashtags and an emoji.
    rng = np.random.default_rng(0)
    words = [
        "Make",
        "America",
        "great",
        "#MAGA",
        "&amp;",
        "100%",
        "$5",
        "fake",
        "news",
        "é",
        "—",
        "\U0001f1fa\U0001f1f8",
    ]
    tweets = [{"text": " ".join(rng.choice(words, rng.integers(2, 25))), "id_str": str(k)} for k in range(2000)]
    texts = tmp / "tweets.json"
    texts.write_text(json.dumps(tweets), encoding="utf-8")
    log = []
    written = build.build(
        quick=True,
        corpus=corpus,
        texts=texts,
        run_dir=tmp / f"run {EVERY_NAME}",  # papermill reads its paths as templates, LaTeX as TeX
        out_dir=tmp / f"pdf {EVERY_NAME}",
        build_dir=tmp / f"build {EVERY_NAME}",
        author=HOSTILE_AUTHOR,
        log=log.append,
        progress=False,
    )
    return tmp, written, {name: _pdf_text(path) for name, path in written.items()}, log


@pytest.mark.pdf
def test_three_documents_each_with_its_chapters_in_order(quick_report):
    _, written, texts, log = quick_report
    assert list(written) == ["assignment", "bonus", "beyond"]
    assert all(path.name == f"{name}.pdf" and path.read_bytes().startswith(b"%PDF") for name, path in written.items())
    sections = {
        "assignment": ["1 The network and its gradients", "1.3 Checking the gradients", "2 Training",
                       "3 How the writing evolves", "4 Writing with the best model", "4.1 Temperature"],
        "bonus": ["6 The bonus: short texts that end", "6.1 What changed from the main assignment",
                  "6.3 Texts at several stages of training", "6.4 Ten texts from the best model",
                  "6.5 How long the texts are", "6.6 The chunk length"],
        "beyond": ["5 Beyond the assignment", "5.1 Held-out loss in bits per character", "5.2 A count-based baseline",
                   "5.3 Optimizers and capacity", "5.4 Sampling", "5.5 Inside the network",
                   "7 Past the n-gram: minibatches and an LSTM", "7.1 The LSTM", "7.2 Minibatches of streams",
                   "7.3 A recipe for the wide LSTM", "7.4 Beyond both: the LSTM and the n-gram together",
                   "7.5 Samples"],
    }  # fmt: skip
    for name, titles in sections.items():
        positions = [texts[name].find(title) for title in titles]
        assert -1 not in positions, (name, [t for t, p in zip(titles, positions) if p == -1])
        assert positions == sorted(positions)
        assert f"{HOSTILE_AUTHOR} ·" in texts[name] and "(quick run)" in texts[name]  # each one self-contained
        assert "def " not in texts[name] and "import " not in texts[name]  # no code in the report
    assert "Teaching a recurrent network to write" in texts["assignment"] and "5 Beyond" not in texts["assignment"]
    assert "Short texts that end" in texts["bonus"] and "tweets.json" in texts["bonus"].split("·")[0]
    assert "Beyond the assignment" in texts["beyond"]
    written_lines = [line for line in log if line.startswith("wrote ")]
    assert len(written_lines) == 3 and all(line.startswith(f"wrote {path} in ")
                                           for line, path in zip(written_lines, written.values()))  # fmt: skip
    assert all(re.search(r" in (\d+ min )?\d+ s, (\d+ min )?\d+ s into the build", line) for line in written_lines)
    assert any(line.startswith("assignment, chapter 1 of 4: 01_gradient_check ran in ") for line in log)


@pytest.mark.pdf
def test_the_assignment_holds_the_four_items_the_course_asks_for(quick_report):
    text = quick_report[2]["assignment"]
    # the gradient tables: W has 25 entries with m = 5, 10,000 with m = 100
    assert re.search(r"all 25 \d\.\de-\d\d \d\.\de-\d\d", text)
    assert re.search(r"of 10,000 \d\.\de-\d\d \d\.\de-\d\d", text)
    assert "Figure: smooth loss of the run" in text
    assert "Step 0 · smooth loss" in text and "Step 10,000 · smooth loss" in text
    assert "Best model: step" in text and "1,000 characters" in text
    for temperature in ("T = 0.5", "T = 0.8", "T = 1.0", "T = 1.3"):
        assert temperature in text
    assert "Runs that differ only in their seed reach a best smooth loss of" in text
    assert "2.2 Why your number differs from a classmate’s" in text and "where in the text" in text
    assert re.search(r"reaches its best smooth loss at update [\d,]+ of 20,000, in epoch 1", text)
    assert re.search(r"Measured after its update, a chunk’s loss reads \d+\.\d nats (lower|higher)", text)
    assert "after it, same chunk" in text and "The text up to the best update's chunk" in text
    assert text.count(f"shakespeare_and_{HOSTILE_CORPUS}") >= 2  # the subtitle, chapter 1
    assert " ".join(f"shakespeare_and_{HOSTILE_CORPUS} {EVERY_NAME}.txt".split()) in text  # every character
    assert "{ | } ~ é ü α — • €" in text  # the vocabulary line, with characters Latin Modern would drop


@pytest.mark.pdf
def test_the_bonus_and_the_study_beyond(quick_report):
    bonus, beyond = quick_report[2]["bonus"], quick_report[2]["beyond"]
    assert "tweets.json is read as a JSON list of records with a text field: 2,000 documents" in bonus
    assert "Before training: " in bonus and "After 1,000 updates: " in bonus and "ended by themselves" in bonus
    assert "updates/epoch" in bonus and "Each chunk length trained for 0.3 epochs with 2 seeds" in bonus
    assert "validation bits/char" in beyond and "discount scale" in beyond  # the n-gram table, chosen on validation
    assert re.search(r"score \d\.\d{3} ± \d\.\d{3} bits per character on the test text", beyond)
    assert re.search(r" 200 [\d,]+ \d\.\d{3} ± \d\.\d{3} \d\.\d{3} ± \d\.\d{3}", beyond)  # mean ± sd over seeds
    assert re.search(r"the first [\d,]+ characters \(80%\) to train on", beyond)
    assert "8-grams found in training text" in beyond and "property of the text" in beyond
    assert "inside quotes" in beyond and f"shakespeare_and_{HOSTILE_CORPUS}" in beyond  # a unit; the subtitle
    assert "= 5, 2 streams" in beyond and "of 40,000" in beyond  # the LSTM's gradient check, W of m = 100
    assert "LSTM, m = 100" in beyond and "RNN, B = 32" in beyond and "-gram (" in beyond  # the path and its verdict
    assert "Mixed character by character" in beyond and "chosen on validation (" in beyond  # the mixture


@pytest.mark.pdf
def test_results_flow_through_the_run_folder(quick_report):
    tmp = quick_report[0]
    run = tmp / f"run {EVERY_NAME}"
    assert len((run / "passage.txt").read_text(encoding="utf-8")) == 1000
    summary = json.loads((run / "summary.json").read_text())
    assert summary["steps"] == report_parameters(quick=True)["steps"]
    assert (run / "figures" / "smooth_loss.pdf").exists()
    assert set(json.loads((run / "gradcheck.json").read_text())) == {"m=5, sigma=0.01", "m=100, sigma=0.1"}
    for figure in ("seeds", "heldout", "optimizers", "capacity", "units", "guesses", "short_texts_lengths", "path"):
        assert (run / "figures" / f"{figure}.pdf").exists()
    runs = {p.name for p in (run / "beyond").iterdir() if p.is_dir()} - {
        "rnn-b32",
        "lstm-m100",
        "lstm-wide",
        "lstm-recipe",
    }
    assert (
        len(list((run / "beyond" / "lstm-recipe").glob("seed-*/chosen.npz")))
        == report_parameters(quick=True)["wide_seeds"]
    )
    assert {"adagrad-m100", "rmsprop-m100", "adam-m100"} <= runs and len(runs) == 5
    assert {name.split("-")[1] for name in runs} == {"m50", "m100", "m200"}
    assert json.loads((run / "beyond" / "ngram.json").read_text())["test"] > 0  # chapter 5 keeps it for chapter 7
    seeds = report_parameters(quick=True)["compare_seeds"]
    assert all(len(list((run / "beyond" / name).glob("seed-*"))) == seeds for name in runs)
    assert len(list((run / "seeds").glob("seed-*"))) == report_parameters(quick=True)["seeds"] - 1
    for name in documents.CHAPTERS:  # the executed notebooks, outputs and all
        nb = nbformat.read(tmp / f"build {EVERY_NAME}" / f"{name}.ipynb", as_version=4)
        assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    synthesis = nbformat.read(tmp / f"build {EVERY_NAME}" / "04_synthesis.ipynb", as_version=4)
    widgets = [
        o
        for cell in synthesis.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) == 2  # the temperature slider and the explorer, live in Jupyter, left out of the PDF


def test_a_failing_notebook_is_reported(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('raise FileNotFoundError("no samples here")')])
    nbformat.write(nb, tmp_path / "03_broken.ipynb")
    with pytest.raises(build.NotebookFailed, match="03_broken failed with FileNotFoundError: no samples here"):
        build.execute(tmp_path / "03_broken.ipynb", {}, tmp_path / "b" / "03_broken.ipynb")
    assert (tmp_path / "b" / "03_broken.ipynb").exists()  # the executed notebook shows where


def test_a_chapter_whose_cell_stops_answering_runs_again_once(tmp_path):
    """As papermill's hang on a widget's cell does: the first time, the cell never answers."""
    marker = tmp_path / "tried"
    hangs_once = (f"import pathlib, time\nm = pathlib.Path({str(marker)!r})\n"
                  "if not m.exists():\n    m.touch()\n    time.sleep(600)")  # fmt: skip
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(hangs_once)]), tmp_path / "04_hang.ipynb")
    said = []
    build.execute(tmp_path / "04_hang.ipynb", {}, tmp_path / "b" / "04_hang.ipynb", said.append, timeout=5)
    assert said == ["04_hang: a cell gave no answer for 0.0833333 min; running the chapter again"]
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(600)")]),
                   tmp_path / "04_hangs.ipynb")  # fmt: skip
    with pytest.raises(build.NotebookFailed, match="04_hangs stopped answering twice, .* run the same command again"):
        build.execute(tmp_path / "04_hangs.ipynb", {}, tmp_path / "b" / "04_hangs.ipynb", said.append, timeout=5)
    # a widget's cell, for Jupyter alone, is deemed stuck sooner than the others
    marker.unlink()
    live = nbformat.v4.new_code_cell(hangs_once, metadata={"tags": ["skip-report"]})
    nbformat.write(nbformat.v4.new_notebook(cells=[live]), tmp_path / "04_live.ipynb")
    build.execute(tmp_path / "04_live.ipynb", {}, tmp_path / "b" / "04_live.ipynb", said.append, timeout=600,
                  live_timeout=5)  # fmt: skip
    assert said[-1] == "04_live: a cell gave no answer for 0.0833333 min; running the chapter again"


def test_a_chapter_runs_in_the_notebooks_folder_and_the_builder_stays_where_it_is(tmp_path):
    notebooks, here = tmp_path / "notebooks", Path.cwd()
    notebooks.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nprint(os.getcwd())")])
    nbformat.write(notebook, notebooks / "01_a.ipynb")
    executed = build.execute(notebooks / "01_a.ipynb", {}, tmp_path / "b" / "01_a.ipynb")
    assert executed.cells[0].outputs[0]["text"].strip() == str(build.NOTEBOOKS)  # where the chapters read their files
    assert Path.cwd() == here


TEX_SPELLINGS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "%": r"\%",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "'": r"\textquotesingle{}",
    '"': r"\textquotedbl{}",
    "`": r"\textasciigrave{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "-": "-{}",
    ",": ",{}",
}


@pytest.mark.parametrize("char", TEX_SPELLINGS)
def test_tex_escape_spells_every_special_character(char):
    assert display.tex_escape(f"a{char}b") == f"a{TEX_SPELLINGS[char]}b"


def test_tex_escape_keeps_other_text_and_puts_spaces_for_line_breaks():
    plain = "Ab 09 é α • € ( ) [ ] * + = ! ? ; : @ / . ..."
    assert display.tex_escape(plain) == plain
    assert display.tex_escape("a\nb\tc\r\n\nd") == "a b c   d"  # a blank line would end TeX's paragraph


@pytest.mark.parametrize("char", string.punctuation)
def test_markdown_escape_backslashes_every_ascii_punctuation(char):
    assert display.markdown_escape(f"a{char}b") == f"a\\{char}b"


def test_markdown_escape_keeps_other_text_and_puts_spaces_for_line_breaks():
    assert display.markdown_escape("Ab 09 é α • € ‘q’") == "Ab 09 é α • € ‘q’"
    assert display.markdown_escape("a\nb\tc") == "a b c"  # a table row or a bold phrase is one line


def _inline_text(node):
    """The text of pandoc's JSON ``node``: its words and spaces, formatting dropped, cells run together."""
    if isinstance(node, list):
        return "".join(_inline_text(item) for item in node)
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return node["c"]
        if node.get("t") in ("Space", "SoftBreak"):
            return " "
        return _inline_text(node.get("c"))
    return ""


@pytest.mark.parametrize("text", [HOSTILE_CORPUS, EVERY_SPECIAL])
def test_pandoc_reads_the_escaped_corpus_name_as_it_is(text):
    """In the sentence of chapter 1 and the run table of chapter 2, as the PDF's pandoc reads them."""
    stats = {"corpus": text, "characters": 10, "K": 3}
    for markdown in (gradient_check.corpus_paragraph(stats, 1, 25), display.run_table(_summary(text))):
        doc = json.loads(convert_pandoc(markdown, "markdown+tex_math_double_backslash", "json"))
        assert text in _inline_text(doc["blocks"]), markdown


def test_literal_ascii_leaves_the_prose_alone_and_keeps_escaped_quotes_and_dashes():
    markdown = f'It\'s "so" -- said... **{display.markdown_escape(HOSTILE_CORPUS + " -- ,, <<")}**'
    doc = json.loads(pdf.literal_ascii(convert_pandoc(markdown, "markdown", "json")))
    latex = " ".join(convert_pandoc(json.dumps(doc), "json", "latex").split())
    assert latex.startswith("It's ``so'' -- said\\ldots{}")  # pandoc's curly quotes, dash and ellipsis
    assert r"my \textquotesingle{}weird\textquotesingle{}" in latex and r"-{}-{} ,{},{} \textless{}\textless{}" in latex


def _summary(corpus):
    """A run's summary.json, as :func:`rnn_lib.report.display.run_table` reads it."""
    return {
        "corpus": corpus,
        "characters": 10,
        "K": 3,
        "steps": 5,
        "epochs": 1.0,
        "updates_per_epoch": 5,
        "seconds": 1.0,
        "updates_per_second": 5.0,
        "engine": "numpy",
        "best_smooth_loss": 1.0,
        "best_step": 1,
        "final_smooth_loss": 1.0,
    }


def _pdf_text(path):
    """The PDF's text as pdftotext reads it in layout order, without page footers, each run of white space a space."""
    if not shutil.which("pdftotext"):
        pytest.fail("XeLaTeX and pdftotext are needed: run `make test`, which installs them")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = [" ".join(_without_footer(page)) for page in text.split("\f")]
    return " ".join(" ".join(pages).split())


def _without_footer(page):
    """The lines of a page but its footer (the page number, and the document's title), so that a sentence
    broken across pages reads as one."""
    lines = page.rstrip().splitlines()
    if lines and re.fullmatch(r"\s*\d+(\s{3,}\S.*)?", lines[-1]):
        lines.pop()
    return lines


def _outputs_notebook(*data):
    """A notebook of one code cell whose display outputs hold ``data`` (dicts of MIME type to content)."""
    outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "", **d}) for d in data]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=outputs)])


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory):
    """A one-page report titled with the hostile author and corpus name, which its prose, its run
    table and a passage's label print too, as the notebooks do (a few seconds)."""
    stats = {"corpus": HOSTILE_CORPUS, "characters": 10, "K": 3}
    nb = _outputs_notebook(
        {"text/markdown": gradient_check.corpus_paragraph(stats, 1, 25)},
        {"text/markdown": display.run_table(_summary(HOSTILE_CORPUS))},
        {"text/markdown": f"Markdown: {display.markdown_escape(EVERY_SPECIAL)}"},
        {"text/latex": display.Label(f"Label: {EVERY_SPECIAL}")._repr_latex_()},
    )
    metadata = documents.title_metadata("assignment", HOSTILE_CORPUS, "t.json", HOSTILE_AUTHOR)
    written = pdf.export_pdf(pdf.merge([nb], metadata), tmp_path_factory.mktemp("hostile") / "r.pdf")
    return _pdf_text(written)


@pytest.mark.pdf
def test_the_title_page_prints_a_hostile_author_and_corpus_name_as_they_are(hostile_pdf):
    assert f"trained on {HOSTILE_CORPUS} {HOSTILE_AUTHOR} ·" in hostile_pdf


@pytest.mark.pdf
def test_the_prose_and_tables_print_a_hostile_corpus_name_as_it_is(hostile_pdf):
    assert f"The corpus is {HOSTILE_CORPUS}: 𝑁 = 10 characters" in hostile_pdf
    assert f"corpus {HOSTILE_CORPUS} (10 characters, 𝐾 = 3)" in hostile_pdf
    assert f"Markdown: {EVERY_SPECIAL}" in hostile_pdf and f"Label: {EVERY_SPECIAL}" in hostile_pdf


@pytest.mark.pdf
def test_a_latex_failure_is_one_short_message_with_the_log_and_the_tex_file(tmp_path, monkeypatch, capsys):
    nb = pdf.merge([_outputs_notebook({"text/latex": r"Before \undefinedcommand{} after"})], {"title": "T"})
    # main, with a build whose notebooks ran and whose LaTeX fails
    monkeypatch.setattr(build, "build", lambda **_: pdf.export_pdf(nb, tmp_path / "r.pdf", tex_dir=tmp_path / "b"))
    assert build.main(["--author", "x"]) == 1
    err = capsys.readouterr().err
    tex = tmp_path / "b" / "r.tex"
    assert err.startswith("error: XeLaTeX could not typeset r.pdf:\n  ! Undefined control sequence.\n")
    assert "\\undefinedcommand" in err and f"The LaTeX is kept in {tex} " in err
    assert len(err.splitlines()) <= 8 and "Traceback" not in err
    assert "\\undefinedcommand" in tex.read_text(encoding="utf-8")
    assert not (tmp_path / "r.pdf").exists()


def test_latex_errors_quotes_each_error_with_the_input_it_stopped_at():
    log = "(./notebook.tex\n! Undefined control sequence.\n<argument> A \\evil \n          \nl.206 \\author{A \\evil}\n"
    log += "                  \n? \n! Emergency stop.\n<argument> A \\evil \n"
    assert pdf.latex_errors(log) == [
        "! Undefined control sequence.",
        "<argument> A \\evil ",
        "l.206 \\author{A \\evil}",
    ]
    assert pdf.latex_errors("This is XeTeX\nno error line\n", after=1) == ["no error line"]


def _dry_run(argv, capsys):
    assert build.main(["--dry-run", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_dry_run_prints_the_resolved_settings_and_runs_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RNN_CORPUS", raising=False)
    monkeypatch.delenv("RNN_TEXTS", raising=False)
    monkeypatch.delenv("RNN_AUTHOR", raising=False)
    corpus = tmp_path / HOSTILE_CORPUS  # need not exist: nothing is read
    settings = _dry_run(["--quick", "--corpus", str(corpus), "--author", HOSTILE_AUTHOR, "--epochs", "3"], capsys)
    assert settings["corpus"] == settings["parameters"]["corpus"] == str(corpus.resolve())
    assert settings["author"] == HOSTILE_AUTHOR and settings["quick"] is True
    assert (
        settings["parameters"]["epochs"] == 3
        and settings["parameters"]["steps"] == report_parameters(quick=True)["steps"]
    )
    assert Path(settings["build_dir"]).name == Path(settings["parameters"]["run_dir"]).name == corpus.stem + "-quick"
    default = _dry_run([], capsys)
    assert default["author"] == documents.DEFAULT_AUTHOR and default["parameters"]["corpus"] is None
    assert list(default["documents"]) == ["assignment", "bonus", "beyond"]
    assert default["documents"]["bonus"] == str(build.ROOT / "report" / "bonus.pdf")
    assert not Path(settings["build_dir"]).exists()


def test_the_environment_gives_corpus_and_author_their_defaults(tmp_path, capsys, monkeypatch):
    corpus = (tmp_path / HOSTILE_CORPUS).resolve()
    monkeypatch.setenv("RNN_CORPUS", str(corpus))
    monkeypatch.setenv("RNN_AUTHOR", HOSTILE_AUTHOR)
    settings = _dry_run([], capsys)
    assert settings["corpus"] == str(corpus) and settings["author"] == HOSTILE_AUTHOR
    given = _dry_run(["--corpus", str(corpus.parent / "b.txt"), "--author", "B"], capsys)  # options win
    assert given["corpus"] == str(corpus.parent / "b.txt") and given["author"] == "B"
    monkeypatch.setenv("RNN_CORPUS", "")
    monkeypatch.setenv("RNN_AUTHOR", "")
    assert _dry_run([], capsys)["author"] == documents.DEFAULT_AUTHOR  # empty means unset, as make passes it
    assert all(name in build.EPILOG for name in ("RNN_CORPUS", "RNN_TEXTS", "RNN_AUTHOR", "RNN_ONLY"))


def test_only_some_documents(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RNN_ONLY", raising=False)
    assert list(_dry_run(["--only", "beyond", "assignment"], capsys)["documents"]) == ["assignment", "beyond"]
    monkeypatch.setenv("RNN_ONLY", "bonus")
    assert list(_dry_run([], capsys)["documents"]) == ["bonus"]
    monkeypatch.setenv("RNN_ONLY", "assignment,bonus")
    assert list(_dry_run(["--out-dir", str(tmp_path)], capsys)["documents"].values()) == [
        str(tmp_path / "assignment.pdf"), str(tmp_path / "bonus.pdf")]  # fmt: skip
    monkeypatch.setenv("RNN_ONLY", "homework")
    assert build.main(["--dry-run"]) == 2
    assert (
        capsys.readouterr().err.strip() == "error: --only takes one or more of assignment, bonus, beyond (got homework)"
    )


@pytest.mark.parametrize(
    "corpus, author",
    [
        ('my "weird" $file%.txt', "it's $(touch {pwned}) $(shell touch {pwned}) `touch {pwned}`; touch {pwned}"),
        ("a name with  spaces \\x #1.txt", f"{HOSTILE_AUTHOR} 100% ~^ | 'q' \"q\" $HOME"),
    ],
)
def test_make_report_passes_corpus_and_author_as_typed(corpus, author, tmp_path):
    if not shutil.which("make"):
        pytest.skip("GNU make is not installed")
    author = author.replace("{pwned}", str(tmp_path / "pwned"))
    command = [
        "make",
        "-s",
        "-C",
        str(build.ROOT),
        "report",
        f"CORPUS={corpus}",
        f"AUTHOR={author}",
        f"TEXTS={corpus}",
        "ONLY=bonus assignment",
    ]
    # -o: the set-up (venv, TeX) is not what this test is about; PY: the interpreter running the tests
    command += ["-o", "setup", "-o", "tex", f"PY={sys.executable}", "REPORT_FLAGS=--dry-run"]
    settings = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    assert settings["corpus"] == str(build.ROOT / corpus) and settings["author"] == author
    assert settings["parameters"]["texts"] == str(build.ROOT / corpus)
    assert list(settings["documents"]) == ["assignment", "bonus"]
    assert not (tmp_path / "pwned").exists()


def test_a_passage_that_fits_on_a_page_stays_whole():
    assert display.box_lines("a\n" + "b" * 170) == 2 + 1 + 3  # margins, a line, a line wrapped twice
    assert display.box_lines("x\n" * 100) == 40  # longer than a page: it breaks anyway
    latex = display.Label("T", 12)._repr_latex_()
    assert latex.startswith("\\providecommand{\\Needspace}[1]{}")  # nbconvert's own template has no needspace
    assert "\\Needspace{12\\baselineskip}\\noindent\\textbf{T}" in latex


@pytest.mark.pdf
@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_plain_nbconvert_makes_a_document_of_every_executed_notebook(quick_report, kind, tmp_path):
    """nbconvert's own templates, as a user types it: every output of our chapters is one they can show."""
    build_dir = quick_report[0] / f"build {EVERY_NAME}"
    for chapter in documents.CHAPTERS:
        # nbconvert reads its argument as a glob pattern, so the notebook goes to a folder with a plain name
        notebook = shutil.copy(build_dir / f"{chapter}.ipynb", tmp_path)
        command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", kind, "--output-dir", str(tmp_path)]
        done = subprocess.run([*command, notebook], capture_output=True, text=True)
        assert done.returncode == 0, f"{chapter}: {done.stderr[-2000:]}"
        assert (tmp_path / f"{chapter}.{kind}").stat().st_size > 10_000
