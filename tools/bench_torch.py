"""tools/bench_torch.py — the outside reference of `make bench`: PyTorch's
nn.LSTM doing what lstm-bench times, on the same machine, in the same run.

    python3 tools/bench_torch.py THREADS [REPEAT]

prints "torch train THREADS: chars/s" for training steps of a 2 x 256 LSTM
(V = 65, one-hot inputs as in the book, T = 100, B = 32: forward, backward,
clipping to norm 5, Adam) and "torch sample THREADS: chars/s" for sampling
one character at a time at batch 1; each the median of REPEAT timed runs.

    python3 tools/bench_torch.py memory

only trains, 21 steps, for a measure of a training run's peak memory.
Optional: `make bench` runs it only when `import torch` works.
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

memory = len(sys.argv) > 1 and sys.argv[1] == "memory"
threads = 1 if memory else int(sys.argv[1]) if len(sys.argv) > 1 else 1
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
torch.set_num_threads(threads)
torch.manual_seed(1)
V, H, L, T, B, STEPS, CHARS = 65, 256, 2, 100, 32, 3, 300

lstm = torch.nn.LSTM(V, H, L)
decoder = torch.nn.Linear(H, V)
params = list(lstm.parameters()) + list(decoder.parameters())
opt = torch.optim.Adam(params, lr=0.002)
tokens = torch.randint(0, V, (T + 1, B))
x = F.one_hot(tokens[:-1], V).float()          # T x B x V
y = tokens[1:].reshape(-1)


def train_steps():
    state = (torch.zeros(L, B, H), torch.zeros(L, B, H))
    for _ in range(STEPS):
        out, state = lstm(x, state)
        state = (state[0].detach(), state[1].detach())
        loss = F.cross_entropy(decoder(out).reshape(-1, V), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()


def sample_chars():
    with torch.no_grad():
        state = (torch.zeros(L, 1, H), torch.zeros(L, 1, H))
        token = torch.zeros(1, dtype=torch.long)
        for _ in range(CHARS):
            out, state = lstm(F.one_hot(token, V).float().reshape(1, 1, V), state)
            p = torch.softmax(decoder(out[0]), dim=-1)
            token = torch.multinomial(p, 1).reshape(1)


def rate(fn, chars):
    fn()                                        # warm up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(chars / (time.perf_counter() - start))
    return statistics.median(runs)


if memory:
    for _ in range(7):
        train_steps()
    sys.exit(0)
print(f"torch {torch.__version__}, {threads} thread(s)")
print(f"torch train {threads}: {rate(train_steps, T * B * STEPS):.0f}")
print(f"torch sample {threads}: {rate(sample_chars, CHARS):.0f}")
