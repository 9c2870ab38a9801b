"""The report's build: train its runs, execute its chapters, write one PDF.

The runs of :mod:`rnn_lib.report.runs` are trained first, on every core; then papermill executes
the chapters in order with the report's parameters (:class:`rnn_lib.report.parameters.Report`, the
quick values with ``--quick``) and keeps every executed notebook in ``build/``; :mod:`rnn_lib.report.pdf`
merges them and writes the PDF.

    python -m rnn_lib.report [--quick] [--corpus FILE] [--author NAME] [--out PDF] [--epochs 5 ...]
    python -m rnn_lib.report --dry-run ...   # the settings it would use, as JSON; runs nothing
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from ..text.corpus import CorpusError, default_corpus, read_text
from ..text.documents import read_documents
from ..training import options
from ..training.run_folder import default_run_dir
from . import runs
from .parameters import Report, report_parameters
from .pdf import DEFAULT_AUTHOR, NOTEBOOKS, ROOT, LatexError, export_pdf, merge, title_metadata

CHAPTERS = [
    "01_gradient_check",
    "02_training",
    "03_sample_evolution",
    "04_synthesis",
    "05_beyond",
    "06_short_texts",
    "07_lstm",
]
# Environment variables that give --corpus, --texts and --author their defaults: `make report` passes
# CORPUS, TEXTS and AUTHOR through them, so that no shell ever reads the user's strings.
ENVIRONMENT = {"corpus": "RNN_CORPUS", "texts": "RNN_TEXTS", "author": "RNN_AUTHOR"}


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
            # the kernel app's own warnings (that it talks over TCP on this machine) are no news to
            # a user; the notebooks' output, errors included, is kept in the executed notebook
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except papermill.PapermillExecutionError as err:
        raise NotebookFailed(
            f"{path.stem} failed with {err.ename}: {err.evalue}\nThe executed notebook, {out_path}, shows where."
        ) from None


def plan(quick=False, corpus=None, run_dir=None, out=None, build_dir=None, author=None, **parameters):
    """What :func:`build` does with these arguments, resolved: the corpus, the author, where the
    PDF and the executed notebooks go, and the notebooks' parameters. Plain values (``--dry-run``
    prints them as JSON); ``parameters`` override the report's settings (:class:`rnn_lib.report.parameters.Report`)."""
    corpus = str(Path(corpus).resolve()) if corpus else None
    if parameters.get("texts"):  # the notebooks run in their own folder
        parameters["texts"] = str(Path(parameters["texts"]).resolve())
    run_dir = Path(run_dir or default_run_dir(corpus, quick=quick)).resolve()
    return {
        "quick": quick,
        "corpus": corpus or str(default_corpus()),
        "author": author or DEFAULT_AUTHOR,
        "out": str(Path(out or ROOT / "report" / "report.pdf").resolve()),
        "build_dir": str(Path(build_dir or ROOT / "build" / run_dir.name).resolve()),
        "parameters": report_parameters(quick, corpus=corpus, run_dir=str(run_dir), **parameters),
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

    ``parameters`` override the report's settings (:class:`rnn_lib.report.parameters.Report`)."""
    todo = plan(quick, corpus, run_dir, out, build_dir, author, **parameters)
    build_dir, out, values = Path(todo["build_dir"]), Path(todo["out"]), todo["parameters"]
    begin = time.perf_counter()
    trained = {
        "chapter_2": "02_training",
        "chapter_5": "05_beyond",
        "chapter_6": "06_short_texts",
        "chapter_7": "07_lstm",
    }
    if any(name in chapters for name in trained.values()):  # every run first, in one pool per stage
        log(f"training the report's runs in {values['run_dir']} (finished ones are read)")
        runs.train_all(values, jobs=values["jobs"], progress=progress,
                        **{flag: name in chapters for flag, name in trained.items()})  # fmt: skip
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
  {ENVIRONMENT["corpus"]}, {ENVIRONMENT["texts"]}, {ENVIRONMENT["author"]}
        the defaults of --corpus, --texts and --author, when set and not empty. `make report` passes
        its CORPUS, TEXTS and AUTHOR this way, so that quotes, $, spaces and backslashes arrive as typed."""


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m rnn_lib.report",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--quick", action="store_true", help="short runs: the whole report in about two minutes")
    p.add_argument("--out", help="PDF to write (default: report/report.pdf)")
    p.add_argument("--author", help=f"name on the title (default: ${ENVIRONMENT['author']}, else {DEFAULT_AUTHOR})")
    p.add_argument("--build-dir", help="where the executed notebooks go (default: build/<run folder name>)")
    p.add_argument(
        "--dry-run", action="store_true", help="print the resolved settings as JSON and exit; reads and runs nothing"
    )
    options.add_arguments(p.add_argument_group("the notebooks' parameters"), Report)
    args = p.parse_args(argv)
    given = options.given(Report, args)
    given.setdefault("corpus", from_environment("corpus"))
    given.setdefault("texts", from_environment("texts"))
    author = args.author or from_environment("author")
    if args.dry_run:
        print(json.dumps(plan(args.quick, out=args.out, author=author, build_dir=args.build_dir, **given), indent=1))
        return 0
    try:
        if given.get("corpus"):  # a clear error now rather than inside a notebook
            read_text(given["corpus"])
        if given.get("texts"):
            read_documents(given["texts"], given.get("texts_format", "auto"), given.get("texts_limit", 140),
                           given.get("texts_too_long", "skip"))  # fmt: skip
        build(quick=args.quick, out=args.out, author=author, build_dir=args.build_dir, **given)
    except (NotebookFailed, CorpusError, LatexError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
