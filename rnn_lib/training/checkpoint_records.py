"""The two records a checkpoint keeps as JSON text, checked before use: the run's settings and
the random generator's state. Each function raises ValueError with a phrase saying what is wrong."""

import dataclasses
import json

import numpy as np

from .options import option
from .settings import Config


def settings(text):
    """The run's settings: the fields of :class:`Config`, each of its type (and among its choices).

    A setting that a later version added takes its default, which is how runs were trained before
    it existed; an unknown one is refused. Ranges are not checked: a model stays usable when a
    later version narrows one, and resuming compares the settings with the current, checked ones."""
    values = _json(text, "config")
    if not isinstance(values, dict):
        raise ValueError("config is not a JSON object of settings")
    fields = dataclasses.fields(Config)
    names = {f.name for f in fields}
    values = {f.name: f.default for f in fields} | values
    unknown = sorted(values.keys() - names)
    if unknown:
        raise ValueError(f"config has unknown settings {', '.join(unknown[:5])}" + (", ..." if unknown[5:] else ""))
    for f in fields:
        value, kind, choices = values[f.name], f.metadata["type"], f.metadata["choices"]
        if value is None and (f.default is None or f.metadata["optional"]):
            continue
        kinds = (int, float) if kind is float else kind  # a float setting given as 2 is written as 2
        if isinstance(value, bool) or not isinstance(value, kinds) or (choices and value not in choices):
            expected = f"one of {', '.join(choices)}" if choices else f"a value of type {kind.__name__}"
            raise ValueError(f"config setting {option(f.name)} is {value!r:.60}, expected {expected}")
    return values


def generator(text):
    """The random generator, restored from the JSON of numpy's PCG64 state."""
    state = _json(text, "rng")
    problem = _pcg64_problem(state)
    if problem:
        raise ValueError(f"rng is not the state of numpy's PCG64 generator: {problem}")
    rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = state
    return rng


def _json(text, key):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{key} is not JSON ({err})") from None
    except RecursionError:
        raise ValueError(f"{key} is not the JSON of a checkpoint: it nests too deeply") from None
    except ValueError as err:  # an integer of more digits than Python converts, say
        raise ValueError(f"{key} is not the JSON of a checkpoint ({str(err)[:80]})") from None


def _pcg64_problem(state):
    """What keeps ``state`` from being one that ``PCG64().state`` gives, or None."""

    def whole(value, bits):
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**bits

    if not isinstance(state, dict) or state.keys() != {"bit_generator", "state", "has_uint32", "uinteger"}:
        return "expected the keys bit_generator, state, has_uint32, uinteger"
    inner = state["state"]
    if state["bit_generator"] != "PCG64" or not isinstance(inner, dict) or inner.keys() != {"state", "inc"}:
        return "expected bit_generator 'PCG64' and a state of keys state, inc"
    # numpy's setter accepts some wrong values (a float state, an even increment) and runs another stream
    if not (whole(inner["state"], 128) and whole(inner["inc"], 128) and inner["inc"] % 2 == 1):
        return "state and inc must be 128-bit integers, inc odd"
    if not (whole(state["has_uint32"], 1) and whole(state["uinteger"], 32)):
        return "has_uint32 must be 0 or 1 and uinteger a 32-bit integer"
    return None
