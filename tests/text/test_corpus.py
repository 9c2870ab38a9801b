import pytest

from rnn_lib.text import corpus


def test_vocab_is_sorted_and_encoding_round_trips():
    text = "hello, world\nHELLO"
    vocab = corpus.build_vocab(text)
    assert vocab == sorted(set(text))
    ids = corpus.encode(text, vocab)
    assert ids.dtype.kind == "i" and ids.shape == (len(text),)
    assert corpus.decode(ids, vocab) == text


def test_bundled_corpus_stats():
    ids, vocab, stats = corpus.load_corpus(corpus.DATA_DIR / corpus.BUNDLED_CORPUS)
    assert stats["corpus"] == "tinyshakespeare.txt"
    assert stats["characters"] == len(ids) == 1_115_394
    assert stats["K"] == len(vocab) == 65
    assert len(stats["md5"]) == 32


def test_default_corpus_prefers_the_course_file(tmp_path):
    (tmp_path / corpus.BUNDLED_CORPUS).write_text("x", encoding="utf-8")
    assert corpus.default_corpus(tmp_path).name == corpus.BUNDLED_CORPUS
    (tmp_path / corpus.COURSE_CORPUS).write_text("y", encoding="utf-8")
    assert corpus.default_corpus(tmp_path).name == corpus.COURSE_CORPUS


def test_text_is_read_as_utf8(tmp_path):
    path = tmp_path / "u.txt"
    path.write_text("naïve • α", encoding="utf-8")
    assert corpus.read_text(path) == "naïve • α"


@pytest.mark.parametrize(
    "content, message", [(None, "not found"), (b"", "is empty"), (b"caf\xe9 latin-1", "not UTF-8")]
)
def test_unusable_corpus_gets_a_clear_error(tmp_path, content, message):
    path = tmp_path / "corpus.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(corpus.CorpusError, match=message):
        corpus.load_corpus(path)


def test_unknown_character_is_named():
    with pytest.raises(ValueError, match="'z' is not in the vocabulary"):
        corpus.encode("abz", ["a", "b"])


def test_a_byte_order_mark_is_no_character_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffhello\n".encode())
    ids, vocab, stats = corpus.load_corpus(path)
    assert vocab == ["\n", "e", "h", "l", "o"] and stats["characters"] == 6
    path.write_bytes("\ufeff".encode())
    with pytest.raises(corpus.CorpusError, match="is empty"):
        corpus.load_corpus(path)
