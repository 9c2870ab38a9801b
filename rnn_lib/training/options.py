"""How a declared setting becomes a command-line option and is checked, and the parser that tells a mistake in one line.

A setting is a dataclass field made by :func:`setting`: its default, type, help, the
values it may take, and its value in a quick report. :mod:`rnn_lib.training.settings` declares them.
"""

import argparse
import dataclasses
import math

MISSING = dataclasses.MISSING


def setting(
    default, help, type=None, choices=None, quick=MISSING, minimum=None, positive=False, maximum=None, optional=False
):
    """A dataclass field with its help, type and allowed values.

    ``minimum`` and ``maximum`` are inclusive bounds, ``positive`` means > 0; ``None`` is
    allowed when it is the default or the quick value, or when ``optional``. ``quick`` is the
    value in a quick report.
    """
    if type is None and default is None:
        raise TypeError("a setting whose default is None must give its type")
    meta = {"help": help, "type": type or builtins_type(default), "choices": choices, "quick": quick,
            "minimum": minimum, "positive": positive, "maximum": maximum, "optional": optional}  # fmt: skip
    return dataclasses.field(default=default, metadata=meta)


def builtins_type(value):
    return float if isinstance(value, tuple) else type(value)


def option(name):
    """How the command line spells setting ``name``."""
    return "--" + name.replace("_", "-")


def check(settings):
    """Raise ValueError, naming the option, for the first value of ``settings`` (a dataclass) out of range."""
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if value is None and (f.metadata["optional"] or None in (f.default, f.metadata["quick"])):
            continue
        if value == "" and f.metadata["type"] is str and f.metadata["choices"] is None:  # a path, a name, a prime
            raise ValueError(f"{option(f.name)} is empty: give it a value, or leave it out for its default")
        for item in value if isinstance(value, (list, tuple)) else [value]:
            problem = _problem(item, f.metadata)
            if problem:
                raise ValueError(f"{option(f.name)} must be {problem} (got {item!r})")
    return settings


def _problem(value, meta):
    """What is wrong with ``value`` for a setting with metadata ``meta``, or None."""
    kind = meta["type"]
    if meta["choices"] is not None:
        return None if value in meta["choices"] else "one of " + ", ".join(map(str, meta["choices"]))
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        return "a whole number"
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "a number"
        if not math.isfinite(value):
            return "a finite number"
    if kind is str:
        return None if isinstance(value, str) else "text"
    if meta["positive"] and not value > 0:
        return "positive"
    if meta["minimum"] is not None and value < meta["minimum"]:
        return f"at least {meta['minimum']}"
    if meta["maximum"] is not None and value > meta["maximum"]:
        return f"at most {meta['maximum']}"
    return None


def add_arguments(parser, cls, skip=()):
    """One ``--option`` per field of dataclass ``cls``, with its type, choices and help.

    An option that is not given is left out of the parsed arguments, so that the
    dataclass's default is the only one."""
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        meta = f.metadata
        shown = "" if f.default is None else f" (default: {_plain(f.default)})"
        parser.add_argument(option(f.name), dest=f.name, type=meta["type"], default=argparse.SUPPRESS,
                            choices=meta["choices"], help=meta["help"] + shown,
                            nargs="+" if isinstance(f.default, tuple) else None)  # fmt: skip


def _plain(value):
    return " ".join(map(str, value)) if isinstance(value, tuple) else repr(value)


def given(cls, args):
    """The options of dataclass ``cls`` that were given on the command line: a dict."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in vars(args).items() if k in names}


def quick_values(cls, quick=False):
    """``{name: value}`` of dataclass ``cls``: the defaults, or the quick values where declared."""
    values = {}
    for f in dataclasses.fields(cls):
        value = f.metadata["quick"] if quick and f.metadata["quick"] is not MISSING else f.default
        values[f.name] = list(value) if isinstance(value, tuple) else value
    return values


class Parser(argparse.ArgumentParser):
    """A mistake on the command line ends in one line, as every other mistake does (docs/cli.md)."""

    def error(self, message):
        self.exit(2, f"error: {message}: see {self.prog} --help\n")


def count(text):
    """A whole number >= 1: argparse's type of an option that is no setting (train --jobs)."""
    value = whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def whole(text):
    """A whole number >= 0 (train --seeds)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0 (got {value})")
    return value
