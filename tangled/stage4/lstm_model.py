"""Read an "An LSTM from Scratch, in C" model file; evaluate it on a text."""
import math
import struct
import sys
import zlib


def read_model(path):
    return parse_model(open(path, "rb").read(), path)


def parse_model(data, path):
    if len(data) < 36 or data[:8] != b"LSTMCHAR":
        raise ValueError(f"{path}: not a model file")
    version, width, V, H, L, field28 = struct.unpack_from("<6I", data, 8)
    if version == 1 and field28 == 0:      # field28 is reserved in version 1
        E, C, pos = 0, V, 32               # no embedding; V characters at 32
    else:
        raise ValueError(f"{path}: version {version}, bytes 28..31 {field28}: not supported")
    if width not in (4, 8):
        raise ValueError(f"{path}: width {width}: not supported")
    if zlib.crc32(data[:-4]) != struct.unpack_from("<I", data, len(data) - 4)[0]:
        raise ValueError(f"{path}: checksum mismatch")
    vocab = [chr(c) for c in struct.unpack_from(f"<{C}I", data, pos)]
    pos += 4 * C
    code = "f" if width == 4 else "d"

    def tensor(rows, cols):
        nonlocal pos
        flat = struct.unpack_from(f"<{rows * cols}{code}", data, pos)
        pos += rows * cols * width
        return [list(flat[i * cols:(i + 1) * cols]) for i in range(rows)]

    layers = []
    for l in range(L):
        n_in = (E or V) if l == 0 else H
        layers.append({"W_ih": tensor(4 * H, n_in), "W_hh": tensor(4 * H, H),
                       "b": tensor(1, 4 * H)[0]})
    W_y, b_y = tensor(V, H), tensor(1, V)[0]
    model = {"vocab": vocab, "V": V, "H": H, "L": L, "layers": layers, "W_y": W_y, "b_y": b_y}
    if pos != len(data) - 4:
        raise ValueError(f"{path}: wrong length")
    return model


def sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def prediction_losses(m, text):
    """The loss (nats) of predicting each of text[1:] from the text before it."""
    H, index = m["H"], {c: k for k, c in enumerate(m["vocab"])}
    h = [[0.0] * H for _ in m["layers"]]
    c = [[0.0] * H for _ in m["layers"]]
    losses = []
    for t in range(len(text) - 1):
        x = None                           # the bottom layer reads a one-hot row
        for l, layer in enumerate(m["layers"]):
            pre = []
            for r in range(4 * H):
                s = layer["b"][r] + sum(w * v for w, v in zip(layer["W_hh"][r], h[l]))
                s += layer["W_ih"][r][index[text[t]]] if x is None else \
                    sum(w * v for w, v in zip(layer["W_ih"][r], x))
                pre.append(s)
            for j in range(H):
                i, f = sigmoid(pre[j]), sigmoid(pre[H + j])
                g, o = math.tanh(pre[2 * H + j]), sigmoid(pre[3 * H + j])
                c[l][j] = f * c[l][j] + i * g
                h[l][j] = o * math.tanh(c[l][j])
            x = h[l]
        y = [b + sum(w * v for w, v in zip(row, x)) for row, b in zip(m["W_y"], m["b_y"])]
        top = max(y)
        log_sum = top + math.log(sum(math.exp(v - top) for v in y))
        losses.append(log_sum - y[index[text[t + 1]]])
    return losses


def mean_loss(m, text):
    """Mean cross-entropy (nats/char) of predicting text[1:] from text[:-1]."""
    return sum(prediction_losses(m, text)) / (len(text) - 1)


if __name__ == "__main__":
    model = read_model(sys.argv[1])
    print(f"sizes: V = {model['V']}, H = {model['H']}, L = {model['L']}")
    if len(sys.argv) > 2:
        text = open(sys.argv[2], encoding="utf-8").read()[:int(sys.argv[3])]
        print(f"loss: {mean_loss(model, text):.6f} nats/char")
