"""One progress bar for many runs that tells the truth: its whole total is known before the first run
starts, each run weighs what it costs, and it reaches 100 % only when the last run has ended.

A run's weight is an estimate of its seconds (:func:`cost`): the characters it will read times the
network's work per character, and its held-out evaluations. The bar counts the time the pool's
workers will take, estimated by giving each run, in the order the pool starts them, to the worker
free first: it moves as the estimate of the time left falls, so runs of different sizes advance it
at the pace they take, a last run alone on one core too, and its ETA holds.
"""

import functools
import sys
import threading
import time
from pathlib import Path

from ..text import short_texts
from ..text.corpus import default_corpus

# Work per character, as :func:`work` counts it, that this machine's kind trains per second: the compiled
# RNN, m = 100, K = 65, reads 140,000 characters/s (make bench, 2026-12-01). The constants below were fitted
# to the 34 runs of a full build (docs/building-the-report.md); only their ratios move the bar.
PER_CHARACTER = 4_000  # what does not grow with m: the softmax's exp over K, the look-ups, the bookkeeping
UNITS_PER_SECOND = 140_000 * (100 * (100 + 64) + PER_CHARACTER)
BATCH_SPEEDUP = 2.2  # B = 32 streams read about 2.2 times as many characters per second as one (make bench)
FORWARD = 0.5  # held-out evaluation: a forward pass, on 32 streams side by side, costs about half an update's
START = 2.0  # seconds of a run before its first update: a process, imports, the corpus
FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}{postfix}"


def text_characters(config):
    """The characters of the text a run of ``config`` reads, held-out parts included: the file's size stands
    for a long text's length (nothing is read); documents are read, as their layout counts."""
    if config.documents:
        return _documents(config.corpus, config.documents, config.limit, config.too_long)
    corpus = Path(config.corpus) if config.corpus else default_corpus()
    return corpus.stat().st_size if corpus.is_file() else 1_000_000  # a missing one fails in its run


@functools.lru_cache(maxsize=16)
def _documents(corpus, format, limit, too_long):
    try:
        return len(short_texts.load(corpus or default_corpus(), format, limit, too_long)[0])
    except (OSError, ValueError):  # a corpus that cannot be read fails in its run, which says why
        return 1_000_000


def characters(config):
    """The characters a run of ``config`` trains on: its updates times the chunk, or its epochs of the training part."""
    if config.steps is not None:
        return config.steps * config.seq_length * config.batch
    return config.epochs * text_characters(config) * (1 - config.validation - config.test)


def work(config):
    """The work per character of training ``config``'s network, in the units of :data:`UNITS_PER_SECOND`."""
    units = config.m * (config.m + 64) * {"rnn": 1, "lstm": 4, "lstm2": 8}[config.model] + PER_CHARACTER
    return units / (2 if config.dtype == "float32" else 1) / (BATCH_SPEEDUP if config.batch > 1 else 1)


def cost(config):
    """Estimated seconds of the run ``config`` here, before it starts: its training, its held-out evaluations
    (every ``eval_every`` updates and at the end, on 32 streams), and its start."""
    trained = characters(config) * work(config)
    updates = characters(config) / (config.seq_length * config.batch)
    held_out = (config.validation + config.test) * text_characters(config)
    evaluations = (updates // config.eval_every + 1) * held_out if held_out else 0
    forward = work(config) * (BATCH_SPEEDUP if config.batch > 1 else 1) / BATCH_SPEEDUP * FORWARD
    return (trained + evaluations * forward) / UNITS_PER_SECOND + START


def minutes(seconds):
    """``"3 min 12 s"`` or ``"48 s"``."""
    m, s = divmod(round(seconds), 60)
    return f"{m} min {s} s" if m else f"{s} s"


class Bar:
    """The bar of the runs ``costs`` = {name: estimated seconds}, in the order a pool of ``workers`` starts them,
    its total fixed from the start: ``update`` with what a run reports, ``finished`` when it ended (or was found
    finished). A line tells each quarter of the total passed with the time left then, and one the stage's time."""

    def __init__(self, desc, costs, enabled=True, out=sys.stderr, workers=1):
        from tqdm.auto import tqdm

        self.desc, self.costs, self.out, self.enabled = desc, dict(costs), out, enabled
        self.lock = threading.Lock()  # runs report from the pool's listening thread
        self.share, self.done, self.start, self.loss = dict.fromkeys(self.costs, 0.0), set(), time.perf_counter(), None
        self.workers = max(1, workers)
        total = self._left() or 1.0
        # smoothing=0: the ETA from the mean pace since the start, which weighing the runs by cost keeps steady
        bar = dict(bar_format=FORMAT, disable=not enabled, mininterval=0.5, file=out, smoothing=0)
        self.bar = tqdm(total=total, desc=self._desc(), **bar)
        self.quarters = 0  # the quarters of the total passed, each told in a line with its ETA

    def _desc(self):
        return f"{self.desc} ({len(self.done)}/{len(self.costs)} runs)"

    def update(self, name, step, total, smooth_loss=None):
        with self.lock:
            if name in self.share and total and name not in self.done:
                self.share[name] = min(step / total, 1.0)
                self.loss = smooth_loss if smooth_loss is not None else self.loss
                self._show()

    def finished(self, name):
        with self.lock:
            if name in self.share and name not in self.done:
                self.share[name] = 1.0
                self.done.add(name)
                self.bar.set_description_str(self._desc(), refresh=False)
                self._show()
                if len(self.done) == len(self.costs) and self.enabled:
                    self.write(f"{self._desc()}: trained in {minutes(self.elapsed())}")

    def rename(self, names):
        """Runs known by other names from now on: ``names`` = {old: new}, each keeping its weight."""
        with self.lock:
            for old, new in names.items():
                if old in self.costs and old not in self.done:
                    self.costs[new], self.share[new] = self.costs.pop(old), self.share.pop(old)

    def write(self, message):
        """A line of text above the bar (tqdm's write), or plainly when there is no bar."""
        if self.enabled:
            self.bar.write(message, file=self.out)
        else:
            print(message)

    def elapsed(self):
        return time.perf_counter() - self.start

    def _left(self):
        """Estimated seconds until the last run ends: the runs not done, in the order the pool starts them,
        each given to the worker free first (the first ones are those running)."""
        loads = [0.0] * self.workers
        for name, cost in self.costs.items():
            if name not in self.done:
                loads[loads.index(min(loads))] += cost * (1 - self.share[name])
        return max(loads)

    def _show(self):
        n = max(self.bar.total - self._left(), self.bar.n)
        if len(self.done) < len(self.costs):  # never 100 % while a run remains
            n = min(n, self.bar.total * (1 - 1e-3))
        self.bar.update(n - self.bar.n)
        if self.loss is not None:
            self.bar.set_postfix(smooth_loss=f"{self.loss:.1f}", refresh=False)
        while self.enabled and self.quarters < 3 and n >= (self.quarters + 1) / 4 * self.bar.total:
            self.quarters += 1
            done, left = minutes(self.elapsed()), minutes(self.elapsed() * (self.bar.total - n) / n)
            self.write(f"{self.desc}: {25 * self.quarters} % after {done}, about {left} left")

    def close(self):
        self.bar.close()
        if self.enabled and len(self.done) < len(self.costs):
            print(f"{self._desc()}: stopped after {minutes(self.elapsed())}", file=self.out)
