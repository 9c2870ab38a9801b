"""A checkpoint's archive is read with suspicion: whatever its bytes, one line that names the file and never a
traceback, and no array is read before its declared dtype, shape and size are known to belong."""

import io
import json
import pickle
import struct
import subprocess
import sys
import zipfile
import zlib
from unittest import mock

import numpy as np
import pytest

from rnn_lib.nets import rnn
from rnn_lib.training import checkpoint
from rnn_lib.training.checkpoint import CheckpointError
from rnn_lib.training.settings import Config
from rnn_lib.training.state import initial

M, VOCAB = 8, list("\nabcdefgh")
STATS = {"md5": "0" * 32, "characters": 1000, "corpus": "text.txt"}
CONFIG = Config(m=M, seq_length=5)


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    state = initial(rnn.init_params(len(VOCAB), M, rng, 0.1), "adagrad", np.zeros(M), rng, smooth_loss=10.0)
    checkpoint.save(tmp_path, state, CONFIG, VOCAB, STATS)
    return tmp_path


def _npy(a):
    buffer = io.BytesIO()
    np.save(buffer, a, allow_pickle=True)
    return buffer.getvalue()


def _header(shape, descr="<f8", version=1):
    """A .npy header alone, as numpy writes it, for an array of ``shape``."""
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    getattr(np.lib.format, f"write_array_header_{version}_0")(buffer, header)
    return buffer.getvalue()


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _replace(path, name, data):
    members = _members(path)
    members[name] = data
    _write(path, members)


def _refused(path, *fragments, state_only=False):
    loads = [lambda: checkpoint.load_state(path, CONFIG, VOCAB, STATS)]
    for load in loads if state_only else [lambda: checkpoint.load(path), *loads]:
        with pytest.raises(CheckpointError) as info:
            load()
        message = str(info.value)
        assert "\n" not in message and message.startswith(f"checkpoint {path} cannot be used: "), message
        assert all(f in message for f in fragments), message
    return message


HOSTILE = {
    "arbitrary bytes": b"\x00\x01 not an array at all" * 10,
    "a pickle": pickle.dumps({"vocab": VOCAB}),
    "a pickled object array": _npy(np.array([{"a": 1}, None], dtype=object)),
    "empty": b"",
    "the magic alone": b"\x93NUMPY\x01\x00",
    "format 9.9": b"\x93NUMPY\x09\x09" + b"\x00" * 20,
    "header cut short": _header((9,), "<i4")[:20],
    "header not a dict": b"\x93NUMPY\x01\x00" + struct.pack("<H", 118) + b"[" * 117 + b"\n",
    "header nesting deeply": b"\x93NUMPY\x01\x00" + struct.pack("<H", 9000) + b"(" * 8999 + b"\n",
    "header of a huge header": b"\x93NUMPY\x02\x00" + struct.pack("<I", 2**31) + b"{",
    "negative shape": _header((-9,), "<i4") + b"\x00" * 36,
    "an unknown dtype": _header((9,), "<q9") + b"\x00" * 72,
    "a huge declared shape": _header((2**40,), "<i4") + b"\x00" * 36,
    "an astronomical shape": _header((2**62, 2**62, 2**62), "<i4"),
    "data cut short": _header((9,), "<i4") + b"\x00" * 35,
    "data padded": _header((9,), "<i4") + b"\x00" * 40,
}


@pytest.mark.parametrize("member", ["vocab_codes.npy", "config.npy", "W.npy", "rng.npy"])
@pytest.mark.parametrize("case", HOSTILE)
def test_a_member_that_is_no_array_is_one_line(folder, member, case):
    _replace(folder / "last.npz", member, HOSTILE[case])
    _refused(folder / "last.npz", f"'{member[:-4]}'")


@pytest.mark.parametrize("key", ["config", "rng"])
@pytest.mark.parametrize(
    "text, fragment",
    [("[" * 100_000, "it nests too deeply"), ('{"a": ' * 100_000, "it nests too deeply"), ("1" * 10_000, "(Exceeds")],
)
def test_a_json_record_nested_deeply_is_one_line(folder, key, text, fragment):
    _replace(folder / "last.npz", f"{key}.npy", _npy(np.array(text)))
    _refused(folder / "last.npz", f"{key} is not the JSON of a checkpoint", fragment, state_only=key == "rng")


def test_a_long_wrong_setting_is_shown_short(folder):
    config = json.loads(str(np.load(folder / "best.npz")["config"]))
    _replace(folder / "best.npz", "config.npy", _npy(np.array(json.dumps({**config, "m": [[[0] * 10_000]]}))))
    assert len(_refused(folder / "best.npz", "config setting --m is [[[0, 0")) < 600


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda m: m.update({"notes.txt": b"mine"}), "it holds 'notes.txt', which is not one array"),
        (lambda m: m.update({f"x{i}.npy": _npy(np.zeros(1)) for i in range(1001)}), "its zip directory lists 1,0"),
        (lambda m: m.update({"W.npy": _header((30_000, 30_000)) + b"\x00" * 100}), "'W' declares 6.7 GiB of data"),
    ],
)
def test_an_archive_that_is_no_checkpoint_is_one_line(folder, change, fragment):
    members = _members(folder / "last.npz")
    change(members)
    _write(folder / "last.npz", members)
    _refused(folder / "last.npz", fragment)


def test_members_that_no_checkpoint_of_its_settings_holds_are_left_unread(folder, monkeypatch):
    # an Adam memory in an AdaGrad run, a file of the user's: not read, not refused
    _replace(folder / "last.npz", "opt.m1.W.npy", _npy(np.zeros((M, M))))
    _replace(folder / "last.npz", "notes.npy", _npy(np.array("mine")))
    read = np.lib.format.read_array
    names = []
    monkeypatch.setattr(np.lib.format, "read_array", lambda fp, **kw: names.append(fp.name) or read(fp, **kw))
    assert checkpoint.load_state(folder / "last.npz", CONFIG, VOCAB, STATS).opt.keys() == {"m", "t"}
    assert "W.npy" in names and "opt.m1.W.npy" not in names and "notes.npy" not in names


def test_an_encrypted_or_oddly_compressed_member_is_one_line(folder):
    last = folder / "last.npz"
    _write(last, _members(last), zipfile.ZIP_LZMA)
    assert checkpoint.load(last)[1]["vocab"] == VOCAB  # a compression that zipfile reads is fine
    data = bytearray(last.read_bytes())
    directory = data.rfind(b"PK\x01\x02")  # the last member's entry: say its method is one zipfile lacks
    data[directory + 10 : directory + 12] = struct.pack("<H", 99)
    last.write_bytes(bytes(data))
    _refused(last, "cannot be read (NotImplementedError")
    _write(last, _members(folder / "best.npz"))
    data = bytearray(last.read_bytes())
    data[data.find(b"PK\x01\x02") + 8] |= 1  # encrypted
    last.write_bytes(bytes(data))
    _refused(last, "cannot be read (")


def test_a_folder_where_a_checkpoint_belongs_is_one_line(folder):
    (folder / "last.npz").unlink()
    (folder / "last.npz").mkdir()
    message = _refused(folder / "last.npz", "it is a folder, not a file", "--fresh")
    assert "best.npz beside it is intact" in message


class _Squeezer:
    """Stands for zipfile's deflater: 1 MiB of zeros deflated once, its block repeated (a full flush makes each
    block stand alone), so that a few MB declare gigabytes in a second."""

    def __init__(self):
        self.real = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.block = self.real.compress(ZEROS) + self.real.flush(zlib.Z_FULL_FLUSH)

    def compress(self, data):
        return self.block if data is ZEROS else self.real.compress(data) + self.real.flush(zlib.Z_FULL_FLUSH)

    def flush(self):
        return self.real.flush()


ZEROS = bytes(2**20)


def _bomb(path, shape, members):
    """Write the .npz ``path`` of ``members`` (name: .npy bytes) and a W.npy of zeros of ``shape``, deflated; its
    checksum is left out (0): a reader that refuses it from its header never gets that far."""
    size = shape[0] * shape[1] * 8
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        info = zipfile.ZipInfo("W.npy")
        info.compress_type = zipfile.ZIP_DEFLATED
        with mock.patch("zipfile.crc32", lambda data, crc=0: 0), archive.open(info, "w", force_zip64=True) as f:
            f._compressor = _Squeezer()
            f.write(_header(shape))
            for _ in range(size // len(ZEROS)):
                f.write(ZEROS)
            f.write(bytes(size % len(ZEROS)))


LOAD_IN_1_GIB = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
from rnn_lib.training import checkpoint
try:
    checkpoint.load(sys.argv[1])
except checkpoint.CheckpointError as err:
    print(err)
# the peak resident memory of this process since its exec (ru_maxrss keeps the forking parent's)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def _in_1_gib(path):
    """Load ``path`` in a process that may use 1 GiB of address space: ``(its refusal or "", its peak KiB)``."""
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", LOAD_IN_1_GIB, str(path)], capture_output=True, text=True,
                          timeout=300, env=env)  # fmt: skip
    assert done.returncode == 0 and not done.stderr, done.stderr
    *message, peak = done.stdout.splitlines()
    return "".join(message), int(peak)


def test_a_zip_bomb_is_refused_from_its_header_in_a_process_of_1_gib(folder):
    # a W of 30,000 x 30,000 zeros (7.2 GB) deflated to about 7 MB, where m = 8 wants 8 x 8
    last = folder / "last.npz"
    members = _members(last)
    del members["W.npy"]
    _bomb(last, (30_000, 30_000), members)
    assert last.stat().st_size < 10 * 2**20
    message, peak = _in_1_gib(last)
    assert message.startswith(
        f"checkpoint {last} cannot be used: parameter W has shape (30000, 30000), expected (m, m)"
    )
    assert peak < 250 * 2**10  # KiB: what the interpreter and numpy take, nothing of the 7.2 GB
    _, control = _in_1_gib(folder / "best.npz")  # an intact checkpoint, loaded whole
    assert peak < control + 20 * 2**10


def test_a_model_larger_than_the_memory_allowed_is_refused_before_it_is_read(folder):
    # settings that agree with the 2.4 GB that W declares, in a process allowed 1 GiB
    best, m, K = folder / "best.npz", 17_320, len(VOCAB)
    members = _members(best)
    config = json.loads(str(np.load(best)["config"]))
    members["config.npy"] = _npy(np.array(json.dumps({**config, "m": m})))
    members.update({"b.npy": _npy(np.zeros(m)), "U.npy": _npy(np.zeros((m, K))), "V.npy": _npy(np.zeros((K, m)))})
    del members["W.npy"]
    _bomb(best, (m, m), members)
    message, _ = _in_1_gib(best)
    assert "its arrays take 2.2 GiB, more than the 1.0 GiB of memory this process can have" in message, message
    assert message.endswith(
        "load it where more memory is free, or train with --fresh to start over (resume=False in Python)"
    )
