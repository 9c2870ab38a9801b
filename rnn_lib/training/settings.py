"""Every setting, declared once: its default, type, help and allowed values.

The command line (:mod:`rnn_lib.__main__`) derives its options from these dataclasses and
checks them with :func:`rnn_lib.training.options.check`; the report's own parameters, which the
notebooks' ``parameters`` cells read, are declared the same way in :mod:`rnn_lib.report.parameters`.
Adding a setting means adding one field here.
"""

import contextlib
import dataclasses
from pathlib import Path

from ..nets import optim
from ..nets.optim import CLIPPING
from ..nets.registry import NAMES as NETWORKS
from ..text.corpus import default_corpus
from ..text.documents import FORMATS, TOO_LONG
from ..text.files import codec
from . import engines
from .options import check, setting
from .recipe import SCHEDULES
from .where import Cluster  # noqa: F401  declared beside the other settings' readers

CORPUS_HELP = "a text file (default: data/goblet_book.txt if present, else data/tinyshakespeare.txt)"
# may change between two sessions of one run: how long to train, who runs the updates, how often to save or evaluate
RESUMABLE = frozenset({"epochs", "steps", "engine", "checkpoint_every", "eval_every"})
# The longest sample or document: each is written whole (a document's header gives its length; a sample is kept in
# samples.json), drawing one uniform per character, 8 MB here. `sample --length` streams, so it has no such bound.
LONGEST = 1_000_000
ENCODING_HELP = "how the corpus's bytes are characters: utf-8, or cp1252 (Windows), latin-1, utf-16, ..."


@dataclasses.dataclass
class Config:
    """Hyperparameters of one training run; the defaults are the assignment's."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    encoding: str = setting("utf-8", ENCODING_HELP)
    documents: str = setting(
        None,
        "read the corpus as short documents (tweets) in this format and train on each from h = 0, "
        "ended by an end-of-text character (the bonus exercise); auto: .json, .csv, blank-line blocks, else lines",
        type=str,
        choices=FORMATS,
    )
    limit: int = setting(140, "with --documents: most characters of a document, and of a generated text", minimum=1,
                         maximum=LONGEST)  # fmt: skip
    too_long: str = setting("cut", "with --documents: cut a longer document to the limit, or skip it",
                            choices=TOO_LONG)  # fmt: skip
    model: str = setting("rnn", "the network: rnn (the assignment's), lstm, or lstm2 (two LSTM layers)",
                         choices=NETWORKS)  # fmt: skip
    batch: int = setting(1, "streams read side by side, a chunk of each per update (char-rnn's minibatches); "
                         "1 is the assignment's training", minimum=1)  # fmt: skip
    dtype: str = setting("float64", "with --model lstm or --batch: float32 is about twice as fast; float64 is the "
                         "assignment's and the gradient check's", choices=("float64", "float32"))  # fmt: skip
    m: int = setting(100, "hidden units", minimum=1)
    seq_length: int = setting(25, "characters per chunk: the length of backpropagation through time", minimum=1)
    sigma: float = setting(0.01, "initial weights are sigma * randn", positive=True)
    optimizer: str = setting("adagrad", "optimizer", choices=tuple(optim.DEFAULTS))
    eta: float = setting(None, "learning rate (default: the optimizer's; AdaGrad 0.1)", type=float, positive=True)
    clip: float = setting(5.0, "clip every gradient entry to [-clip, clip] (or their norm: --clipping)", positive=True)
    clipping: str = setting("entries", "what --clip bounds: every entry (the assignment's), or the norm of all "
                            "of them together, which keeps the step's direction (norm; on minibatches)",
                            choices=tuple(CLIPPING))  # fmt: skip
    schedule: str = setting("constant", "on minibatches, how eta changes over the run: constant (the "
                            "assignment's), cosine down to --final-eta at the last update, or step: by one factor "
                            "each epoch down to --final-eta", choices=SCHEDULES)  # fmt: skip
    warmup: int = setting(0, "on minibatches, updates over which eta first grows linearly to --eta", minimum=0)
    final_eta: float = setting(0.1, "with --schedule cosine or step, eta at the end as a fraction of --eta",
                               positive=True, maximum=1)  # fmt: skip
    dropout: float = setting(0.0, "with an LSTM, the chance that a hidden unit's output is dropped on its way "
                             "up (to the next layer, to the output) in training", minimum=0, maximum=0.9)  # fmt: skip
    epochs: float = setting(2.0, "passes over the corpus", positive=True, optional=True)
    steps: int = setting(None, "total updates (overrides --epochs)", type=int, minimum=1)
    seed: int = setting(0, "seed of the initial weights and of the samples", minimum=0)
    history_every: int = setting(100, "updates between two rows of history.csv", minimum=1)
    sample_every: int = setting(10_000, "updates between two samples in samples.json", minimum=1)
    sample_length: int = setting(200, "characters per sample (0: no samples)", minimum=0, maximum=LONGEST)
    sample_texts: int = setting(6, "with --documents: whole texts per sample, instead of a passage", minimum=0,
                                maximum=10_000)  # fmt: skip
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
        "auto", "who runs the updates: numba (compiled; on minibatches, an LSTM's backward pass) or numpy; auto: numba "
        "when installed", choices=engines.ENGINES,
    )  # fmt: skip

    def validate(self):
        """Raise ValueError naming the first setting out of range, ImportError for a missing engine; returns self."""
        check(self)
        if self.epochs is None and self.steps is None:
            raise ValueError("give --epochs or --steps: how long to train")
        if self.test and not self.validation:
            raise ValueError("--test needs --validation: choices are made on validation text, never on test text")
        if self.dtype != "float64" and not self.minibatch:
            raise ValueError("--dtype float32 is for minibatches (--batch) and the LSTM (--model lstm)")
        if not self.minibatch and (self.schedule != "constant" or self.warmup or self.clipping != "entries"):
            raise ValueError("--schedule, --warmup and --clipping norm are for minibatches (--batch) and the LSTM "
                             "(--model lstm); the assignment's run keeps its constant step and clipping")  # fmt: skip
        if self.dropout and self.model == "rnn":
            raise ValueError("--dropout is for the LSTM: add --model lstm or --model lstm2")
        if self.documents and self.minibatch:
            raise ValueError("--documents trains the assignment's RNN on one stream: leave out --model and --batch")
        engines.resolve(self.engine)
        return self

    @property
    def minibatch(self):
        """Whether training reads streams side by side (:mod:`rnn_lib.text.streams`), not the assignment's one text."""
        return self.model != "rnn" or self.batch > 1

    def differences(self, other, text=None, free=RESUMABLE):
        """Settings in which ``other`` trains another network, or the same one another way; by default,
        how long to train, the engine, and how often to checkpoint or evaluate may change between two
        sessions of one run (``free``).

        A setting given as its default is its default (an eta of None is the optimizer's), and settings
        of documents count only on documents. The corpus and its encoding name the text: with ``text``,
        the figures (:func:`rnn_lib.text.corpus.corpus_stats`) of what ``other`` reads, known to be the very
        text that ``self`` trained on (its md5), they never count; without, the paths count resolved."""
        mine, theirs = self._compared(text), other._compared(text)
        if {self.schedule, other.schedule} != {"constant"}:
            free = set(free) - {"epochs", "steps"}  # a schedule's length is part of it: eta at update k depends on it
        return [name for name in mine if name not in free and mine[name] != theirs[name]]

    def _compared(self, text):
        """The settings as :meth:`differences` compares them."""
        values = dataclasses.asdict(self)
        if self.eta is None:  # the optimizer's
            values["eta"] = optim.DEFAULTS.get(self.optimizer, {}).get("eta")
        if self.documents is None:
            for name in ("limit", "too_long", "sample_texts"):
                values[name] = None
        elif self.documents == "auto" and text is not None and "text_format" in text:  # what "auto" read it as
            suffix = Path(self.corpus or "").suffix.lower()
            values["documents"] = suffix[1:] if suffix in (".json", ".csv") else text["text_format"]
        if self.schedule == "constant":
            values["final_eta"] = None
        if text is not None:
            values["corpus"] = values["encoding"] = None
        else:
            values["corpus"] = str(Path(self.corpus if self.corpus is not None else default_corpus()).resolve())
            with contextlib.suppress(ValueError):
                values["encoding"] = codec(self.encoding)
        return values

    @classmethod
    def recorded(cls, values):
        """The Config of settings ``values`` as a run folder records them (a dict; those added since, their
        default), or None when it names settings this version does not know."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**values) if values.keys() <= names else None


@dataclasses.dataclass
class GradCheck:
    """The gradient check of the CLI and of chapter 1."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    encoding: str = setting("utf-8", ENCODING_HELP)
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
    prime: str = setting(None, "text the network reads before it writes (default: a line break, or a space for a "
                         "text without one)", type=str)  # fmt: skip
    seed: int = setting(0, "seed of the random draws", minimum=0)
    texts: int = setting(10, "a model trained on documents writes this many whole texts, not --length characters",
                         minimum=1)  # fmt: skip
    limit: int = setting(None, "most characters of such a text (default: the run's --limit)", type=int, minimum=1,
                         maximum=LONGEST)  # fmt: skip


@dataclasses.dataclass
class Bench:
    """The speed benchmark."""

    corpus: str = setting(None, CORPUS_HELP, type=str)
    encoding: str = setting("utf-8", ENCODING_HELP)
    m: int = setting(100, "hidden units", minimum=1)
    rounds: int = setting(3, "alternating rounds; each implementation reports its best", minimum=1)
    seconds: float = setting(2.0, "length of one round", positive=True)
    sweep_runs: int = setting(4, "short runs of a sweep measured with one worker, with all, and through Dask (0: none)",
                              minimum=0)  # fmt: skip
