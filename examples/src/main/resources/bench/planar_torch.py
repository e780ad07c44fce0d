"""The course's planar network in PyTorch (float64, autograd for the backward, SGD by hand at learning
rate 1.2), the same data and cost as planar_numpy.py. One thread, as the Java side uses.

Usage: python3 planar_torch.py ROUNDS ITERATIONS -> prints the median iterations/s, or a line starting
with "skipped" when torch is not installed.
"""
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as e:
    print("skipped: " + str(e))
    sys.exit(0)

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
ITERS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
torch.set_num_threads(1)


def load_planar_dataset():
    np.random.seed(1)
    m, N, D, a = 400, 200, 2, 4
    X = np.zeros((m, D))
    Y = np.zeros((m, 1))
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


Xn, Yn = load_planar_dataset()
X = torch.tensor(Xn, dtype=torch.float64)
Y = torch.tensor(Yn, dtype=torch.float64)
np.random.seed(2)
params = [torch.tensor(np.random.randn(4, 2) * 0.01, requires_grad=True),
          torch.zeros((4, 1), dtype=torch.float64, requires_grad=True),
          torch.tensor(np.random.randn(1, 4) * 0.01, requires_grad=True),
          torch.zeros((1, 1), dtype=torch.float64, requires_grad=True)]
m = X.shape[1]


def step(lr=1.2):
    W1, b1, W2, b2 = params
    A1 = torch.tanh(W1 @ X + b1)
    A2 = torch.sigmoid(W2 @ A1 + b2)
    logprobs = torch.log(A2) * Y + torch.log(1 - A2) * (1 - Y)
    cost = -logprobs.sum() / m
    for p in params:
        p.grad = None
    cost.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
    return cost.item()


def run():
    for _ in range(ITERS):
        step()


run()
times = []
for _ in range(ROUNDS):
    t = time.perf_counter()
    run()
    times.append(time.perf_counter() - t)
times.sort()
print(ITERS / times[ROUNDS // 2])
