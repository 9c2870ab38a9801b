"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import re

import numpy as np
import pytest

from rnn_lib.text import corpus, short_texts
from rnn_lib.text.corpus import split


def test_split_is_train_validation_test_in_that_order():
    ids = np.arange(100)
    train_part, validation, test = split(ids, 0.1, 0.1)
    assert list(train_part) == list(range(80)) and list(validation) == list(range(80, 90))
    assert list(test) == list(range(90, 100))
    train_part, validation, test = split(ids, 0.2)
    assert len(train_part) == 80 and len(validation) == 20 and len(test) == 0
    with pytest.raises(ValueError, match="leave text to train on"):
        split(ids, 0.6, 0.5)
    with pytest.raises(ValueError, match="leaves 1 to evaluate on"):
        split(ids, 0.01)


@pytest.mark.parametrize(
    "n, validation, test, advice",
    [
        (3000, 1e-7, 0.0, "hold out more (--validation 0.0005)"),
        (3000, 0.0001, 0.0, "hold out more (--validation 0.0005)"),
        (40, 0.01, 0.0, "hold out more (--validation 0.05)"),
        (3000, 0.1, 1e-5, "hold out more (--test 0.0005)"),
        (3, 0.1, 0.0, "the text is too short to hold out validation text: use a longer one, or leave --validation out"),
    ],
)
def test_too_little_held_out_suggests_a_larger_fraction_that_works(n, validation, test, advice):
    with pytest.raises(ValueError, match=re.escape(advice)):
        corpus.split(np.arange(n), validation, test)
    suggested = re.search(r"--(validation|test) (\S+)\)", advice)
    if suggested:  # and it does
        fractions = {"validation": validation, "test": test, suggested.group(1): float(suggested.group(2))}
        corpus.split(np.arange(n), fractions["validation"], fractions["test"])


def test_too_few_documents_held_out_suggest_a_larger_fraction_that_works():
    end = 0
    ids = np.array([end] + [1, 1, 1, end] * 30)
    with pytest.raises(ValueError, match=re.escape("for validation leaves none: hold out more (--validation 0.02)")):
        short_texts.split_documents(ids, end, 0.001)
    assert len(short_texts.split_documents(ids, end, 0.02)[1]) >= 2
