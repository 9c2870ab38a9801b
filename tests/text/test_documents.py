import json

import numpy as np
import pytest

from rnn_lib.text import corpus
from rnn_lib.text.corpus import CorpusError
from rnn_lib.text.documents import END, read_documents
from rnn_lib.text.short_texts import document_vocab, encode_documents

SHAKESPEARE = corpus.DATA_DIR / corpus.BUNDLED_CORPUS

ARCHIVE = [
    {"text": "Make &amp; do", "created_at": "Mon Jan 01 10:00:00 +0000 2018", "id_str": "1"},
    {"text": "  &quot;Big&quot; news &gt; old news\r\nTomorrow!  ", "created_at": "...", "id_str": "2"},
    {"text": "   ", "created_at": "...", "id_str": "3"},
]
CSV_TEXT = 'id,text,created_at\n1,Make &amp; do,2018-01-01\n2,"Hello, world\nsecond line",2018-01-02\n3,,2018-01-03\n'


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_lines_one_document_per_line(tmp_path):
    path = write(tmp_path, "t.txt", "first tweet\r\n  second  \n\nthird\n")
    docs, report = read_documents(path, format="lines")
    assert docs == ["first tweet", "second", "third"]
    assert report == {"read": 4, "kept": 3, "empty": 1, "cut": 0, "skipped": 0, "format": "lines"}


def test_blocks_are_separated_by_runs_of_blank_lines(tmp_path):
    text = "\n\nA:\nHello there.\n\n\n \t\nB:\nHi.\n\nC:\nBye.\n\n\n"
    docs, report = read_documents(write(tmp_path, "t.txt", text), format="blocks")
    assert docs == ["A:\nHello there.", "B:\nHi.", "C:\nBye."]
    assert report == {"read": 3, "kept": 3, "empty": 0, "cut": 0, "skipped": 0, "format": "blocks"}


def test_json_archive_export(tmp_path):
    docs, report = read_documents(write(tmp_path, "a.json", json.dumps(ARCHIVE)), format="json")
    assert docs == ["Make & do", '"Big" news > old news\nTomorrow!']
    assert report == {"read": 3, "kept": 2, "empty": 1, "cut": 0, "skipped": 0, "format": "json"}


def test_csv_with_quoted_comma_and_newline(tmp_path):
    docs, report = read_documents(write(tmp_path, "a.csv", CSV_TEXT), format="csv")
    assert docs == ["Make & do", "Hello, world\nsecond line"]
    assert report == {"read": 3, "kept": 2, "empty": 1, "cut": 0, "skipped": 0, "format": "csv"}


def test_csv_with_windows_newlines(tmp_path):
    path = write(tmp_path, "a.csv", CSV_TEXT.replace("\n", "\r\n"))
    assert read_documents(path)[0] == ["Make & do", "Hello, world\nsecond line"]


def test_entities_are_decoded_only_for_json_and_csv(tmp_path):
    assert read_documents(write(tmp_path, "t.txt", "Make &amp; do\n"))[0] == ["Make &amp; do"]


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.json", json.dumps(ARCHIVE), "json"),
        ("a.JSON", json.dumps(ARCHIVE), "json"),
        ("a.csv", CSV_TEXT, "csv"),
        ("a.txt", "one\ntwo\n\n", "lines"),  # a trailing blank line separates nothing
        ("a.txt", "one\n\ntwo\n", "blocks"),
        ("a", "one\n   \ntwo", "blocks"),  # a whitespace-only line is blank
    ],
)
def test_auto_detection(tmp_path, name, content, expected):
    assert read_documents(write(tmp_path, name, content))[1]["format"] == expected


def test_too_long_documents_are_cut_or_skipped(tmp_path):
    path = write(tmp_path, "t.txt", "short\nexactly 10\n0123456789abc\nabcd efghijk\n")
    docs, report = read_documents(path, limit=10)
    assert docs == ["short", "exactly 10", "0123456789", "abcd efghi"]
    assert all(len(d) <= 10 for d in docs)
    assert (report["read"], report["kept"], report["cut"], report["skipped"]) == (4, 4, 2, 0)
    docs, report = read_documents(path, limit=10, too_long="skip")
    assert docs == ["short", "exactly 10"]
    assert (report["read"], report["kept"], report["cut"], report["skipped"]) == (4, 2, 0, 2)


def test_a_cut_leaves_no_trailing_space(tmp_path):
    docs, _ = read_documents(write(tmp_path, "t.txt", "abcd   efgh\n"), limit=6)
    assert docs == ["abcd"]


def test_byte_order_mark_is_dropped(tmp_path):
    assert read_documents(write(tmp_path, "t.txt", "\ufeffhello\nworld\n"))[0] == ["hello", "world"]
    path = write(tmp_path, "a.csv", "\ufeff" + CSV_TEXT)  # else the header would read "\ufeffid"
    assert read_documents(path)[0][0] == "Make & do"
    path = write(tmp_path, "a.json", "\ufeff" + json.dumps(ARCHIVE))
    assert read_documents(path)[0][0] == "Make & do"


@pytest.mark.parametrize(
    "name, content, kwargs, message",
    [
        ("missing.txt", None, {}, "not found"),
        ("latin.txt", b"caf\xe9\n", {}, "not UTF-8"),
        ("empty.txt", b"", {}, "is empty"),
        ("bad.json", '[{"text": "a"}', {}, "not valid JSON"),
        ("dict.json", '{"text": "a"}', {}, "not a list"),
        ("deep.json", "[" * 100_000, {}, "not JSON of documents \\(nested too deeply\\)"),
        ("deeper.json", '{"a": ' * 100_000, {}, "nested too deeply"),
        ("huge.json", "[" + "9" * 5000 + "]", {}, "not JSON of documents \\(Exceeds the limit"),
        ("nums.json", "[1, 2]", {}, 'record 0 .* not an object with a "text" string'),
        ("notext.json", '[{"text": "a"}, {"full_text": "b"}]', {}, "record 1 "),
        ("numtext.json", '[{"text": 5}]', {}, "record 0 "),
        ("notext.csv", "id,body\n1,hello\n", {}, "no 'text' column"),
        ("a.txt", "hello\n", {"format": "xml"}, "unknown format 'xml'"),
        ("a.txt", "hello\n", {"too_long": "wrap"}, "unknown too_long 'wrap'"),
        ("a.txt", "hello\n", {"limit": 0}, "limit 0 is no length"),
        ("a.txt", "hello\n", {"limit": 2.5}, "limit 2.5 is no length"),
        ("blank.txt", "\n  \n\n", {}, "no document left"),
        ("empty.json", "[]", {}, "no document left"),
        ("long.txt", "far too long\n", {"limit": 3, "too_long": "skip"}, "no document left .*skipped 1"),
    ],
)
def test_refusals(tmp_path, name, content, kwargs, message):
    path = tmp_path / name if content is None else write(tmp_path, name, content)
    with pytest.raises(CorpusError, match=message) as err:
        read_documents(path, **kwargs)
    assert isinstance(err.value, ValueError) and "\n" not in str(err.value)
    assert ": " in str(err.value)  # what is wrong, then what to do


def test_end_is_in_the_vocabulary_and_ends_every_document():
    docs = ["ab", "b a", "c"]
    vocab = document_vocab(docs)
    assert END in vocab and vocab == sorted(set("".join(docs)) | {END})
    ids = encode_documents(docs, vocab)
    assert ids.dtype == np.int64 and len(ids) == sum(len(doc) + 1 for doc in docs) + 1
    assert corpus.decode(ids, vocab) == END + END.join(docs) + END  # every document between two ENDs


def test_end_inside_a_text_is_refused():
    with pytest.raises(CorpusError, match="document 1 contains the end-of-text character"):
        document_vocab(["fine", "not" + END + "fine"])
    vocab = document_vocab(["abc"])
    with pytest.raises(CorpusError, match="document 0 contains"):
        encode_documents(["a" + END], vocab)
    with pytest.raises(ValueError, match="no END"):
        encode_documents(["abc"], sorted("abc"))


def test_tiny_shakespeare_as_short_documents():
    docs, report = read_documents(SHAKESPEARE, format="blocks", limit=140, too_long="skip")
    assert len(docs) == 4_996 and sum(map(len, docs)) == 311_284
    assert report == {"read": 7_222, "kept": 4_996, "empty": 0, "cut": 0, "skipped": 2_226, "format": "blocks"}
    assert docs[0] == "First Citizen:\nBefore we proceed any further, hear me speak."  # keeps its speaker
    assert read_documents(SHAKESPEARE)[1]["format"] == "blocks"
