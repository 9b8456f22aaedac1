"""tools/words-vs-chars-split.py CHAR_MODEL WORD_MODEL TEXT — chapter 9's
comparison, split the same way for both models: the loss of a model of
characters on each character of TEXT (PyTorch, through tools/lstm_torch.py),
added up by the kind of token the model of words reads that character in
(a word of its vocabulary; a letter spelled out; any other character), next
to the model of words' own loss per character of each kind (lstm-eval
--per-char gives the latter too; this computes both, the same way).
Needs python3-torch; run by tools/words-vs-chars.sh where it is installed."""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lstm_torch  # noqa: E402
from test_torch import word_pieces  # noqa: E402


def losses(path, text):
    """The token pieces of text for the model at path, and the loss of
    predicting each piece after the first."""
    vocab, lstm, decoder, _, embedding = lstm_torch.to_torch(path, torch.float64)
    pieces = word_pieces(text, vocab) if any(len(s) > 1 for s in vocab) else list(text)
    index = {s: k for k, s in enumerate(vocab)}
    tokens = torch.tensor([index[s] for s in pieces])
    with torch.no_grad():
        x = embedding(tokens[:-1]) if embedding is not None else \
            F.one_hot(tokens[:-1], len(vocab)).to(torch.float64)
        out, _ = lstm(x.unsqueeze(1))
        loss = F.cross_entropy(decoder(out[:, 0, :]), tokens[1:], reduction="none")
    return pieces, loss.tolist()


def main():
    torch.set_num_threads(1)
    text = open(sys.argv[3], encoding="utf-8").read()
    cp, cl = losses(sys.argv[1], text)
    wp, wl = losses(sys.argv[2], text)
    kinds = ["words", "spelled", "other"]   # a word of the vocabulary, a letter spelled out, another character
    kind_of = []                                   # per character of text[1:]
    for s in wp:
        k = 0 if len(s) > 1 else 1 if s.isascii() and s.isalpha() else 2
        kind_of += [k] * len(s)
    char_sum, word_sum, count = [0.0] * 3, [0.0] * 3, [0] * 3
    for i, l in enumerate(cl):                      # the character model: character i + 1
        char_sum[kind_of[i + 1]] += l
    at = len(wp[0])
    for s, l in zip(wp[1:], wl):                    # the word model: spread over its characters
        for _ in s:
            word_sum[kind_of[at]] += l / len(s)
            count[kind_of[at]] += 1
            at += 1
    first = len(wp[0])                              # both scored on the characters after the first token
    char_total = sum(cl[first - 1:])
    n = len(text) - first
    print(f"characters: {len(text)}")
    print(f"scored: {n}")
    for k in range(3):      # per kind: its characters, and each model's mean loss on them (nats/char)
        c = sum(1 for i in range(first, len(text)) if kind_of[i] == k)
        cs = sum(cl[i - 1] for i in range(first, len(text)) if kind_of[i] == k)
        print(f"{kinds[k]} characters: {c:,}")
        print(f"{kinds[k]} share: {100 * c / n:.1f}%")
        print(f"{kinds[k]} chars model: {cs / c:.3f}")
        print(f"{kinds[k]} words model: {word_sum[k] / count[k]:.3f}")
    print(f"all chars model: {char_total / n:.4f}")
    print(f"all words model: {sum(wl) / n:.4f}")
    print(f"all chars model bits: {char_total / n / math.log(2):.4f}")
    print(f"all words model bits: {sum(wl) / n / math.log(2):.4f}")


if __name__ == "__main__":
    main()
