import numpy as np
import pytest

from rnn_lib.text import streams
from rnn_lib.training import update


def test_stream_j_is_the_text_from_j_times_L():
    ids = np.arange(103) * 7
    S = streams.cut(ids, 4)
    L = (103 - 1) // 4
    assert S.shape == (4, L + 1) and S.dtype == ids.dtype
    for j in range(4):
        np.testing.assert_array_equal(S[j], ids[j * L : (j + 1) * L + 1])
    assert S[0, -1] == S[1, 0]  # the last input of one stream is the first of the next


def test_one_stream_is_the_whole_text():
    ids = np.arange(50)
    np.testing.assert_array_equal(streams.cut(ids, 1), ids[None])


def test_chunk_holds_inputs_and_targets_one_character_later():
    S = streams.cut(np.arange(201), 5)
    X, Y = streams.chunk(S, 10, 7)
    assert X.shape == Y.shape == (5, 7)
    np.testing.assert_array_equal(X, S[:, 10:17])
    np.testing.assert_array_equal(Y, S[:, 11:18])
    np.testing.assert_array_equal(Y[:, :-1], X[:, 1:])


@pytest.mark.parametrize("n_chars", [26, 27, 50, 51, 52, 100, 1001, 1115394])
@pytest.mark.parametrize("seq_length", [1, 7, 25])
def test_one_stream_reads_the_positions_of_the_assignment(n_chars, seq_length):
    S = streams.cut(np.zeros(n_chars, dtype=np.int64), 1, seq_length)
    assert streams.updates_per_epoch(S, seq_length) == update.updates_per_epoch(n_chars, seq_length)
    if n_chars > 2000:  # the whole epoch is walked below only for short texts
        return
    e, ours, theirs = 0, [], []
    for _ in range(update.updates_per_epoch(n_chars, seq_length) + 2):
        ours.append(e)
        e = streams.next_position(e, seq_length, S)
    e = 0
    for _ in range(len(ours)):
        theirs.append(e)
        e = update.next_position(e, seq_length, n_chars, seq_length, -1)  # one long text: no end-of-text id
    assert ours == theirs
    assert ours[: len(streams.positions(S, seq_length))] == list(streams.positions(S, seq_length))
    assert ours[len(streams.positions(S, seq_length))] == 0  # then the next epoch starts


def test_an_epoch_reads_every_chunk_that_fits_once():
    ids = np.arange(1000)
    S = streams.cut(ids, 8, 10)  # L = 124: positions 0, 10, ..., 110, and 120 would need 131 columns
    positions = streams.positions(S, 10)
    assert list(positions) == list(range(0, 120, 10))
    for e in positions:
        X, Y = streams.chunk(S, e, 10)
        assert Y.max() <= ids[-1]
    assert streams.next_position(positions[-1], 10, S) == 0
    with pytest.raises(ValueError, match="no full chunk"):
        streams.chunk(S, 120, 10)


def test_too_many_streams_is_refused():
    with pytest.raises(ValueError, match="fewer than seq_length = 25"):
        streams.cut(np.arange(100), 8, 25)
    with pytest.raises(ValueError, match="B >= 1"):
        streams.cut(np.arange(100), 0)
