"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import numpy as np
import pytest

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
