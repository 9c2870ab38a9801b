"""The live part of the notebooks: write with a trained model while moving a slider."""

import numpy as np

from ..nets.sample import generate


def temperature_slider(params, vocab, length=500):
    """A temperature slider, a priming text box and a seed slider (ipywidgets) over a passage.

    The passage is ``prime + generate(...)`` with ``np.random.default_rng(seed)``; an empty prime
    means :func:`rnn_lib.nets.sample.default_prime`. A prime with a character the model never saw shows the
    error instead.
    """
    import ipywidgets as widgets

    def write(temperature=0.8, prime="", seed=0):
        try:
            print(
                prime
                + generate(
                    params, vocab, length, np.random.default_rng(seed), prime=prime or None, temperature=temperature
                )
            )
        except ValueError as err:
            print(err)

    wide = {"description_width": "initial"}
    return widgets.interact(
        write,
        temperature=widgets.FloatSlider(
            value=0.8, min=0.05, max=2.0, step=0.05, description="temperature", continuous_update=False, style=wide
        ),
        prime=widgets.Text(
            value="",
            placeholder="text to continue (empty: a new line)",
            description="prime",
            continuous_update=False,
            style=wide,
        ),
        seed=widgets.IntSlider(value=0, min=0, max=100, description="seed", continuous_update=False, style=wide),
    )
