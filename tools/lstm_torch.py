"""tools/lstm_torch.py — the model file (appendix B, "The model file, byte by byte") to and from PyTorch.

    python3 tools/lstm_torch.py to-torch MODEL OUT.pt
    python3 tools/lstm_torch.py from-torch IN.pt MODEL

OUT.pt / IN.pt is a dict saved by torch.save: "vocab" (a list of one-character
strings, in the order of the one-hot input and of the decoder's rows), "lstm"
(an nn.LSTM(V, H, L) state dict), "decoder" (an nn.Linear(H, V) state dict)
and "width" (4 or 8: the bytes per parameter of the model file).

Written from that appendix alone: little-endian header of eight u32 fields, the
vocabulary's code points strictly increasing, the tensors row-major in the
order W_ih, W_hh, b for each layer, then W_y and b_y, and the CRC-32 of all
before it.  The file's bias is PyTorch's bias_ih + bias_hh; reading a file
gives bias_ih that sum and bias_hh zeros.  A PyTorch vocabulary in another
order is sorted on the way to the file: the first layer's W_ih columns and
the decoder's rows and biases are permuted with it.

Used by `make test-torch` (tools/test_torch.py); never needed to run the book.
"""
import struct
import sys
import zlib

import numpy as np
import torch

MAGIC = b"LSTMCHAR"


def read_file(path):
    """The model file at path: (vocab, width, H, L, tensors as float64 numpy arrays)."""
    data = open(path, "rb").read()
    if len(data) < 36 or data[:8] != MAGIC:
        raise ValueError(f"{path}: not a model file")
    version, width, V, H, L, reserved = struct.unpack_from("<6I", data, 8)
    if version != 1 or width not in (4, 8) or reserved != 0:
        raise ValueError(f"{path}: version {version}, width {width}, reserved {reserved}: not a version 1 model file")
    if zlib.crc32(data[:-4]) != struct.unpack_from("<I", data, len(data) - 4)[0]:
        raise ValueError(f"{path}: the checksum does not match")
    vocab = [chr(c) for c in struct.unpack_from(f"<{V}I", data, 32)]
    pos = 32 + 4 * V
    dtype = "<f4" if width == 4 else "<f8"

    def tensor(*shape):
        nonlocal pos
        count = int(np.prod(shape))
        t = np.frombuffer(data, dtype=dtype, count=count, offset=pos).astype(np.float64).reshape(shape)
        pos += count * width
        return t

    layers = []
    for l in range(L):
        layers.append((tensor(4 * H, V if l == 0 else H), tensor(4 * H, H), tensor(4 * H)))
    W_y, b_y = tensor(V, H), tensor(V)
    if pos != len(data) - 4:
        raise ValueError(f"{path}: {len(data)} bytes, where its sizes make {pos + 4}")
    return vocab, width, H, L, layers, W_y, b_y


def to_torch(path, dtype=torch.float64):
    """(vocab, lstm, decoder, width) for the model file at path."""
    vocab, width, H, L, layers, W_y, b_y = read_file(path)
    V = len(vocab)
    lstm = torch.nn.LSTM(V, H, L).to(dtype)
    decoder = torch.nn.Linear(H, V).to(dtype)
    with torch.no_grad():
        for l, (W_ih, W_hh, b) in enumerate(layers):
            getattr(lstm, f"weight_ih_l{l}").copy_(torch.from_numpy(W_ih))
            getattr(lstm, f"weight_hh_l{l}").copy_(torch.from_numpy(W_hh))
            getattr(lstm, f"bias_ih_l{l}").copy_(torch.from_numpy(b))
            getattr(lstm, f"bias_hh_l{l}").zero_()
        decoder.weight.copy_(torch.from_numpy(W_y))
        decoder.bias.copy_(torch.from_numpy(b_y))
    return vocab, lstm, decoder, width


def from_torch(vocab, lstm, decoder, width, path):
    """Write the model file at path from a PyTorch LSTM and decoder whose one-hot
    input and output rows follow vocab (any order)."""
    V, H, L = len(vocab), lstm.hidden_size, lstm.num_layers
    if lstm.input_size != V or decoder.in_features != H or decoder.out_features != V:
        raise ValueError("the LSTM and the decoder do not fit the vocabulary")
    if lstm.bias is False or lstm.batch_first or lstm.bidirectional or lstm.proj_size:
        raise ValueError("only a plain nn.LSTM with biases fits the model file")
    order = sorted(range(V), key=lambda k: ord(vocab[k]))   # position in the file -> PyTorch's
    cps = [ord(vocab[k]) for k in order]
    if any(len(c) != 1 for c in vocab) or len(set(cps)) != V:
        raise ValueError("the vocabulary must be distinct single characters")
    if any(0xD800 <= c <= 0xDFFF for c in cps):
        raise ValueError("a surrogate is not a character, and no model file holds one")
    fmt = "<f4" if width == 4 else "<f8"
    out = bytearray(MAGIC)
    out += struct.pack("<6I", 1, width, V, H, L, 0)
    out += struct.pack(f"<{V}I", *cps)

    def put(t):
        a = t.detach().to(torch.float64).numpy()
        if not np.all(np.isfinite(a)):
            raise ValueError("a parameter is not a finite number")
        out.extend(a.astype(fmt).tobytes())

    for l in range(L):
        W_ih = getattr(lstm, f"weight_ih_l{l}")
        put(W_ih[:, order] if l == 0 else W_ih)
        put(getattr(lstm, f"weight_hh_l{l}"))
        put(getattr(lstm, f"bias_ih_l{l}") + getattr(lstm, f"bias_hh_l{l}"))
    put(decoder.weight[order, :])
    put(decoder.bias[order])
    out += struct.pack("<I", zlib.crc32(bytes(out)))
    open(path, "wb").write(bytes(out))


def main(argv):
    if len(argv) != 4 or argv[1] not in ("to-torch", "from-torch"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        if argv[1] == "to-torch":
            vocab, lstm, decoder, width = to_torch(argv[2])
            torch.save({"vocab": vocab, "lstm": lstm.state_dict(), "decoder": decoder.state_dict(),
                        "width": width}, argv[3])
        else:
            try:
                state = torch.load(argv[2])
            except OSError:
                raise
            except Exception as e:   # torch.load's errors on a file it cannot read are of many kinds
                raise ValueError(f"{argv[2]}: not a file saved by torch.save ({e})")
            if not isinstance(state, dict) or not {"vocab", "lstm", "decoder"} <= state.keys():
                raise ValueError(f"{argv[2]}: not what to-torch writes (a dict of vocab, lstm, decoder)")
            V, H = len(state["vocab"]), state["lstm"]["weight_hh_l0"].shape[1]
            L = sum(1 for k in state["lstm"] if k.startswith("weight_hh_l"))
            dtype = state["lstm"]["weight_hh_l0"].dtype
            lstm, decoder = torch.nn.LSTM(V, H, L).to(dtype), torch.nn.Linear(H, V).to(dtype)
            lstm.load_state_dict(state["lstm"])
            decoder.load_state_dict(state["decoder"])
            from_torch(state["vocab"], lstm, decoder, state.get("width", 4), argv[3])
    except (OSError, ValueError, KeyError, RuntimeError, struct.error) as e:
        print(f"lstm_torch: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
