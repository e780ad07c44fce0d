"""The benchmark's MLP training step in numpy (float64), for a speed reference in the same run.

Usage: python3 mlp_numpy.py ROUNDS BATCH:STEPS ...
  -> a line "# numpy VERSION", then for each BATCH:STEPS one line "BATCH SAMPLES_PER_S": the median over ROUNDS rounds
     of STEPS training steps each, after two warm-up rounds. numpy multiplies through its BLAS.
"""
import sys
import time

import numpy as np

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
RUNS = [tuple(int(v) for v in arg.split(":")) for arg in sys.argv[2:]] or [(128, 20)]
N_IN, H1, H2, N_OUT = 784, 256, 128, 10


def samples_per_second(batch, steps):
    rng = np.random.RandomState(1)
    x = rng.randn(N_IN, batch)
    y = np.zeros((N_OUT, batch))
    y[np.arange(batch) % N_OUT, np.arange(batch)] = 1
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
        dz = (e / e.sum(axis=0, keepdims=True) - y) / batch
        for l in range(2, -1, -1):
            dw = dz @ acts[l].T
            db = dz.sum(axis=1, keepdims=True)
            if l > 0:
                dz = (w[l].T @ dz) * (zs[l - 1] > 0)
            w[l] -= lr * dw
            b[l] -= lr * db

    def run():
        for _ in range(steps):
            step()

    run()
    run()
    times = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    times.sort()
    return steps * batch / times[ROUNDS // 2]


print("# numpy %s" % np.__version__, flush=True)
for batch, steps in RUNS:
    print(batch, samples_per_second(batch, steps), flush=True)
