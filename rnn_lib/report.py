"""Notebooks → one PDF: execute the chapters in order with shared parameters, keep the
executed notebooks in ``build/``, merge them and export with ``jupyter nbconvert``'s PDF
exporter and our template (no code, A4, DejaVu fonts).

    python -m rnn_lib.report [--quick] [--corpus FILE] [--run-dir DIR] [--out report/report.pdf] [--author NAME]
"""
import argparse
import ast
import copy
import datetime
import sys
import time
from pathlib import Path

import nbformat

from .data import CorpusError, read_text
from .train import default_run_dir

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = ROOT / "report" / "template"
CHAPTERS = ["01_gradient_check", "02_training", "03_sample_evolution", "04_synthesis", "05_beyond"]
SKIP_TAG = "skip-report"  # cells that only make sense live (the slider)

# A short run that still has the samples at steps 0 and 10,000: seconds, not minutes.
QUICK = {"epochs": None, "steps": 20_000, "gradcheck_max_entries": 300,
         "compare_epochs": None, "compare_steps": 4_000, "eval_every": 2_000, "max_order": 4}


class NotebookFailed(RuntimeError):
    """A chapter raised an error; the executed notebook shows where."""


def parameter_names(nb):
    """Names assigned in the cell tagged ``parameters`` (the papermill convention)."""
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            return {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)}
    return set()


def inject_parameters(nb, params):
    """A copy of ``nb`` with a cell after its parameters cell that sets the known ``params``."""
    nb = copy.deepcopy(nb)
    known = parameter_names(nb)
    lines = [f"{k} = {v!r}" for k, v in params.items() if k in known]
    if not lines:
        return nb
    cell = nbformat.v4.new_code_cell("# Parameters set by rnn_lib.report\n" + "\n".join(lines),
                                     metadata={"tags": ["injected-parameters"]})
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    nb.cells.insert(tagged[0] + 1 if tagged else 0, cell)
    return nb


def execute(path, params, out_path):
    """Run notebook ``path`` with ``params`` in the notebooks folder; write it, outputs and all, to ``out_path``."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = inject_parameters(nbformat.read(path, as_version=4), params)
    client = NotebookClient(nb, timeout=None, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        client.execute()
    except CellExecutionError as err:  # `finally` still writes the notebook that shows where
        raise NotebookFailed(f"{path.stem} failed with {err.ename}: {err.evalue}\n"
                             f"The executed notebook, {out_path}, shows where.") from None
    finally:
        nbformat.write(nb, out_path)
    return nb


def _report_outputs(outputs):
    """Outputs a PDF can show: no progress bars (stderr), no live widgets."""
    return [o for o in outputs
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            and "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]


def merge(notebooks, metadata):
    """One notebook of all chapters, in order, with what the PDF shows."""
    merged = nbformat.v4.new_notebook(metadata=metadata)
    for nb in notebooks:
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if SKIP_TAG in tags or "parameters" in tags or "injected-parameters" in tags:
                continue
            cell = copy.deepcopy(cell)
            if cell.cell_type == "code":
                cell.outputs = _report_outputs(cell.outputs)
                if not cell.outputs:
                    continue
            merged.cells.append(cell)
    return merged


def export_pdf(nb, out_pdf):
    """``jupyter nbconvert --to pdf`` on ``nb`` with our template, inputs left out."""
    from nbconvert import PDFExporter

    exporter = PDFExporter(template_name=TEMPLATE.name, extra_template_basedirs=[str(TEMPLATE.parent)],
                           exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    pdf, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(NOTEBOOKS)}})
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)
    return out_pdf


def build(quick=False, corpus=None, run_dir=None, out=None, build_dir=None, author=None, chapters=CHAPTERS,
          log=print):
    """Execute the chapters on ``corpus`` (default: the default corpus) and write the PDF; returns its path."""
    corpus = str(Path(corpus).resolve()) if corpus else None
    run_dir = Path(run_dir or default_run_dir(corpus, quick=quick)).resolve()
    build_dir = Path(build_dir or ROOT / "build" / run_dir.name).resolve()
    out = Path(out or ROOT / "report" / "report.pdf").resolve()
    params = {"corpus": corpus, "run_dir": str(run_dir), **(QUICK if quick else {})}
    executed = []
    for name in chapters:
        start = time.perf_counter()
        executed.append(execute(NOTEBOOKS / f"{name}.ipynb", params, build_dir / f"{name}.ipynb"))
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
    p = argparse.ArgumentParser(prog="python -m rnn_lib.report", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a short training run: the whole report in about a minute")
    p.add_argument("--corpus", help="UTF-8 text to train on (default: data/goblet_book.txt if present, "
                   "else data/tinyshakespeare.txt)")
    p.add_argument("--run-dir", help="run folder (default: runs/<corpus name>, or runs/<corpus name>-quick)")
    p.add_argument("--out", help="PDF to write (default: report/report.pdf)")
    p.add_argument("--author", help="name on the title (default: The rnn_lib authors)")
    args = p.parse_args(argv)
    try:
        if args.corpus:
            read_text(args.corpus)  # a clear error now rather than inside the first notebook
        build(quick=args.quick, corpus=args.corpus, run_dir=args.run_dir, out=args.out, author=args.author)
    except (NotebookFailed, CorpusError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
