"""The benchmark's MLP training step in PyTorch (float64), for a speed reference in the same run:
784-256-128-10, ReLU, softmax cross-entropy (mean over the batch), the backward by autograd as
chainrule does it, SGD by hand at learning rate 0.01. Columns are examples, as in mlp_numpy.py.

Usage: python3 mlp_torch.py ROUNDS THREADS BATCH:STEPS ...
  THREADS: 0 keeps PyTorch's default intra-op thread count, N sets it (torch.set_num_threads).
  -> a line "# torch VERSION threads N", then for each BATCH:STEPS one line "BATCH SAMPLES_PER_S":
     the median over ROUNDS rounds of STEPS training steps each, after two warm-up rounds.
     Prints a line starting with "skipped" and exits 0 when torch cannot be imported.
"""
import sys
import time

try:
    import torch
except ImportError as e:
    print("skipped: " + str(e))
    sys.exit(0)

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 0
RUNS = [tuple(int(v) for v in arg.split(":")) for arg in sys.argv[3:]] or [(128, 20)]
SIZES = [784, 256, 128, 10]
if THREADS > 0:
    torch.set_num_threads(THREADS)
print("# torch %s threads %d" % (torch.__version__, torch.get_num_threads()), flush=True)


def samples_per_second(batch, steps):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(SIZES[0], batch, generator=g, dtype=torch.float64)
    labels = torch.arange(batch) % SIZES[3]
    w = [(torch.randn(SIZES[l + 1], SIZES[l], generator=g, dtype=torch.float64) * (2.0 / SIZES[l]) ** 0.5)
         .requires_grad_() for l in range(3)]
    b = [torch.zeros(SIZES[l + 1], 1, dtype=torch.float64, requires_grad=True) for l in range(3)]

    def step(lr=0.01):
        a = x
        for l in range(3):
            z = w[l] @ a + b[l]
            a = torch.relu(z) if l < 2 else z
        # softmax cross-entropy of the logits (classes along rows), mean over the batch's columns
        cost = torch.nn.functional.cross_entropy(a.t(), labels)
        for p in w + b:
            p.grad = None
        cost.backward()
        with torch.no_grad():
            for p in w + b:
                p -= lr * p.grad

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


for batch, steps in RUNS:
    print(batch, samples_per_second(batch, steps), flush=True)
