"""The report's parameters, declared once: what its notebooks' ``parameters`` cells read.

Each field is a setting (:func:`rnn_lib.training.options.setting`) with its default, its help and,
where a quick report differs, its quick value. The notebooks read their defaults from
:class:`Report`; the report builder (:mod:`rnn_lib.report.build`) offers every field as an option
and takes the quick values from here. Training's own settings stay in :mod:`rnn_lib.training.settings`,
where the runs go among them (:class:`rnn_lib.training.settings.Cluster`, which :class:`Report` extends).
"""

import dataclasses

from ..text.documents import FORMATS, TOO_LONG
from ..training import engines
from ..training.options import check, quick_values, setting
from ..training.settings import CORPUS_HELP, ENCODING_HELP, Cluster, Config


@dataclasses.dataclass
class Report(Cluster):
    """The parameters of the report's notebooks: the full report's values, and the quick ones."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    encoding: str = setting(Config.encoding, ENCODING_HELP)
    run_dir: str = setting(None, "run folder (default: runs/<corpus name>, or runs/<corpus name>-quick)", type=str)
    seed: int = setting(Config.seed, "seed of the report's main run and of every sample", minimum=0)
    engine: str = setting(Config.engine, "who runs the updates (as for train)", choices=engines.ENGINES)
    jobs: int = setting(None, "workers for independent runs (default: one per core; on Slurm, one per run)", type=int,
                        minimum=1)  # fmt: skip
    seeds: int = setting(5, "runs of the assignment's settings, seeds seed, seed + 1, ... (chapter 2)", minimum=1,
                         quick=3)  # fmt: skip
    compare_seeds: int = setting(3, "seeds of every setting compared in chapter 5", minimum=1, quick=2)
    gradcheck_max_entries: int = setting(None, "entries checked per parameter (None: all)", type=int, minimum=1,
                                         quick=300)  # fmt: skip
    epochs: float = setting(10.0, "length of the main run (chapter 2) and of the held-out run (chapter 5)",
                            positive=True, quick=None)  # fmt: skip
    steps: int = setting(None, "the same in updates; overrides epochs", type=int, minimum=1, quick=20_000)
    until: int = setting(100_000, "chapter 3 shows the samples up to this update", minimum=0)
    length: int = setting(1000, "characters of the best model's passage (chapter 4)", minimum=1)
    temperatures: list = setting((0.5, 0.8, 1.0, 1.3), "temperatures of the fixed passages (chapter 4)", positive=True)
    comparison_length: int = setting(300, "characters of each fixed passage (chapter 4)", minimum=1)
    compare_epochs: float = setting(1.0, "budget of each optimizer and capacity run (chapter 5)", positive=True,
                                    quick=None)  # fmt: skip
    compare_steps: int = setting(None, "the same budget in updates", type=int, minimum=1, quick=4_000)
    eval_every: int = setting(Config.eval_every, "updates between two held-out evaluations (chapter 5)", minimum=1,
                              quick=2_000)  # fmt: skip
    max_order: int = setting(7, "n-gram orders 1 .. max_order (chapter 5)", minimum=1, maximum=9, quick=4)
    lstm_seeds: int = setting(3, "seeds of each short run of chapter 7 (minibatches, the LSTM at the RNN's size)",
                              minimum=1, quick=2)  # fmt: skip
    lstm_epochs: float = setting(3.0, "length of chapter 7's short runs", positive=True, quick=None)
    lstm_steps: int = setting(None, "the same in updates", type=int, minimum=1, quick=60)
    lstm_gradcheck_entries: int = setting(1000, "entries checked per parameter of the LSTM (chapter 7)", minimum=1,
                                          quick=100)  # fmt: skip
    lstm_eval_every: int = setting(250, "updates between two held-out evaluations (chapter 7)", minimum=1, quick=20)
    wide_m: int = setting(256, "hidden units of chapter 7's wide LSTM", minimum=1, quick=32)
    wide_seeds: int = setting(2, "seeds of chapter 7's wide LSTM, the long runs", minimum=1)
    wide_epochs: float = setting(8.0, "length of the wide LSTM's runs with a constant step", positive=True,
                                 quick=None)  # fmt: skip
    wide_steps: int = setting(None, "the same in updates", type=int, minimum=1, quick=60)
    recipe_epochs: float = setting(8.0, "length of the wide LSTM's runs with chapter 7's recipe", positive=True,
                                   quick=None)  # fmt: skip
    recipe_steps: int = setting(None, "the same in updates", type=int, minimum=1, quick=80)
    wide_eval_every: int = setting(500, "updates between two held-out evaluations of the wide LSTM", minimum=1,
                                   quick=20)  # fmt: skip
    texts: str = setting(None, "short documents of chapter 6 (default: data/tinyshakespeare.txt's speeches); "
                         "a tweet archive's JSON export works too", type=str)  # fmt: skip
    texts_format: str = setting("auto", "their format (as train --documents)", choices=FORMATS)
    texts_limit: int = setting(Config.limit, "most characters of a document and of a generated text (chapter 6)",
                               minimum=1)  # fmt: skip
    texts_too_long: str = setting("skip", "cut or skip a longer document (chapter 6)", choices=TOO_LONG)
    texts_seeds: int = setting(3, "seeds of each chunk length compared in chapter 6", minimum=1, quick=2)
    texts_epochs: float = setting(10.0, "length of chapter 6's runs, the same for both chunk lengths", positive=True,
                                  quick=0.3)  # fmt: skip
    texts_eval_every: int = setting(5_000, "updates between two held-out evaluations (chapter 6)", minimum=1,
                                    quick=1_000)  # fmt: skip
    texts_stages: list = setting((0, 1_000, 5_000, 20_000), "updates after which chapter 6 shows generated texts",
                                 type=int, minimum=0, quick=(0, 1_000))  # fmt: skip


def report_parameters(quick=False, **given):
    """The parameters of every notebook of the report: :class:`Report`'s defaults, the quick
    values if ``quick``, then the non-None values ``given``; a checked dict of plain values for papermill."""
    values = {**quick_values(Report, quick), **{k: v for k, v in given.items() if v is not None}}
    check(Report(**values)).validate()  # --cluster's value too
    return values


def gathered(namespace):
    """The report's parameters that a notebook holds, read from its variables (``globals()``) once,
    so that no chapter types them again: ``{name: value}`` for the functions of :mod:`rnn_lib.report.runs`,
    which take them as keywords and ignore the rest."""
    return {f.name: namespace[f.name] for f in dataclasses.fields(Report) if f.name in namespace}
