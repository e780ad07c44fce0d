"""The benchmark's MLP training step in numpy (float64), for a speed reference in the same run.

Usage: python3 mlp_numpy.py ROUNDS  -> prints the median samples/s of STEPS steps per round.
"""
import sys
import time

import numpy as np

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
N_IN, H1, H2, N_OUT, BATCH, STEPS = 784, 256, 128, 10, 128, 20

rng = np.random.RandomState(1)
x = rng.randn(N_IN, BATCH)
y = np.zeros((N_OUT, BATCH))
y[np.arange(BATCH) % N_OUT, np.arange(BATCH)] = 1
sizes = [N_IN, H1, H2, N_OUT]
w = [rng.randn(sizes[l + 1], sizes[l]) * np.sqrt(2.0 / sizes[l]) for l in range(3)]
b = [np.zeros((sizes[l + 1], 1)) for l in range(3)]


def step(lr=0.01):
    a, zs, acts = x, [], [x]
    for l in range(3):
        z = w[l] @ a + b[l]
        zs.append(z)
        a = np.maximum(z, 0) if l < 2 else z
        acts.append(a)
    e = np.exp(a - a.max(axis=0, keepdims=True))
    dz = (e / e.sum(axis=0, keepdims=True) - y) / BATCH
    for l in range(2, -1, -1):
        dw = dz @ acts[l].T
        db = dz.sum(axis=1, keepdims=True)
        if l > 0:
            dz = (w[l].T @ dz) * (zs[l - 1] > 0)
        w[l] -= lr * dw
        b[l] -= lr * db


def run():
    for _ in range(STEPS):
        step()


run()
run()
times = []
for _ in range(ROUNDS):
    t = time.perf_counter()
    run()
    times.append(time.perf_counter() - t)
times.sort()
print(STEPS * BATCH / times[ROUNDS // 2])
