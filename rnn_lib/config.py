"""Every setting, declared once: its default, type and help.

The command line (:mod:`rnn_lib.__main__`) derives its options from these dataclasses,
the notebooks' ``parameters`` cells read their defaults from :class:`Report`, and the
report builder takes the quick values from the same place. Adding a setting means
adding one field here.
"""

import argparse
import dataclasses

from . import engines, optim

MISSING = dataclasses.MISSING


def setting(default, help, type=None, choices=None, quick=MISSING):
    """A dataclass field with what the CLI needs to offer it; ``quick`` is its value in a quick report."""
    return dataclasses.field(
        default=default, metadata={"help": help, "type": type or _type_of(default), "choices": choices, "quick": quick}
    )


def _type_of(default):
    if default is None:
        raise TypeError("a setting whose default is None must give its type")
    return type(default)


CORPUS_HELP = "UTF-8 text (default: data/goblet_book.txt if present, else data/tinyshakespeare.txt)"


@dataclasses.dataclass
class Config:
    """Hyperparameters of one training run; the defaults are the assignment's."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    m: int = setting(100, "hidden units")
    seq_length: int = setting(25, "characters per chunk: the length of backpropagation through time")
    sigma: float = setting(0.01, "initial weights are sigma * randn")
    optimizer: str = setting("adagrad", "optimizer", choices=tuple(optim.DEFAULTS))
    eta: float = setting(None, "learning rate (default: the optimizer's; AdaGrad 0.1)", type=float)
    clip: float = setting(5.0, "clip every gradient entry to [-clip, clip]")
    epochs: float = setting(2.0, "passes over the corpus")
    steps: int = setting(None, "total updates (overrides --epochs)", type=int)
    seed: int = setting(0, "seed of the initial weights and of the samples")
    history_every: int = setting(100, "updates between two rows of history.csv")
    sample_every: int = setting(10_000, "updates between two samples in samples.json")
    sample_length: int = setting(200, "characters per sample (0: no samples)")
    checkpoint_every: int = setting(10_000, "updates between two saves of last.npz and best.npz")
    validation: float = setting(0.0, "hold out this fraction at the end of the corpus and report its loss (e.g. 0.1)")
    eval_every: int = setting(10_000, "updates between two evaluations of the held-out text")
    engine: str = setting(
        "auto", "who runs the updates: numba (compiled) or numpy; auto: numba when installed", choices=engines.ENGINES
    )

    def validate(self):
        """Raise ValueError naming the first setting out of range; returns self."""
        for name in (
            "m",
            "seq_length",
            "sigma",
            "clip",
            "history_every",
            "sample_every",
            "checkpoint_every",
            "eval_every",
        ):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive (got {getattr(self, name)})")
        if self.eta is not None and not self.eta > 0:
            raise ValueError(f"the learning rate eta must be positive (got {self.eta})")
        if self.steps is None and not self.epochs > 0:
            raise ValueError(f"epochs must be positive (got {self.epochs})")
        if self.steps is not None and self.steps < 0:
            raise ValueError(f"steps must be >= 0 (got {self.steps})")
        if not 0 <= self.validation < 1:
            raise ValueError(f"validation is the held-out fraction, in [0, 1) (got {self.validation})")
        if self.sample_length < 0:
            raise ValueError(f"sample_length must be >= 0 (got {self.sample_length})")
        if self.optimizer not in optim.DEFAULTS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}: choose one of {', '.join(optim.DEFAULTS)}")
        engines.resolve(self.engine)
        return self

    def differences(self, other):
        """Settings in which ``other`` trains another network, or the same one another way.

        How long to train, the engine, and how often to checkpoint or evaluate may change
        between two sessions of one run."""
        free = {"epochs", "steps", "engine", "checkpoint_every", "eval_every"}
        return [
            f.name
            for f in dataclasses.fields(self)
            if f.name not in free and getattr(self, f.name) != getattr(other, f.name)
        ]


@dataclasses.dataclass
class GradCheck:
    """The gradient check of the CLI and of chapter 1."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    m: int = setting(100, "hidden units")
    sigma: float = setting(
        0.1, "a larger sigma than training's 0.01 keeps gradients well above the rounding error of the differences"
    )
    seq_length: int = setting(Config.seq_length, "characters of the chunk checked")
    h: float = setting(1e-4, "step of the centred differences")
    max_entries: int = setting(None, "check at most this many entries per parameter (default: all)", type=int)
    seed: int = setting(0, "seed of the weights and of the entries checked")


@dataclasses.dataclass
class Sampling:
    """Writing with a trained model."""

    run: str = setting(None, "run folder (default: runs/<name of the default corpus>)", type=str)
    checkpoint: str = setting("best", "which parameters", choices=("best", "last"))
    length: int = setting(1000, "characters to write")
    temperature: float = setting(1.0, "divide the logits by this before the softmax")
    top_p: float = setting(None, "nucleus sampling: keep this much probability mass", type=float)
    prime: str = setting("\n", "text the network reads before it writes (default: a newline)")
    seed: int = setting(0, "seed of the random draws")


@dataclasses.dataclass
class Bench:
    """The speed benchmark."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    m: int = setting(100, "hidden units")
    rounds: int = setting(3, "alternating rounds; each implementation reports its best")
    seconds: float = setting(2.0, "length of one round")


@dataclasses.dataclass
class Report:
    """The parameters of the report's notebooks: the full report's values, and the quick ones."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    run_dir: str = setting(None, "run folder (default: runs/<corpus name>, or runs/<corpus name>-quick)", type=str)
    seed: int = setting(Config.seed, "seed of every run and every sample")
    engine: str = setting(Config.engine, "who runs the updates (as for train)", choices=engines.ENGINES)
    gradcheck_max_entries: int = setting(None, "entries checked per parameter (None: all)", type=int, quick=300)
    epochs: float = setting(10.0, "length of the main run (chapter 2) and of the held-out run (chapter 5)", quick=None)
    steps: int = setting(None, "the same in updates; overrides epochs", type=int, quick=20_000)
    until: int = setting(100_000, "chapter 3 shows the samples up to this update")
    length: int = setting(1000, "characters of the best model's passage (chapter 4)")
    temperatures: list = setting((0.5, 0.8, 1.0, 1.3), "temperatures of the fixed passages (chapter 4)", type=float)
    comparison_length: int = setting(300, "characters of each fixed passage (chapter 4)")
    compare_epochs: float = setting(2.0, "budget of each optimizer and capacity run (chapter 5)", quick=None)
    compare_steps: int = setting(None, "the same budget in updates", type=int, quick=4_000)
    eval_every: int = setting(Config.eval_every, "updates between two held-out evaluations (chapter 5)", quick=2_000)
    max_order: int = setting(7, "n-gram orders 1 .. max_order (chapter 5)", quick=4)


def report_parameters(quick=False, **given):
    """The parameters of every notebook of the report: :class:`Report`'s defaults, the quick
    values if ``quick``, then the non-None values ``given``; a dict of plain values for papermill."""
    values = {}
    for f in dataclasses.fields(Report):
        value = f.metadata["quick"] if quick and f.metadata["quick"] is not MISSING else f.default
        values[f.name] = list(value) if isinstance(value, tuple) else value
    values.update({k: v for k, v in given.items() if v is not None})
    return values


def add_arguments(parser, cls, skip=()):
    """One ``--option`` per field of dataclass ``cls``, with its type, choices and help.

    An option that is not given is left out of the parsed arguments, so that the
    dataclass's default is the only one."""
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        meta = f.metadata
        shown = "" if f.default is None else f" (default: {_plain(f.default)})"
        parser.add_argument(
            "--" + f.name.replace("_", "-"),
            dest=f.name,
            type=meta["type"],
            default=argparse.SUPPRESS,
            choices=meta["choices"],
            help=meta["help"] + shown,
            nargs="+" if isinstance(f.default, tuple) else None,
        )


def _plain(value):
    return " ".join(map(str, value)) if isinstance(value, tuple) else repr(value)


def given(cls, args):
    """The options of dataclass ``cls`` that were given on the command line: a dict."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in vars(args).items() if k in names}
