"""The explorer's picture as HTML: a passage coloured by one hidden unit, one character selected, and under it the
network's five likeliest next characters. The per-character parts that no choice of unit or character changes (each
character escaped, its tooltip) are made once per passage by :func:`pieces`; :func:`page` only joins them."""

import html

import matplotlib
import numpy as np

# the colours of chapter 5's figure (plots.activations): red +1, blue -1, a wider range keeps the text readable
COLOURS, LIMIT = matplotlib.colormaps["RdBu_r"], 1.6


def shown(ch):
    """A character as a reader can see it: a line break as ↵, a space as ␣, a tab as →."""
    return {"\n": "↵", " ": "␣", "\t": "→"}.get(ch, ch)


def guesses_line(reading, vocab, t):
    """The five guesses after character ``t``, likeliest first: ``"e 0.412 · a 0.130 · ..."``."""
    return " · ".join(f"{shown(vocab[i])} {p:.3f}" for i, p in zip(reading.top_ids[t], reading.top_probs[t]))


def pieces(text, reading, vocab):
    """Per character, its escaped HTML and its tooltip (loss on it, guesses after it); a line break keeps its ↵ and
    breaks the line."""
    chars = [html.escape(shown(ch)) + ("\n" if ch == "\n" else "") for ch in text]
    titles = [
        html.escape(f"{shown(ch)}: loss {reading.loss[t]:.2f} nats; next: {guesses_line(reading, vocab, t)}")
        for t, ch in enumerate(text)
    ]
    return chars, titles


def colours(values):
    """Hex background colours of activations ``values`` (T,)."""
    rgb = (COLOURS((np.clip(values, -LIMIT, LIMIT) + LIMIT) / (2 * LIMIT))[:, :3] * 255).round().astype(int)
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in rgb]


def page(text, reading, vocab, unit, position, parts):
    """The HTML of the passage coloured by ``unit``, with character ``position`` outlined and its guesses in a
    table (class ``rnn-guesses``: a row per guess, the character then its probability). ``parts`` is
    :func:`pieces` of the same passage."""
    chars, titles = parts
    spans = [
        f'<span title="{title}" style="background:{colour}">{ch}</span>'
        for ch, title, colour in zip(chars, titles, colours(reading.states[:, unit]))
    ]
    spans[position] = spans[position].replace('style="', 'style="outline:2px solid #1f3b57;', 1)
    rows = "".join(
        f'<tr><td class="rnn-guess">{html.escape(shown(vocab[i]))}</td><td class="rnn-probability">{p:.3f}</td></tr>'
        for i, p in zip(reading.top_ids[position], reading.top_probs[position])
    )
    ch, loss = text[position], reading.loss[position]
    return (
        f'<div class="rnn-passage" style="font-family:monospace;white-space:pre-wrap;line-height:1.7">'
        f"{''.join(spans)}</div>"
        f'<p class="rnn-selected">Character {position:,}, <b>{html.escape(shown(ch))}</b>: loss {loss:.2f} nats '
        f"({loss / np.log(2):.2f} bits), activation of unit {unit} {reading.states[position, unit]:+.2f}. "
        f"After it the network expects:</p>"
        f'<table class="rnn-guesses">{rows}</table>'
    )


def message(text):
    """One line instead of the picture (a character the model never saw, an empty passage)."""
    return f'<p class="rnn-message">{html.escape(text)}</p>'
