"""The course's planar network (2 -> 4 tanh -> 1 sigmoid, 400 flower points, learning rate 1.2) in numpy,
the notebook's formulas (forward_propagation, compute_cost, backward_propagation, update_parameters).

Usage: python3 planar_numpy.py ROUNDS ITERATIONS -> prints the median iterations/s.
"""
import sys
import time

import numpy as np

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
ITERS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


def load_planar_dataset():
    np.random.seed(1)
    m, N, D, a = 400, 200, 2, 4
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype='uint8')
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


X, Y = load_planar_dataset()
np.random.seed(2)
W1 = np.random.randn(4, 2) * 0.01
b1 = np.zeros((4, 1))
W2 = np.random.randn(1, 4) * 0.01
b2 = np.zeros((1, 1))
m = X.shape[1]


def step(lr=1.2):
    global W1, b1, W2, b2
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = 1 / (1 + np.exp(-Z2))
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.multiply(np.dot(W2.T, dZ2), 1 - np.power(A1, 2))
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    W1 = W1 - lr * dW1
    b1 = b1 - lr * db1
    W2 = W2 - lr * dW2
    b2 = b2 - lr * db2
    return cost


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
