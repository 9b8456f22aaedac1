"""tools/test_torch.py DOUBLE_BIN RELEASE_BIN — `make test-torch`: the book's
loss and gradients against PyTorch's autograd.

For random models of odd sizes (L = 1, 2, 3) over a text with characters of
one to four bytes in UTF-8, saved by the double build's lstm-eval (width 8):
  * tools/lstm_torch.py turns the file into an nn.LSTM and nn.Linear in
    float64, whose vocabulary this test then shuffles (so that PyTorch's
    one-hot order is not ours, and W_ih's columns, W_y's and b_y's rows move
    with it);
  * PyTorch's mean cross-entropy of the n - 1 predictions of the text, from
    the zero state, equals the loss of lstm-eval and of lstm-grad (double
    build, --digits 15) to 1e-10 relative;
  * every tensor of the gradient lstm-grad --out writes equals autograd's
    (bias: either of PyTorch's two) to 1e-10 relative to its largest element;
  * the shuffled PyTorch model converted back is the original file, byte for
    byte.
The same for models with an embedding (appendix B5's version 2; an
nn.Embedding in front of the nn.LSTM, its rows shuffled with the vocabulary),
the table's gradient included.  And models trained by lstm-train (release
build, width 4), one-hot and embedded, give PyTorch the loss lstm-eval's
double build gives them, to 1e-10.  And a model of words trained by
lstm-train, its text read in words by a tokenizer written here from chapter
9's rule: PyTorch's loss and every gradient equal lstm-eval's and
lstm-grad's, and the model converted with its vocabulary shuffled (words and
characters) and back gives lstm-eval the same loss.
"""
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lstm_torch  # noqa: E402

TOL = 1e-10
TEXT = ("To be, or not to be: caf\u00e9 \u20ac \U0001F600 \u00fcber \u4e2d!\n"
        "Whether 'tis nobler in the mind to suffer \u00e6\u00f8\u00e5 \u2014 \U0001F30D.\n") * 2


def run(*args):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"test-torch: {' '.join(map(str, args))} failed:\n{p.stderr}")
    return p.stdout


def value(out, key):
    for line in out.splitlines():
        if line.startswith(key + ":"):
            return float(line.split()[1])
    sys.exit(f"test-torch: no '{key}:' in\n{out}")


def shuffled(vocab, lstm, decoder, embedding, seed):
    """The same network with its characters in another order."""
    order = list(range(len(vocab)))
    while order == sorted(order):
        random.Random(seed).shuffle(order)
        seed += 1
    new_vocab = [vocab[k] for k in order]
    with torch.no_grad():
        if embedding is None:
            lstm.weight_ih_l0.copy_(lstm.weight_ih_l0[:, order].clone())
        else:
            embedding.weight.copy_(embedding.weight[order, :].clone())
        decoder.weight.copy_(decoder.weight[order, :].clone())
        decoder.bias.copy_(decoder.bias[order].clone())
    return new_vocab


def letter(c):
    return c.isascii() and c.isalpha() or ord(c) >= 0x80


def word_pieces(text, vocab):
    """text read in the tokens of vocab, by chapter 9's rule (a word with the space
    before it; the word alone after a space token; else its characters)."""
    words, out, i = {s for s in vocab if len(s) > 1}, [], 0
    while i < len(text):
        j = i + (text[i] == " " and i + 1 < len(text) and letter(text[i + 1]))
        if not letter(text[j]):
            out.append(text[i]); i += 1; continue
        end = j + 1
        while end < len(text) and end - i < 32 and (letter(text[end]) or (
                text[end] == "'" and end + 1 < len(text) and letter(text[end + 1]))):
            end += 1
        piece = text[i:end]
        out += [piece] if piece in words else [" ", piece[1:]] if piece[0] == " " and piece[1:] in words \
            else list(piece)
        i = end
    return out


def torch_loss(vocab, lstm, decoder, embedding, text):
    index = {c: k for k, c in enumerate(vocab)}
    tokens = torch.tensor([index[c] for c in word_pieces(text, vocab)])
    if embedding is None:
        x = F.one_hot(tokens[:-1], len(vocab)).to(torch.float64).unsqueeze(1)   # T x 1 x V
    else:
        x = embedding(tokens[:-1]).unsqueeze(1)                                  # T x 1 x E
    out, _ = lstm(x)                                                         # from the zero state
    return F.cross_entropy(decoder(out[:, 0, :]), tokens[1:])               # mean of n - 1


def close(a, b, what):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(float(np.max(np.abs(b))), 1e-300)
    err = float(np.max(np.abs(a - b))) / scale
    if not err <= TOL:
        sys.exit(f"test-torch: {what}: relative error {err:.3g} (the book {a.ravel()[:3]}, PyTorch {b.ravel()[:3]})")
    return err


def main():
    dbl, rel = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as t:
        text_path = os.path.join(t, "text.txt")
        open(text_path, "w", encoding="utf-8").write(TEXT)
        n = len(TEXT)
        worst = 0.0
        cases = [(5, 1, 0), (7, 2, 0), (13, 3, 0), (3, 2, 0), (6, 1, 4), (5, 2, 9), (4, 3, 1)]
        embedded = "--embed" in run(f"{dbl}/lstm-eval", "--help")
        if not embedded:
            cases = [c for c in cases if c[2] == 0]
        for case, (H, L, E) in enumerate(cases):
            m = os.path.join(t, f"m{case}.bin")
            g = os.path.join(t, f"g{case}.bin")
            run(f"{dbl}/lstm-eval", "--hidden", H, "--layers", L, "--seed", 11 + case, "--save", m,
                *(["--embed", E] if E else []), text_path)
            vocab, lstm, decoder, width, embedding = lstm_torch.to_torch(m)
            assert width == 8, f"the double build wrote width {width}"
            assert (embedding is None) == (E == 0), f"case {case}: the converter missed the table"
            tv = shuffled(vocab, lstm, decoder, embedding, case)
            loss = torch_loss(tv, lstm, decoder, embedding, TEXT)
            params = list(lstm.parameters()) + list(decoder.parameters())
            names = [name for name, _ in lstm.named_parameters()] + ["decoder.weight", "decoder.bias"]
            if embedding is not None:
                params.append(embedding.weight)
                names.append("embedding.weight")
            grads = torch.autograd.grad(loss, params)
            grad = dict(zip(names, grads))
            out_g = run(f"{dbl}/lstm-grad", "--model", m, "--chars", n, "--no-check", "--digits", 15,
                        "--out", g, text_path)
            out_e = run(f"{dbl}/lstm-eval", "--model", m, "--steps", 17, "--digits", 15, text_path)
            worst = max(worst, close(value(out_g, "loss"), loss.item(), f"case {case}: lstm-grad's loss"))
            worst = max(worst, close(value(out_e, "loss"), loss.item(), f"case {case}: lstm-eval's loss"))
            gv, _, _, _, glayers, gW_y, gb_y, gemb = lstm_torch.read_file(g)
            assert gv == vocab
            back = [tv.index(c) for c in gv]          # file position -> PyTorch's index
            for l, (W_ih, W_hh, b) in enumerate(glayers):
                tw = grad[f"weight_ih_l{l}"].numpy()
                worst = max(worst, close(W_ih, tw[:, back] if l == 0 and E == 0 else tw,
                                         f"case {case}: W_ih of layer {l + 1}"))
                worst = max(worst, close(W_hh, grad[f"weight_hh_l{l}"].numpy(), f"case {case}: W_hh of layer {l + 1}"))
                worst = max(worst, close(b, grad[f"bias_ih_l{l}"].numpy(), f"case {case}: b of layer {l + 1}"))
                close(grad[f"bias_hh_l{l}"].numpy(), grad[f"bias_ih_l{l}"].numpy(), "PyTorch's two biases")
            worst = max(worst, close(gW_y, grad["decoder.weight"].numpy()[back, :], f"case {case}: W_y"))
            worst = max(worst, close(gb_y, grad["decoder.bias"].numpy()[back], f"case {case}: b_y"))
            if E:
                worst = max(worst, close(gemb, grad["embedding.weight"].numpy()[back, :],
                                         f"case {case}: the embedding"))
            again = os.path.join(t, f"again{case}.bin")
            lstm_torch.from_torch(tv, lstm, decoder, 8, again, embedding)
            if open(again, "rb").read() != open(m, "rb").read():
                sys.exit(f"test-torch: case {case}: the shuffled PyTorch model written back is not the file")
        n_emb = sum(1 for c in cases if c[2])
        print(f"test-torch: {len(cases)} random models ({n_emb} with an embedding; L = 1..3, V = {len(vocab)}, "
              f"characters of 1 to 4 bytes, PyTorch's vocabulary shuffled): loss and every gradient "
              f"tensor within {worst:.2g} of autograd's (bound {TOL:g}); converted back byte for byte")

        shakespeare = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\n"
                       "All:\nSpeak, speak.\n\n") * 40
        train_path = os.path.join(t, "train.txt")
        open(train_path, "w", encoding="utf-8").write(shakespeare)
        piece = shakespeare[:300]
        piece_path = os.path.join(t, "piece.txt")
        open(piece_path, "w", encoding="utf-8").write(piece)
        for E in ([0, 8] if embedded else [0]):
            run_dir = os.path.join(t, f"run{E}")
            run(f"{rel}/lstm-train", "--out", run_dir, "--hidden", 16, "--layers", 2, "--batch", 4,
                "--steps", 20, "--max-steps", 30, "--sample-chars", 0,
                *(["--embed", E] if E else []), train_path)
            model = os.path.join(run_dir, "last.model")
            vocab, lstm, decoder, width, embedding = lstm_torch.to_torch(model)
            assert width == 4, f"the float build wrote width {width}"
            with torch.no_grad():
                loss = torch_loss(vocab, lstm, decoder, embedding, piece).item()
            ours = value(run(f"{dbl}/lstm-eval", "--model", model, "--digits", 15, piece_path), "loss")
            err = close(ours, loss, "the trained model's loss")
            print(f"test-torch: a model trained by lstm-train{f' --embed {E}' if E else ''}: "
                  f"PyTorch's loss {loss:.12f}, lstm-eval's {ours:.12f} (relative difference {err:.2g})")
        if embedded:
            check_words(t, dbl, rel, train_path, piece_path, piece)


def check_words(t, dbl, rel, train_path, piece_path, piece):
    run_dir = os.path.join(t, "words")
    run(f"{rel}/lstm-train", "--out", run_dir, "--hidden", 12, "--layers", 2, "--batch", 4,
        "--steps", 10, "--max-steps", 40, "--sample-chars", 0, "--tokens", "words", "--words", 12,
        "--embed", 6, train_path)
    model = os.path.join(run_dir, "last.model")
    vocab, lstm, decoder, width, embedding = lstm_torch.to_torch(model)
    assert embedding is not None and any(len(s) > 1 for s in vocab), "not a model of words"
    pieces = word_pieces(piece, vocab)
    assert "".join(pieces) == piece and len(pieces) < len(piece)
    loss = torch_loss(vocab, lstm, decoder, embedding, piece)
    params = list(lstm.parameters()) + list(decoder.parameters()) + [embedding.weight]
    grads = torch.autograd.grad(loss, params)
    names = [name for name, _ in lstm.named_parameters()] + ["decoder.weight", "decoder.bias", "embedding.weight"]
    grad = dict(zip(names, grads))
    g = os.path.join(t, "gwords.bin")
    out_g = run(f"{dbl}/lstm-grad", "--model", model, "--chars", len(piece), "--no-check", "--digits", 15,
                "--out", g, piece_path)
    out_e = run(f"{dbl}/lstm-eval", "--model", model, "--digits", 15, piece_path)
    worst = max(close(value(out_g, "loss"), loss.item(), "words: lstm-grad's loss"),
                close(value(out_e, "loss"), loss.item(), "words: lstm-eval's loss"))
    gv, _, _, _, glayers, gW_y, gb_y, gemb = lstm_torch.read_file(g)
    assert gv == vocab
    for l, (W_ih, W_hh, b) in enumerate(glayers):
        worst = max(worst, close(W_ih, grad[f"weight_ih_l{l}"].numpy(), f"words: W_ih of layer {l + 1}"),
                    close(W_hh, grad[f"weight_hh_l{l}"].numpy(), f"words: W_hh of layer {l + 1}"),
                    close(b, grad[f"bias_ih_l{l}"].numpy(), f"words: b of layer {l + 1}"))
    worst = max(worst, close(gW_y, grad["decoder.weight"].numpy(), "words: W_y"),
                close(gb_y, grad["decoder.bias"].numpy(), "words: b_y"),
                close(gemb, grad["embedding.weight"].numpy(), "words: the embedding"))
    tv = shuffled(vocab, lstm, decoder, embedding, 5)
    again = os.path.join(t, "words-again.bin")
    lstm_torch.from_torch(tv, lstm, decoder, width, again, embedding)
    back = value(run(f"{dbl}/lstm-eval", "--model", again, "--digits", 15, piece_path), "loss")
    worst = max(worst, close(back, value(out_e, "loss"), "words: the shuffled model written back"))
    print(f"test-torch: a model of words trained by lstm-train ({len(vocab)} tokens, "
          f"{sum(len(s) > 1 for s in vocab)} of them words; {len(piece)} characters read as "
          f"{len(pieces)} tokens): loss and every gradient within {worst:.2g} of autograd's; "
          f"shuffled and written back, the same loss")


if __name__ == "__main__":
    main()
