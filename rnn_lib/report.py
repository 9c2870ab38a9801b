"""Notebooks → one PDF.

papermill executes the chapters in order with the report's parameters
(:class:`rnn_lib.config.Report`, the quick values with ``--quick``) and keeps every
executed notebook in ``build/``; we merge them into one notebook with a title, and
``jupyter nbconvert``'s PDF exporter writes it with our template (no code, A4, DejaVu fonts).

    python -m rnn_lib.report [--quick] [--corpus FILE] [--author NAME] [--out PDF] [--epochs 5 ...]
"""

import argparse
import copy
import datetime
import sys
import time
from pathlib import Path

import nbformat

from . import config, settings
from .data import CorpusError, read_text
from .runs import default_run_dir

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = ROOT / "report" / "template"
CHAPTERS = ["01_gradient_check", "02_training", "03_sample_evolution", "04_synthesis", "05_beyond"]
# Cells the PDF leaves out: what only makes sense live (the slider), and the parameters.
LEFT_OUT_TAGS = ("skip-report", "parameters", "injected-parameters")


class NotebookFailed(RuntimeError):
    """A chapter raised an error; the executed notebook shows where."""


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
    )


def export_pdf(nb, out_pdf):
    """``jupyter nbconvert --to pdf`` on ``nb`` with our template; writes ``out_pdf``."""
    pdf, _ = exporter().from_notebook_node(nb, resources={"metadata": {"path": str(NOTEBOOKS)}})
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)
    return out_pdf


def build(
    quick=False,
    corpus=None,
    run_dir=None,
    out=None,
    build_dir=None,
    author=None,
    chapters=CHAPTERS,
    log=print,
    **parameters,
):
    """Execute the chapters on ``corpus`` (default: the default corpus) and write the PDF; returns its path.

    ``parameters`` override the report's settings (:class:`rnn_lib.config.Report`)."""
    corpus = str(Path(corpus).resolve()) if corpus else None
    run_dir = Path(run_dir or default_run_dir(corpus, quick=quick)).resolve()
    build_dir = Path(build_dir or ROOT / "build" / run_dir.name).resolve()
    out = Path(out or ROOT / "report" / "report.pdf").resolve()
    values = config.report_parameters(quick, corpus=corpus, run_dir=str(run_dir), **parameters)
    executed = []
    for name in chapters:
        start = time.perf_counter()
        executed.append(execute(NOTEBOOKS / f"{name}.ipynb", values, build_dir / f"{name}.ipynb"))
        log(f"ran {name} in {time.perf_counter() - start:.1f} s")
    metadata = {
        "title": "Teaching a recurrent network to write",
        "subtitle": "DD2424 Assignment 4: a vanilla character-level RNN, from scratch in NumPy"
        + (" (quick run)" if quick else ""),
        "authors": [{"name": author or "The rnn_lib authors"}],
        "date": datetime.date.today().strftime("%-d %B %Y"),
    }
    start = time.perf_counter()
    export_pdf(merge(executed, metadata), out)
    log(f"wrote {out} in {time.perf_counter() - start:.1f} s (executed notebooks in {build_dir})")
    return out


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m rnn_lib.report", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--quick", action="store_true", help="short runs: the whole report in about a minute")
    p.add_argument("--out", help="PDF to write (default: report/report.pdf)")
    p.add_argument("--author", help="name on the title (default: The rnn_lib authors)")
    p.add_argument("--build-dir", help="where the executed notebooks go (default: build/<run folder name>)")
    settings.add_arguments(p.add_argument_group("the notebooks' parameters"), config.Report)
    args = p.parse_args(argv)
    given = settings.given(config.Report, args)
    try:
        if given.get("corpus"):
            read_text(given["corpus"])  # a clear error now rather than inside the first notebook
        build(quick=args.quick, out=args.out, author=args.author, build_dir=args.build_dir, **given)
    except (NotebookFailed, CorpusError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
