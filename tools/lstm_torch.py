"""tools/lstm_torch.py — the model file (appendix B, "The model file, byte by byte") to and from PyTorch.

    python3 tools/lstm_torch.py to-torch MODEL OUT.pt
    python3 tools/lstm_torch.py from-torch IN.pt MODEL

OUT.pt / IN.pt is a dict saved by torch.save: "vocab" (a list of strings, one
character each, or longer for the words of a model of words, in the order of
the input and of the decoder's rows), "lstm"
(an nn.LSTM(V, H, L) state dict, or nn.LSTM(E, H, L) after an embedding),
"decoder" (an nn.Linear(H, V) state dict), "width" (4 or 8: the bytes per
parameter of the model file) and, for a model with an embedding, "embedding"
(an nn.Embedding(V, E) state dict).

Written from that appendix alone: little-endian header of eight u32 fields, the
vocabulary's code points strictly increasing, the tensors row-major in the
order W_ih, W_hh, b for each layer, then W_y and b_y, and the CRC-32 of all
before it.  The file's bias is PyTorch's bias_ih + bias_hh; reading a file
gives bias_ih that sum and bias_hh zeros.  A PyTorch vocabulary in another
order is sorted on the way to the file: the first layer's W_ih columns and
the decoder's rows and biases are permuted with it.  Version 2 (appendix B5):
a header of ten u32 fields (E and the kind of tokens after L, then a
reserved 0), the first layer's W_ih of E columns, and the V x E table after
b_y, whose rows are permuted with the vocabulary instead of W_ih's columns;
a model without an embedding is written as version 1.  A vocabulary of
words (tokens 1): C characters, then each word as its length and its code
points; the file's order is the characters sorted, then the words in the
order PyTorch has them.

Used by `make test-torch` (tools/test_torch.py); never needed to run the book.
"""
import struct
import sys
import zlib

import numpy as np
import torch

MAGIC = b"LSTMCHAR"


def read_file(path):
    """The model file at path: (vocab, width, H, L, layers, W_y, b_y, embedding or None),
    the tensors as float64 numpy arrays."""
    data = open(path, "rb").read()
    if len(data) < 36 or data[:8] != MAGIC:
        raise ValueError(f"{path}: not a model file")
    version, width, V, H, L, field = struct.unpack_from("<6I", data, 8)
    if version == 1 and field == 0:
        E, pos = 0, 32
    elif version == 2 and len(data) >= 52:
        E, pos = field, 48
        tokens, C, W, reserved = struct.unpack_from("<4I", data, 32)
        if tokens not in (0, 1) or reserved != 0:
            raise ValueError(f"{path}: tokens of kind {tokens}, reserved {reserved}: not supported")
    else:
        raise ValueError(f"{path}: version {version}, bytes 28..31 {field}: not a version 1 or 2 model file")
    if width not in (4, 8):
        raise ValueError(f"{path}: width {width}: not 4 or 8")
    if zlib.crc32(data[:-4]) != struct.unpack_from("<I", data, len(data) - 4)[0]:
        raise ValueError(f"{path}: the checksum does not match")
    if version == 1:
        C = V
    vocab = [chr(c) for c in struct.unpack_from(f"<{C}I", data, pos)]
    pos += 4 * C
    for _ in range(V - C):                              # the words of a model of words
        (n,) = struct.unpack_from("<I", data, pos)
        vocab.append("".join(chr(c) for c in struct.unpack_from(f"<{n}I", data, pos + 4)))
        pos += 4 + 4 * n
    dtype = "<f4" if width == 4 else "<f8"

    def tensor(*shape):
        nonlocal pos
        count = int(np.prod(shape))
        t = np.frombuffer(data, dtype=dtype, count=count, offset=pos).astype(np.float64).reshape(shape)
        pos += count * width
        return t

    layers = []
    for l in range(L):
        layers.append((tensor(4 * H, (E or V) if l == 0 else H), tensor(4 * H, H), tensor(4 * H)))
    W_y, b_y = tensor(V, H), tensor(V)
    emb = tensor(V, E) if E else None
    if pos != len(data) - 4:
        raise ValueError(f"{path}: {len(data)} bytes, where its sizes make {pos + 4}")
    return vocab, width, H, L, layers, W_y, b_y, emb


def to_torch(path, dtype=torch.float64):
    """(vocab, lstm, decoder, width, embedding) for the model file at path;
    embedding is an nn.Embedding, or None for one-hot input."""
    vocab, width, H, L, layers, W_y, b_y, emb = read_file(path)
    V = len(vocab)
    lstm = torch.nn.LSTM(V if emb is None else emb.shape[1], H, L).to(dtype)
    decoder = torch.nn.Linear(H, V).to(dtype)
    embedding = None if emb is None else torch.nn.Embedding(V, emb.shape[1]).to(dtype)
    with torch.no_grad():
        if embedding is not None:
            embedding.weight.copy_(torch.from_numpy(emb))
        for l, (W_ih, W_hh, b) in enumerate(layers):
            getattr(lstm, f"weight_ih_l{l}").copy_(torch.from_numpy(W_ih))
            getattr(lstm, f"weight_hh_l{l}").copy_(torch.from_numpy(W_hh))
            getattr(lstm, f"bias_ih_l{l}").copy_(torch.from_numpy(b))
            getattr(lstm, f"bias_hh_l{l}").zero_()
        decoder.weight.copy_(torch.from_numpy(W_y))
        decoder.bias.copy_(torch.from_numpy(b_y))
    return vocab, lstm, decoder, width, embedding


def from_torch(vocab, lstm, decoder, width, path, embedding=None):
    """Write the model file at path from a PyTorch LSTM and decoder (and an
    nn.Embedding in front of the LSTM, or None) whose input and output rows
    follow vocab (any order)."""
    V, H, L = len(vocab), lstm.hidden_size, lstm.num_layers
    E = 0 if embedding is None else embedding.embedding_dim
    if embedding is not None and (embedding.num_embeddings != V or E < 1):
        raise ValueError("the embedding does not fit the vocabulary")
    if lstm.input_size != (E or V) or decoder.in_features != H or decoder.out_features != V:
        raise ValueError("the LSTM and the decoder do not fit the vocabulary")
    if lstm.bias is False or lstm.batch_first or lstm.bidirectional or lstm.proj_size:
        raise ValueError("only a plain nn.LSTM with biases fits the model file")
    chars = sorted((k for k in range(V) if len(vocab[k]) == 1), key=lambda k: ord(vocab[k]))
    words = [k for k in range(V) if len(vocab[k]) > 1]
    order = chars + words                            # position in the file -> PyTorch's
    cps = [ord(vocab[k]) for k in chars]
    if any(len(s) < 1 or len(s) > 32 for s in vocab) or len(set(vocab)) != V:
        raise ValueError("the vocabulary must be distinct strings of 1 to 32 characters")
    if any(0xD800 <= ord(c) <= 0xDFFF for s in vocab for c in s):
        raise ValueError("a surrogate is not a character, and no model file holds one")
    if any(c not in set(vocab[k] for k in chars) for k in words for c in vocab[k]):
        raise ValueError("every character of a word must be a token of its own too")
    if words and E == 0:
        raise ValueError("a model of words reads them through an embedding")
    W = sum(len(vocab[k]) for k in words)
    fmt = "<f4" if width == 4 else "<f8"
    out = bytearray(MAGIC)
    out += struct.pack("<6I", 1, width, V, H, L, 0) if E == 0 else \
        struct.pack("<10I", 2, width, V, H, L, E, 1 if words else 0, len(chars), W, 0)
    out += struct.pack(f"<{len(cps)}I", *cps)
    for k in words:
        out += struct.pack(f"<{1 + len(vocab[k])}I", len(vocab[k]), *(ord(c) for c in vocab[k]))

    def put(t):
        a = t.detach().to(torch.float64).numpy()
        if not np.all(np.isfinite(a)):
            raise ValueError("a parameter is not a finite number")
        out.extend(a.astype(fmt).tobytes())

    for l in range(L):
        W_ih = getattr(lstm, f"weight_ih_l{l}")
        put(W_ih[:, order] if l == 0 and E == 0 else W_ih)
        put(getattr(lstm, f"weight_hh_l{l}"))
        put(getattr(lstm, f"bias_ih_l{l}") + getattr(lstm, f"bias_hh_l{l}"))
    put(decoder.weight[order, :])
    put(decoder.bias[order])
    if E:
        put(embedding.weight[order, :])
    out += struct.pack("<I", zlib.crc32(bytes(out)))
    open(path, "wb").write(bytes(out))


def main(argv):
    if len(argv) != 4 or argv[1] not in ("to-torch", "from-torch"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        if argv[1] == "to-torch":
            vocab, lstm, decoder, width, embedding = to_torch(argv[2])
            state = {"vocab": vocab, "lstm": lstm.state_dict(), "decoder": decoder.state_dict(),
                     "width": width}
            if embedding is not None:
                state["embedding"] = embedding.state_dict()
            torch.save(state, argv[3])
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
            embedding = None
            if "embedding" in state:
                embedding = torch.nn.Embedding(V, state["embedding"]["weight"].shape[1]).to(dtype)
                embedding.load_state_dict(state["embedding"])
            In = V if embedding is None else embedding.embedding_dim
            lstm, decoder = torch.nn.LSTM(In, H, L).to(dtype), torch.nn.Linear(H, V).to(dtype)
            lstm.load_state_dict(state["lstm"])
            decoder.load_state_dict(state["decoder"])
            from_torch(state["vocab"], lstm, decoder, state.get("width", 4), argv[3], embedding)
    except (OSError, ValueError, KeyError, RuntimeError, struct.error) as e:
        print(f"lstm_torch: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
