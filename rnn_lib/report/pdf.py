"""The chapters of a document → one PDF: the merge, our template, and a LaTeX failure told in a few lines.

nbconvert's PDF exporter writes the merged notebook with the template in ``report/template``
(no code, A4, DejaVu fonts); cells tagged :data:`LEFT_OUT_TAGS` stay out. Whatever the corpus
name and the author hold, they are printed as they are.
"""

import copy
import json
import re
from pathlib import Path

from ..text.corpus import ROOT
from .display import tex_escape

NOTEBOOKS = ROOT / "notebooks"  # relative paths in the notebooks (figures) are this folder's
TEMPLATE = ROOT / "report" / "template"
# Cells the PDF leaves out: what only makes sense live (the slider), and the parameters.
LIVE_ONLY = "skip-report"  # the tag of a cell for Jupyter alone: a slider, the explorer
LEFT_OUT_TAGS = (LIVE_ONLY, "parameters", "injected-parameters")
# ASCII that pandoc writes into LaTeX as it is and XeLaTeX's TeX ligatures would then change:
# straight quotes (pandoc also writes its curly quotes as ` and '), -- ,, << >>.
_LIGATURE_PRONE = re.compile(r"['\"`]|--|,,|<<|>>")
# TeX's error lines that only say that an earlier error stopped it
_AFTERMATH = re.compile(r"! (Emergency stop|\s*==> Fatal error)")


class LatexError(RuntimeError):
    """XeLaTeX could not typeset the report; the message quotes its log and names the kept .tex file."""


def _report_outputs(outputs):
    """Outputs a PDF can show: no progress bars (stderr), no live widgets."""
    return [
        o
        for o in outputs
        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
        and "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
    ]


def merge(notebooks, metadata, numbers=None):
    """One notebook of the chapters, in order; code cells keep only what a PDF can show. ``numbers``: the
    chapters' numbers in the whole report, so that a document of chapters 5 and 7 numbers them so."""
    import nbformat  # here, not at the top: it takes seconds to import, and --help or --dry-run need none of it

    merged = nbformat.v4.new_notebook(metadata=metadata)
    for k, nb in enumerate(notebooks):
        if numbers:
            counter = f"\\setcounter{{section}}{{{numbers[k] - 1}}}"
            merged.cells.append(nbformat.v4.new_raw_cell(counter, metadata={"raw_mimetype": "text/latex"}))
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
        raw_mimetypes=["text/latex", ""],  # the PDF exporter's own default, application/pdf, would drop raw LaTeX
        filters={"tex_escape": tex_escape, "literal_ascii": literal_ascii},
    )


def literal_ascii(pandoc_json):
    """Template filter on pandoc's JSON of a Markdown text: words holding ASCII that XeLaTeX would
    turn into curly quotes, dashes or guillemets become raw LaTeX that prints them as they are.

    With pandoc's smart punctuation, the prose's quotes and dashes are already Unicode (or quote
    nodes) here; straight ones are left only where the Markdown escaped them, as
    :func:`rnn_lib.report.display.markdown_escape` does with a user's string."""
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
    ``<name of out_pdf>.tex``, and :class:`LatexError` quotes the log's error lines and names that file."""
    from nbconvert.exporters.pdf import LatexFailed

    out_pdf = Path(out_pdf)
    try:
        pdf, _ = exporter().from_notebook_node(nb, resources=_resources())
    except LatexFailed as err:
        tex = keep_tex(nb, Path(tex_dir or out_pdf.parent), out_pdf.stem)
        quoted = "\n".join("  " + line for line in latex_errors(err.output))
        raise LatexError(
            f"XeLaTeX could not typeset {out_pdf.name}:\n{quoted}\n"
            f"The LaTeX is kept in {tex} (run xelatex {tex.name} in its folder for the whole log)."
        ) from None
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)
    return out_pdf


def keep_tex(nb, tex_dir, name="report"):
    """Write ``nb`` as LaTeX to ``tex_dir``/``name``.tex, its figures to ``name``_files/; returns the .tex path."""
    from nbconvert import LatexExporter
    from nbconvert.writers import FilesWriter

    latex, resources = exporter(LatexExporter).from_notebook_node(
        nb, resources=_resources(output_files_dir=f"{name}_files")
    )
    return Path(FilesWriter(build_directory=str(tex_dir)).write(latex, resources, notebook_name=name))


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
