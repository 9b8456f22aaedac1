"""Read the checkpoint of an "An LSTM from Scratch, in C" training run."""
import struct
import sys
import zlib

from lstm_model import parse_model

HEADER = [  # (name, struct code), in file order from offset 8
    ("version", "I"), ("width", "I"), ("V", "I"), ("H", "I"), ("L", "I"),
    ("B", "I"), ("T", "I"), ("seed", "Q"), ("optimizer", "I"), ("schedule", "I"),
    ("lr", "d"), ("factor", "d"), ("every", "d"), ("lr_min", "d"), ("total", "Q"),
    ("clip_norm", "d"), ("clip_value", "d"), ("val_fraction", "d"), ("dropout", "d"),
    ("step", "Q"), ("epoch", "Q"), ("batch_in_epoch", "Q"),
    ("best_val", "d"), ("smooth_loss", "d"), ("seconds", "d"),
    ("corpus_n", "Q"), ("corpus_crc", "I"), ("rng_state", "Q"), ("rng_inc", "Q"),
    ("beta1", "d"), ("beta2", "d"), ("eps", "d"), ("momentum", "d"),
]
VERSIONS = (2, 3)
VERSIONS += (4,)
LIMITS = [  # version 3 on, from offset 232
    ("epochs", "Q"), ("max_steps", "Q"), ("minutes", "d"), ("val_every", "Q"),
    ("log_every", "Q"), ("sample_every", "Q"), ("sample_chars", "Q"),
]


def read_checkpoint(path):
    data = open(path, "rb").read()
    if len(data) < 244 or data[:8] != b"LSTMCKPT":
        raise ValueError(f"{path}: not a checkpoint")
    if zlib.crc32(data[:-4]) != struct.unpack_from("<I", data, len(data) - 4)[0]:
        raise ValueError(f"{path}: checksum mismatch")
    fmt = "<" + "".join(code for _, code in HEADER)
    assert struct.calcsize(fmt) == 232 - 8          # the table's offsets
    ck = dict(zip([name for name, _ in HEADER], struct.unpack_from(fmt, data, 8)))
    if ck["version"] not in VERSIONS or ck["width"] not in (4, 8):
        raise ValueError(f"{path}: version {ck['version']}, width {ck['width']}: not supported")
    at = 232
    if ck["version"] >= 3:
        lfmt = "<" + "".join(code for _, code in LIMITS)
        ck.update(zip([name for name, _ in LIMITS], struct.unpack_from(lfmt, data, at)))
        at += struct.calcsize(lfmt)
    (ck["adam_t"],) = struct.unpack_from("<Q", data, at)
    at += 8
    E = 0
    if ck["version"] == 4:
        ck["E"], ck["tokens"], ck["words"], ck["W"] = struct.unpack_from("<4I", data, at)
        E, at = ck["E"], at + 16
    # The two moments and the state come before the model: their sizes
    # follow from N, which the sizes in the header give.
    w, V, H, L, B = ck["width"], ck["V"], ck["H"], ck["L"], ck["B"]
    N = sum(4 * H * ((E or V) if l == 0 else H) + 4 * H * H + 4 * H for l in range(L)) + V * H + V + V * E
    model_at = at + 2 * w * N + 2 * w * L * B * H
    body = data[model_at:len(data) - 4]
    ck["model_file"] = body + struct.pack("<I", zlib.crc32(body))   # a model file of its own
    ck["model"] = parse_model(ck["model_file"], path + " (its model)")
    return ck


if __name__ == "__main__":
    ck = read_checkpoint(sys.argv[1])
    for name, _ in HEADER + (LIMITS if ck["version"] >= 3 else []):
        print(f"{name}: {ck[name]}")
