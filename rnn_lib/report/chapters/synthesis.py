"""Chapter 4, synthesis with the best model (notebooks/04_synthesis): its sentence, made from the passages."""

from ..sentences import percent


def temperature_paragraph(rows, length):
    """Chapter 4: what temperature did. ``rows``: (T, share of known words, share of repeated 10-grams)."""
    (cold, cold_known, cold_repeat), (hot, hot_known, hot_repeat) = rows[0], rows[-1]
    more = {True: "more", False: "fewer"}
    return (
        f"Measured on {length:,} characters at each temperature: at $T$ = {cold}, {percent(cold_known)} of "
        f"the words are words of the corpus and {percent(cold_repeat)} of the 10-character strings repeat "
        f"one written earlier in the same text; at $T$ = {hot}, {percent(hot_known)} and "
        f"{percent(hot_repeat)}. Cooling the distribution gives {more[cold_known > hot_known]} real "
        f"words and {'more' if cold_repeat > hot_repeat else 'less'} repetition: $T$ trades variety for safety."
    )
