"""The report's build: three documents (:mod:`rnn_lib.report.documents`), each written as soon as its runs are.

Every run of the documents asked for goes to one pool of worker processes at the start, the assignment's
first (:mod:`rnn_lib.report.runs`); when a document's runs are trained, papermill executes its chapters
with the report's parameters (:class:`rnn_lib.report.parameters.Report`, the quick values with ``--quick``)
into ``build/``, while the pool goes on with the next documents' runs, and :mod:`rnn_lib.report.pdf`
writes its PDF.

    python -m rnn_lib.report [--quick] [--only assignment] [--corpus FILE] [--author NAME] [--epochs 5 ...]
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
from ..training.pool import SweepFailed
from ..training.progress import minutes
from ..training.run_folder import default_run_dir
from . import runs
from .documents import DEFAULT_AUTHOR, DOCUMENTS, ORDER, chosen, title_metadata
from .parameters import Report, report_parameters
from .pdf import LIVE_ONLY, NOTEBOOKS, ROOT, LatexError, export_pdf, merge

# Environment variables that give --corpus, --texts, --author and --only their defaults: `make report`
# passes CORPUS, TEXTS, AUTHOR and ONLY through them, so that no shell ever reads the user's strings.
ENVIRONMENT = {"corpus": "RNN_CORPUS", "encoding": "RNN_ENCODING", "texts": "RNN_TEXTS", "author": "RNN_AUTHOR",
               "only": "RNN_ONLY"}  # fmt: skip


class NotebookFailed(RuntimeError):
    """A chapter raised an error; the executed notebook shows where."""


# No cell of a chapter runs a minute once its runs are trained. One that stays silent this long met the known hang
# of a widget's cell under papermill (nteract/papermill#723, jupyter/nbclient#312: both sides wait), seen in our
# builds in chapter 4's slider, its output complete and only the kernel's last message awaited: once the allowance
# has passed, nbclient goes on, or the chapter runs again, once. A widget's cell (tagged LIVE_ONLY) takes seconds,
# so it is given a minute.
CELL_TIMEOUT = 15 * 60
LIVE_TIMEOUT = 60


def execute(path, parameters, out_path, say=print, timeout=CELL_TIMEOUT, live_timeout=LIVE_TIMEOUT):
    """Run notebook ``path`` with the ``parameters`` it declares, in the notebooks folder;
    write it, outputs and all, to ``out_path`` (also when it fails) and return it. A chapter with a cell that
    gives no answer for ``timeout`` seconds (``live_timeout`` for a widget's) runs again, once, and ``say`` tells it."""
    import papermill

    declared = papermill.inspect_notebook(_literal(path))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    waited = [timeout]  # the allowance of the cell that runs

    def allowance(cell):
        waited[0] = live_timeout if LIVE_ONLY in cell.get("metadata", {}).get("tags", []) else timeout
        return waited[0]

    for attempt in (1, 2):
        try:
            return papermill.execute_notebook(
                _literal(path),
                _literal(out_path),
                parameters={k: v for k, v in parameters.items() if k in declared},
                # the kernel starts in the notebooks folder, and this process stays where it is (papermill's cwd=
                # would chdir it, which a caller with relative paths of its own does not expect)
                resources={"metadata": {"path": str(NOTEBOOKS)}},
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=timeout,
                timeout_func=allowance,
                # the kernel app's own warnings (that it talks over TCP on this machine) are no news to
                # a user; the notebooks' output, errors included, is kept in the executed notebook
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except papermill.PapermillExecutionError as err:
            raise NotebookFailed(
                f"{path.stem} failed with {err.ename}: {err.evalue}\nThe executed notebook, {out_path}, shows where."
            ) from None
        except TimeoutError:  # nbclient's CellTimeoutError
            if attempt == 2:
                raise NotebookFailed(
                    f"{path.stem} stopped answering twice, for {waited[0] / 60:g} min the second time; "
                    f"{out_path} shows the cell: run the same command again"
                ) from None
            say(f"{path.stem}: a cell gave no answer for {waited[0] / 60:g} min; running the chapter again")


def _literal(path):
    """``path`` as papermill reads it: a format string, in which the braces of a name must be doubled."""
    return str(path).replace("{", "{{").replace("}", "}}")


def plan(quick=False, corpus=None, run_dir=None, out_dir=None, build_dir=None, author=None, only=None, **parameters):
    """What :func:`build` does with these arguments, resolved: the documents, the corpus, the author, where
    the PDFs and the executed notebooks go, and the notebooks' parameters. Plain values (``--dry-run`` prints
    them as JSON); ``parameters`` override the report's settings (:class:`rnn_lib.report.parameters.Report`)."""
    corpus = str(Path(corpus).resolve()) if corpus else None
    if parameters.get("texts"):  # the notebooks run in their own folder
        parameters["texts"] = str(Path(parameters["texts"]).resolve())
    run_dir = Path(run_dir or default_run_dir(corpus, quick=quick)).resolve()
    out_dir = Path(out_dir or ROOT / "report").resolve()
    documents = chosen(only)
    return {
        "quick": quick,
        "documents": {name: str(out_dir / f"{name}.pdf") for name in documents},
        "corpus": corpus or str(default_corpus()),
        "author": author or DEFAULT_AUTHOR,
        "build_dir": str(Path(build_dir or ROOT / "build" / run_dir.name).resolve()),
        "parameters": report_parameters(quick, corpus=corpus, run_dir=str(run_dir), **parameters),
    }


def build(quick=False, corpus=None, run_dir=None, out_dir=None, build_dir=None, author=None, only=None, log=print,
          progress=True, **parameters):  # fmt: skip
    """Train the runs of the documents ``only`` names (default: all three), then write each one's PDF as soon
    as its runs are trained; returns ``{document: PDF path}``. ``parameters`` override the report's settings
    (:class:`rnn_lib.report.parameters.Report`)."""
    todo = plan(quick, corpus, run_dir, out_dir, build_dir, author, only, **parameters)
    values, begin, written = todo["parameters"], time.perf_counter(), {}
    log(f"training the runs of {', '.join(todo['documents'])} in {values['run_dir']} (finished ones are read)")
    with runs.start(list(todo["documents"]), values, progress) as workers:
        say = workers.log if progress else log  # above the bar, which goes on with the next documents' runs
        for name, out in todo["documents"].items():
            start = time.perf_counter()
            runs.train_document(workers, name, values)
            say(f"{name}: its runs are trained, {minutes(time.perf_counter() - begin)} into the build")
            written[name] = _write(name, Path(out), todo, say)
            say(f"wrote {out} in {minutes(time.perf_counter() - start)}, {minutes(time.perf_counter() - begin)} "
                f"into the build (executed notebooks in {todo['build_dir']})")  # fmt: skip
    return written


def _write(name, out, todo, say):
    """Execute the chapters of document ``name`` and write its PDF to ``out``."""
    chapters, build_dir, executed = DOCUMENTS[name].chapters, Path(todo["build_dir"]), []
    # One after the other: side by side, in two threads, 3 of 11 quick builds waited on chapter 4's slider (the
    # hang of LIVE_TIMEOUT's comment), and none of 8 one after the other on the same loaded machine.
    for k, chapter in enumerate(chapters, start=1):
        start = time.perf_counter()
        executed.append(
            execute(NOTEBOOKS / f"{chapter}.ipynb", todo["parameters"], build_dir / f"{chapter}.ipynb", say)
        )
        say(f"{name}, chapter {k} of {len(chapters)}: {chapter} ran in {minutes(time.perf_counter() - start)}")
    texts = runs.texts_corpus(**todo["parameters"])
    metadata = title_metadata(name, todo["corpus"], texts, todo["author"], todo["quick"])
    return export_pdf(merge(executed, metadata, [int(c[:2]) for c in chapters]), out, tex_dir=build_dir)


def from_environment(name):
    """The default of option ``name`` from its :data:`ENVIRONMENT` variable; None when unset or empty."""
    return os.environ.get(ENVIRONMENT[name]) or None


EPILOG = f"""environment:
  {", ".join(ENVIRONMENT.values())}
        the defaults of --corpus, --encoding, --texts, --author and --only, when set and not empty.
        `make report` passes its CORPUS, ENCODING, TEXTS, AUTHOR and ONLY this way, so that quotes, $,
        spaces and backslashes arrive as typed."""


def main(argv=None):
    p = options.Parser(  # a mistake in the options is one line, as every other
        prog="python -m rnn_lib.report",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--quick", action="store_true", help="short runs: the whole report in about two minutes")
    only = f"build only these documents (default: ${ENVIRONMENT['only']}, else all: {' '.join(ORDER)})"
    p.add_argument("--only", nargs="+", choices=ORDER, help=only)
    p.add_argument("--out-dir", help="folder of the PDFs, <document>.pdf (default: report/)")
    p.add_argument("--author", help=f"name on the title (default: ${ENVIRONMENT['author']}, else {DEFAULT_AUTHOR})")
    p.add_argument("--build-dir", help="where the executed notebooks go (default: build/<run folder name>)")
    p.add_argument(
        "--dry-run", action="store_true", help="print the resolved settings as JSON and exit; reads and runs nothing"
    )
    options.add_arguments(p.add_argument_group("the notebooks' parameters"), Report)
    args = p.parse_args(argv)
    given = options.given(Report, args)
    given.setdefault("corpus", from_environment("corpus"))
    given.setdefault("encoding", from_environment("encoding"))
    given.setdefault("texts", from_environment("texts"))
    author = args.author or from_environment("author")
    where = dict(
        out_dir=args.out_dir, author=author, build_dir=args.build_dir, only=args.only or from_environment("only")
    )
    if args.dry_run:
        try:
            print(json.dumps(plan(args.quick, **where, **given), indent=1))
        except ValueError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        return 0
    try:
        # a clear error now rather than one per run, or inside a notebook
        read_text(given.get("corpus") or default_corpus(), given.get("encoding") or Report.encoding)
        if given.get("texts"):
            read_documents(given["texts"], given.get("texts_format", "auto"), given.get("texts_limit", 140),
                           given.get("texts_too_long", "skip"))  # fmt: skip
        build(quick=args.quick, **where, **given)
    except KeyboardInterrupt:
        print("error: interrupted: every run saved what it trained; run the same command to continue",
              file=sys.stderr)  # fmt: skip
        return 130
    except SweepFailed as err:  # the other runs are trained and kept
        print("\n".join(f"error: {line}" for line in err.lines), file=sys.stderr)
        return 1
    except (NotebookFailed, CorpusError, LatexError, ValueError, ImportError, OSError) as err:  # Dask's, too
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
