import os
import re
from pathlib import Path

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


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "broken link"])
def test_a_path_that_is_no_text_file_says_what_it_is_without_reading_it(tmp_path, kind):
    path = tmp_path / "corpus.txt"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":  # opened for reading, it would block until a writer came: it is never opened
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(path)
    elif kind == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        path = Path("/dev/zero")  # read, it would never end
    else:
        path.symlink_to(tmp_path / "gone.txt")
    said = {"folder": "is a folder, not a text file", "fifo": "is a named pipe (FIFO), not a text file",
            "device": "is a device, not a text file", "broken link": "not found (a link to nothing)"}[kind]  # fmt: skip
    with pytest.raises(corpus.CorpusError, match=re.escape(f"corpus {path} {said}: pass the path of a text file")):
        corpus.read_text(path)


CP1252 = "He said \u201chello\u201d \u2013 caf\u00e9\n" * 20  # curly quotes, a dash: bytes 0x93 0x94 0x96 in cp1252


def test_cp1252_text_is_named_and_read_with_encoding(tmp_path):
    path = tmp_path / "goblet_book.txt"
    path.write_bytes(CP1252.encode("cp1252"))
    with pytest.raises(corpus.CorpusError) as refused:
        corpus.read_text(path)
    message = str(refused.value)
    assert (
        "is not UTF-8 text (byte 8 cannot be decoded); it reads as cp1252 (byte 8, 0x93, is '\u201c' there)" in message
    )
    assert "pass --encoding cp1252" in message and "latin1" not in message
    assert corpus.read_text(path, "cp1252") == corpus.read_text(path, "CP1252") == CP1252
    # the md5 is of the characters: the text read from cp1252 is the text of its UTF-8 copy
    copy = tmp_path / "copy.txt"
    copy.write_text(CP1252, encoding="utf-8")
    assert corpus.load_corpus(path, "cp1252")[2]["md5"] == corpus.load_corpus(copy)[2]["md5"]


@pytest.mark.parametrize(
    "content, encoding, advice",
    [
        ("hi\n".encode("utf-16"), "utf-8", "it reads as utf-16: pass --encoding utf-16"),
        (b"ab\x00\x01\xff\xfe", "utf-8", "it holds NUL bytes, so it is no text file"),
        (
            "caf\u00e9\n".encode(),
            "ascii",
            "is not ascii text (byte 3 cannot be decoded); it reads as UTF-8: leave --encoding out",
        ),  # fmt: skip
        (b"caf\xe9 \x81", "utf-8", "pass the encoding it was written in with --encoding"),  # 0x81: no cp1252 either
    ],
)
def test_bytes_that_do_not_decode_get_advice_that_fits(tmp_path, content, encoding, advice):
    path = tmp_path / "corpus.txt"
    path.write_bytes(content)
    with pytest.raises(corpus.CorpusError, match=re.escape(advice)):
        corpus.read_text(path, encoding)


def test_an_unknown_encoding_is_refused_before_reading(tmp_path):
    with pytest.raises(corpus.CorpusError, match="--encoding 'klingon' is no encoding Python knows"):
        corpus.read_text(tmp_path / "not even there.txt", "klingon")
