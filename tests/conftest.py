import numpy as np
import pytest

from rnn_lib.text import corpus

SHAKESPEARE = corpus.DATA_DIR / corpus.BUNDLED_CORPUS


@pytest.fixture
def small_corpus(tmp_path):
    """About 3,000 characters of Tiny Shakespeare: trains in well under a second."""
    path = tmp_path / "small.txt"
    path.write_text(SHAKESPEARE.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    return path


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
