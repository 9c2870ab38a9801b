"""Every setting, declared once: its default, type, help and allowed values.

The command line (:mod:`rnn_lib.__main__`) derives its options from these dataclasses and
checks them with :func:`rnn_lib.settings.check`; the notebooks' ``parameters`` cells read
their defaults from :class:`Report`, and the report builder takes the quick values from
the same place. Adding a setting means adding one field here.
"""

import dataclasses

from . import engines, optim
from .documents import FORMATS, TOO_LONG
from .networks import NAMES as NETWORKS
from .settings import check, quick_values, setting

CORPUS_HELP = "UTF-8 text (default: data/goblet_book.txt if present, else data/tinyshakespeare.txt)"


@dataclasses.dataclass
class Config:
    """Hyperparameters of one training run; the defaults are the assignment's."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    documents: str = setting(
        None,
        "read the corpus as short documents (tweets) in this format and train on each from h = 0, "
        "ended by an end-of-text character (the bonus exercise); auto: .json, .csv, blank-line blocks, else lines",
        type=str,
        choices=FORMATS,
    )
    limit: int = setting(140, "with --documents: most characters of a document, and of a generated text", minimum=1)
    too_long: str = setting("cut", "with --documents: cut a longer document to the limit, or skip it",
                            choices=TOO_LONG)  # fmt: skip
    model: str = setting("rnn", "the network: rnn (the assignment's) or lstm", choices=NETWORKS)
    batch: int = setting(1, "streams read side by side, a chunk of each per update (char-rnn's minibatches); "
                         "1 is the assignment's training", minimum=1)  # fmt: skip
    dtype: str = setting("float64", "with --model lstm or --batch: float32 is about twice as fast; float64 is the "
                         "assignment's and the gradient check's", choices=("float64", "float32"))  # fmt: skip
    m: int = setting(100, "hidden units", minimum=1)
    seq_length: int = setting(25, "characters per chunk: the length of backpropagation through time", minimum=1)
    sigma: float = setting(0.01, "initial weights are sigma * randn", positive=True)
    optimizer: str = setting("adagrad", "optimizer", choices=tuple(optim.DEFAULTS))
    eta: float = setting(None, "learning rate (default: the optimizer's; AdaGrad 0.1)", type=float, positive=True)
    clip: float = setting(5.0, "clip every gradient entry to [-clip, clip]", positive=True)
    epochs: float = setting(2.0, "passes over the corpus", positive=True, optional=True)
    steps: int = setting(None, "total updates (overrides --epochs)", type=int, minimum=1)
    seed: int = setting(0, "seed of the initial weights and of the samples", minimum=0)
    history_every: int = setting(100, "updates between two rows of history.csv", minimum=1)
    sample_every: int = setting(10_000, "updates between two samples in samples.json", minimum=1)
    sample_length: int = setting(200, "characters per sample (0: no samples)", minimum=0)
    sample_texts: int = setting(6, "with --documents: whole texts per sample, instead of a passage", minimum=0)
    checkpoint_every: int = setting(10_000, "updates between two saves of last.npz and best.npz", minimum=1)
    validation: float = setting(
        0.0,
        "hold out this fraction before the test part, to choose checkpoints and settings on (e.g. 0.1)",
        minimum=0,
        maximum=0.5,
    )
    test: float = setting(
        0.0, "hold out this fraction at the very end, to report on (e.g. 0.1)", minimum=0, maximum=0.5
    )
    eval_every: int = setting(10_000, "updates between two evaluations of the held-out parts", minimum=1)
    engine: str = setting(
        "auto", "who runs the updates: numba (compiled) or numpy; auto: numba when installed", choices=engines.ENGINES
    )

    def validate(self):
        """Raise ValueError naming the first setting out of range, ImportError for a missing engine; returns self."""
        check(self)
        if self.epochs is None and self.steps is None:
            raise ValueError("give --epochs or --steps: how long to train")
        if self.test and not self.validation:
            raise ValueError("--test needs --validation: choices are made on validation text, never on test text")
        if self.dtype != "float64" and not self.minibatch:
            raise ValueError("--dtype float32 is for minibatches (--batch) and the LSTM (--model lstm)")
        if self.documents and self.minibatch:
            raise ValueError("--documents trains the assignment's RNN on one stream: leave out --model and --batch")
        engines.resolve(self.engine)
        return self

    @property
    def minibatch(self):
        """Whether training reads streams side by side (:mod:`rnn_lib.streams`), not the assignment's one text."""
        return self.model != "rnn" or self.batch > 1

    def differences(self, other):
        """Settings in which ``other`` trains another network, or the same one another way.

        How long to train, the engine, and how often to checkpoint or evaluate may change
        between two sessions of one run."""
        free = {"epochs", "steps", "engine", "checkpoint_every", "eval_every"}
        fields = dataclasses.fields(self)
        return [f.name for f in fields if f.name not in free and getattr(self, f.name) != getattr(other, f.name)]


@dataclasses.dataclass
class GradCheck:
    """The gradient check of the CLI and of chapter 1."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    m: int = setting(100, "hidden units", minimum=1)
    sigma: float = setting(
        0.1, "a larger sigma than training's 0.01 keeps gradients well above the rounding error of the differences",
        positive=True,
    )  # fmt: skip
    seq_length: int = setting(Config.seq_length, "characters of the chunk checked", minimum=1)
    h: float = setting(1e-4, "step of the centred differences", positive=True)
    max_entries: int = setting(
        None, "check at most this many entries per parameter (default: all)", type=int, minimum=1
    )
    seed: int = setting(0, "seed of the weights and of the entries checked", minimum=0)


@dataclasses.dataclass
class Sampling:
    """Writing with a trained model."""

    run: str = setting(None, "run folder (default: runs/<name of the default corpus>)", type=str)
    checkpoint: str = setting("best", "which parameters", choices=("best", "last"))
    length: int = setting(1000, "characters to write", minimum=0)
    temperature: float = setting(1.0, "divide the logits by this before the softmax", positive=True)
    top_p: float = setting(
        None, "nucleus sampling: keep this much probability mass", type=float, positive=True, maximum=1
    )
    prime: str = setting("\n", "text the network reads before it writes (default: a newline)")
    seed: int = setting(0, "seed of the random draws", minimum=0)
    texts: int = setting(10, "a model trained on documents writes this many whole texts instead (--length is unused)",
                         minimum=1)  # fmt: skip
    limit: int = setting(None, "most characters of such a text (default: the run's --limit)", type=int, minimum=1)


@dataclasses.dataclass
class Bench:
    """The speed benchmark."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    m: int = setting(100, "hidden units", minimum=1)
    rounds: int = setting(3, "alternating rounds; each implementation reports its best", minimum=1)
    seconds: float = setting(2.0, "length of one round", positive=True)
    sweep_runs: int = setting(4, "short runs of the sweep measured with one worker and with all (0: none)", minimum=0)


@dataclasses.dataclass
class Report:
    """The parameters of the report's notebooks: the full report's values, and the quick ones."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    run_dir: str = setting(None, "run folder (default: runs/<corpus name>, or runs/<corpus name>-quick)", type=str)
    seed: int = setting(Config.seed, "seed of the report's main run and of every sample", minimum=0)
    engine: str = setting(Config.engine, "who runs the updates (as for train)", choices=engines.ENGINES)
    jobs: int = setting(None, "worker processes for independent runs (default: one per core)", type=int, minimum=1)
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
    wide_epochs: float = setting(10.0, "length of the wide LSTM's runs", positive=True, quick=None)
    wide_steps: int = setting(None, "the same in updates", type=int, minimum=1, quick=60)
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
    check(Report(**values))
    return values
