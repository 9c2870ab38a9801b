"""Notebooks → one PDF.

papermill executes the chapters in order with the report's parameters
(:class:`rnn_lib.config.Report`, the quick values with ``--quick``) and keeps every
executed notebook in ``build/``; we merge them into one notebook with a title, and
``jupyter nbconvert``'s PDF exporter writes it with our template (no code, A4, DejaVu fonts).
Whatever the corpus name and the author hold, they are printed as they are.

    python -m rnn_lib.report [--quick] [--corpus FILE] [--author NAME] [--out PDF] [--epochs 5 ...]
    python -m rnn_lib.report --dry-run ...   # the settings it would use, as JSON; runs nothing
"""

import argparse
import copy
import datetime
import json
import os
import re
import sys
import time
from pathlib import Path

from . import config, settings
from .data import CorpusError, default_corpus, read_text
from .display import tex_escape
from .runs import default_run_dir

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = ROOT / "report" / "template"
CHAPTERS = ["01_gradient_check", "02_training", "03_sample_evolution", "04_synthesis", "05_beyond"]
# Cells the PDF leaves out: what only makes sense live (the slider), and the parameters.
LEFT_OUT_TAGS = ("skip-report", "parameters", "injected-parameters")
TITLE = "Teaching a recurrent network to write"
DEFAULT_AUTHOR = "The rnn_lib authors"
# Environment variables that give --corpus and --author their defaults: `make report` passes
# CORPUS and AUTHOR through them, so that no shell ever reads the user's strings.
ENVIRONMENT = {"corpus": "RNN_CORPUS", "author": "RNN_AUTHOR"}
# ASCII that pandoc writes into LaTeX as it is and XeLaTeX's TeX ligatures would then change:
# straight quotes (pandoc also writes its curly quotes as ` and '), -- ,, << >>.
_LIGATURE_PRONE = re.compile(r"['\"`]|--|,,|<<|>>")
# TeX's error lines that only say that an earlier error stopped it
_AFTERMATH = re.compile(r"! (Emergency stop|\s*==> Fatal error)")


class NotebookFailed(RuntimeError):
    """A chapter raised an error; the executed notebook shows where."""


class LatexError(RuntimeError):
    """XeLaTeX could not typeset the report; the message quotes its log and names the kept .tex file."""


def execute(path, parameters, out_path):
    """Run notebook ``path`` with the ``parameters`` it declares, in the notebooks folder;
    write it, outputs and all, to ``out_path`` (also when it fails) and return it."""
    import papermill

    declared = papermill.inspect_notebook(str(path))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return papermill.execute_notebook(
            str(path),
            str(out_path),
            parameters={k: v for k, v in parameters.items() if k in declared},
            cwd=str(NOTEBOOKS),
            kernel_name="python3",
            progress_bar=False,
            # the kernel app's own warnings (that it talks over TCP on this machine) are no news to
            # a user; the notebooks' output, errors included, is kept in the executed notebook
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except papermill.PapermillExecutionError as err:
        raise NotebookFailed(
            f"{path.stem} failed with {err.ename}: {err.evalue}\nThe executed notebook, {out_path}, shows where."
        ) from None


def _report_outputs(outputs):
    """Outputs a PDF can show: no progress bars (stderr), no live widgets."""
    return [
        o
        for o in outputs
        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
        and "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
    ]


def merge(notebooks, metadata):
    """One notebook of all chapters, in order; code cells keep only what a PDF can show."""
    import nbformat  # here, not at the top: it takes seconds to import, and --help or --dry-run need none of it

    merged = nbformat.v4.new_notebook(metadata=metadata)
    for nb in notebooks:
        for cell in nb.cells:
            cell = copy.deepcopy(cell)
            if cell.cell_type == "code":
                cell.outputs = _report_outputs(cell.outputs)
                if not cell.outputs:  # nothing to show: an empty cell would still leave a gap
                    continue
            merged.cells.append(cell)
    return merged


def exporter(kind=None):
    """nbconvert's PDF exporter (or another ``kind``, e.g. LatexExporter) with our template:
    no inputs, no prompts, and the cells tagged :data:`LEFT_OUT_TAGS` removed."""
    from nbconvert import PDFExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(LEFT_OUT_TAGS)
    return (kind or PDFExporter)(
        config=c,
        template_name=TEMPLATE.name,
        extra_template_basedirs=[str(TEMPLATE.parent)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        filters={"tex_escape": tex_escape, "literal_ascii": literal_ascii},
    )


def literal_ascii(pandoc_json):
    """Template filter on pandoc's JSON of a Markdown text: words holding ASCII that XeLaTeX would
    turn into curly quotes, dashes or guillemets become raw LaTeX that prints them as they are.

    With pandoc's smart punctuation, the prose's quotes and dashes are already Unicode (or quote
    nodes) here; straight ones are left only where the Markdown escaped them, as
    :func:`rnn_lib.display.markdown_escape` does with a user's string."""
    doc = json.loads(pandoc_json)
    _make_literal(doc["blocks"])
    return json.dumps(doc)


def _make_literal(node):
    """:func:`literal_ascii` on one node of pandoc's JSON and everything under it, in place."""
    if isinstance(node, list):
        for item in node:
            _make_literal(item)
    elif isinstance(node, dict):
        if node.get("t") == "Str" and _LIGATURE_PRONE.search(node["c"]):
            node["t"], node["c"] = "RawInline", ["latex", tex_escape(node["c"])]
        else:
            _make_literal(node.get("c"))


def _resources(**more):
    """nbconvert's resources for our notebooks: relative paths (figures) are the notebooks folder's."""
    return {"metadata": {"path": str(NOTEBOOKS)}, **more}


def export_pdf(nb, out_pdf, tex_dir=None):
    """``jupyter nbconvert --to pdf`` on ``nb`` with our template; writes ``out_pdf``.

    When XeLaTeX fails, the LaTeX goes to ``tex_dir`` (default: next to ``out_pdf``) as
    ``report.tex``, and :class:`LatexError` quotes the log's error lines and names that file."""
    from nbconvert.exporters.pdf import LatexFailed

    out_pdf = Path(out_pdf)
    try:
        pdf, _ = exporter().from_notebook_node(nb, resources=_resources())
    except LatexFailed as err:
        tex = keep_tex(nb, Path(tex_dir or out_pdf.parent))
        quoted = "\n".join("  " + line for line in latex_errors(err.output))
        raise LatexError(
            f"XeLaTeX could not typeset the report:\n{quoted}\n"
            f"The LaTeX is kept in {tex} (run xelatex {tex.name} in its folder for the whole log)."
        ) from None
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)
    return out_pdf


def keep_tex(nb, tex_dir):
    """Write ``nb`` as LaTeX to ``tex_dir``/report.tex, its figures to report_files/; returns the .tex path."""
    from nbconvert import LatexExporter
    from nbconvert.writers import FilesWriter

    latex, resources = exporter(LatexExporter).from_notebook_node(
        nb, resources=_resources(output_files_dir="report_files")
    )
    return Path(FilesWriter(build_directory=str(tex_dir)).write(latex, resources, notebook_name="report"))


def latex_errors(log, after=3, limit=3):
    """What a TeX log says went wrong: the first ``limit`` lines starting with "!", each with up to
    ``after`` non-blank lines that follow it (where TeX shows the input it stopped at)."""
    lines = log.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("!") and not _AFTERMATH.match(line)][:limit]
    if not starts:  # no error line (TeX itself crashed, say): the end of the log is the best clue
        return [line for line in lines if line.strip()][-after:]
    shown = []
    for i in starts:
        context = [line for line in lines[i + 1 : i + 1 + 2 * after] if line.strip()]
        shown += [lines[i], *_until_next_error(context)[:after]]
    return shown


def _until_next_error(lines):
    """``lines`` up to the next error line or TeX's prompt ("?")."""
    for k, line in enumerate(lines):
        if line.startswith(("!", "?")):
            return lines[:k]
    return lines


def title_metadata(corpus, author=DEFAULT_AUTHOR, quick=False, today=None):
    """The notebook metadata that the template's title page shows: title, a subtitle naming the
    corpus file, the author, the date. Plain text, as the user gave it: the template escapes it."""
    today = today or datetime.date.today()
    return {
        "title": TITLE,
        "subtitle": "DD2424 Assignment 4: a vanilla character-level RNN, from scratch in NumPy, trained on "
        + Path(corpus).name
        + (" (quick run)" if quick else ""),
        "authors": [{"name": author}],
        "date": f"{today.day} {today:%B %Y}",
    }


def plan(quick=False, corpus=None, run_dir=None, out=None, build_dir=None, author=None, **parameters):
    """What :func:`build` does with these arguments, resolved: the corpus, the author, where the
    PDF and the executed notebooks go, and the notebooks' parameters. Plain values (``--dry-run``
    prints them as JSON); ``parameters`` override the report's settings (:class:`rnn_lib.config.Report`)."""
    corpus = str(Path(corpus).resolve()) if corpus else None
    run_dir = Path(run_dir or default_run_dir(corpus, quick=quick)).resolve()
    return {
        "quick": quick,
        "corpus": corpus or str(default_corpus()),
        "author": author or DEFAULT_AUTHOR,
        "out": str(Path(out or ROOT / "report" / "report.pdf").resolve()),
        "build_dir": str(Path(build_dir or ROOT / "build" / run_dir.name).resolve()),
        "parameters": config.report_parameters(quick, corpus=corpus, run_dir=str(run_dir), **parameters),
    }


def build(
    quick=False,
    corpus=None,
    run_dir=None,
    out=None,
    build_dir=None,
    author=None,
    chapters=CHAPTERS,
    log=print,
    progress=True,
    **parameters,
):
    """Execute the chapters on ``corpus`` (default: the default corpus) and write the PDF; returns its path.

    ``parameters`` override the report's settings (:class:`rnn_lib.config.Report`)."""
    todo = plan(quick, corpus, run_dir, out, build_dir, author, **parameters)
    build_dir, out, values = Path(todo["build_dir"]), Path(todo["out"]), todo["parameters"]
    begin = time.perf_counter()
    if "02_training" in chapters or "05_beyond" in chapters:  # every run first, in one pool per stage
        from . import plans

        log(f"training the report's runs in {values['run_dir']} (finished ones are read)")
        plans.train_all(values, jobs=values["jobs"], progress=progress, chapter_2="02_training" in chapters,
                        chapter_5="05_beyond" in chapters)  # fmt: skip
    executed = []
    for k, name in enumerate(chapters, start=1):
        log(f"chapter {k} of {len(chapters)}: {name} ...")
        start = time.perf_counter()
        executed.append(execute(NOTEBOOKS / f"{name}.ipynb", values, build_dir / f"{name}.ipynb"))
        log(f"chapter {k} of {len(chapters)}: {name} ran in {time.perf_counter() - start:.1f} s")
    export_pdf(merge(executed, title_metadata(todo["corpus"], todo["author"], quick)), out, tex_dir=build_dir)
    minutes, seconds = divmod(round(time.perf_counter() - begin), 60)
    log(f"wrote {out} in {minutes} min {seconds} s (executed notebooks in {build_dir})")
    return out


def from_environment(name):
    """The default of option ``name`` from its :data:`ENVIRONMENT` variable; None when unset or empty."""
    return os.environ.get(ENVIRONMENT[name]) or None


EPILOG = f"""environment:
  {ENVIRONMENT["corpus"]}, {ENVIRONMENT["author"]}
        the defaults of --corpus and --author, when set and not empty. `make report` passes its
        CORPUS and AUTHOR this way, so that quotes, $, spaces and backslashes arrive as typed."""


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m rnn_lib.report",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--quick", action="store_true", help="short runs: the whole report in about a minute")
    p.add_argument("--out", help="PDF to write (default: report/report.pdf)")
    p.add_argument("--author", help=f"name on the title (default: ${ENVIRONMENT['author']}, else {DEFAULT_AUTHOR})")
    p.add_argument("--build-dir", help="where the executed notebooks go (default: build/<run folder name>)")
    p.add_argument(
        "--dry-run", action="store_true", help="print the resolved settings as JSON and exit; reads and runs nothing"
    )
    settings.add_arguments(p.add_argument_group("the notebooks' parameters"), config.Report)
    args = p.parse_args(argv)
    given = settings.given(config.Report, args)
    given.setdefault("corpus", from_environment("corpus"))
    author = args.author or from_environment("author")
    if args.dry_run:
        print(json.dumps(plan(args.quick, out=args.out, author=author, build_dir=args.build_dir, **given), indent=1))
        return 0
    try:
        if given.get("corpus"):
            read_text(given["corpus"])  # a clear error now rather than inside the first notebook
        build(quick=args.quick, out=args.out, author=author, build_dir=args.build_dir, **given)
    except (NotebookFailed, CorpusError, LatexError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
