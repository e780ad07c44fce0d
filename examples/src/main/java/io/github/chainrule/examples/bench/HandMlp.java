package io.github.chainrule.examples.bench;

import io.github.chainrule.autodiff.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The benchmark's reference: the same ReLU MLP training step written by hand, with the backward
 * pass derived on paper ({@code dZ = softmax − Y}, {@code dW = dZ·Aᵀ/m}, {@code db = Σ dZ/m},
 * {@code dA = Wᵀ·dZ}, {@code dZ = dA ⊙ [Z > 0]}), preallocated buffers and no graph. Its
 * products go either the way chainrule's own go, through the current backend (so that chainrule
 * against this, on the same backend, measures the graph's overhead alone), or through EJML (the
 * previous backend, for comparison).
 */
final class HandMlp {
    /** Who multiplies: {@code C = op(A)·op(B)}. */
    enum Products {
        /**
         * Products as chainrule's operations make them: through the current backend
         * ({@code GemmBackends.current()}, e.g. OpenBLAS) when it takes the product, else the
         * pure-Java kernel (two threads for large products).
         */
        CHAINRULE_KERNEL {
            @Override
            void mult(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
                KernelAccess.dispatch(ta, tb, a.data, a.numRows, a.numCols, b.data, b.numRows, b.numCols, c.data);
            }
        },
        /** chainrule's kernel held to one thread. */
        CHAINRULE_KERNEL_1T {
            @Override
            void mult(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
                KernelAccess.multiply(ta, tb, a.data, a.numRows, a.numCols, b.data, b.numRows, b.numCols, c.data,
                        1);
            }
        },
        /** EJML 0.44, single-threaded: the previous backend. */
        EJML {
            @Override
            void mult(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
                if (!ta && !tb) {
                    CommonOps_DDRM.mult(a, b, c);
                } else if (!ta) {
                    CommonOps_DDRM.multTransB(a, b, c);
                } else if (!tb) {
                    CommonOps_DDRM.multTransA(a, b, c);
                } else {
                    CommonOps_DDRM.multTransAB(a, b, c);
                }
            }
        };

        abstract void mult(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);
    }

    private final Products products;
    private final int layers;
    /** Parameters (package-private for the test that trains it beside chainrule), then buffers. */
    final DMatrixRMaj[] w, b;
    private final DMatrixRMaj[] z, a, dw, db, da;
    private final DMatrixRMaj y, dzOut;

    HandMlp(Products products, int[] sizes, Tensor x, Tensor labels) {
        this.products = products;
        layers = sizes.length - 1;
        int m = x.cols();
        w = new DMatrixRMaj[layers];
        b = new DMatrixRMaj[layers];
        z = new DMatrixRMaj[layers];
        a = new DMatrixRMaj[layers + 1];
        dw = new DMatrixRMaj[layers];
        db = new DMatrixRMaj[layers];
        da = new DMatrixRMaj[layers];
        a[0] = x.toEjml();
        y = labels.toEjml();
        dzOut = new DMatrixRMaj(sizes[layers], m);
        java.util.Random r = new java.util.Random(1);
        for (int l = 0; l < layers; l++) {
            w[l] = new DMatrixRMaj(sizes[l + 1], sizes[l]);
            for (int i = 0; i < w[l].data.length; i++) {
                w[l].data[i] = r.nextGaussian() * Math.sqrt(2.0 / sizes[l]);
            }
            b[l] = new DMatrixRMaj(sizes[l + 1], 1);
            z[l] = new DMatrixRMaj(sizes[l + 1], m);
            a[l + 1] = new DMatrixRMaj(sizes[l + 1], m);
            dw[l] = new DMatrixRMaj(sizes[l + 1], sizes[l]);
            db[l] = new DMatrixRMaj(sizes[l + 1], 1);
            da[l] = new DMatrixRMaj(sizes[l], m);
        }
    }

    void step(double lr) {
        int m = a[0].numCols;
        for (int l = 0; l < layers; l++) {
            products.mult(false, false, w[l], a[l], z[l]);
            double[] zd = z[l].data, ad = a[l + 1].data, bd = b[l].data;
            boolean relu = l < layers - 1;
            for (int i = 0; i < z[l].numRows; i++) { // Z += b (one bias per row), A = relu(Z)
                double bias = bd[i];
                int row = i * m;
                for (int j = row; j < row + m; j++) {
                    double v = zd[j] + bias;
                    zd[j] = v;
                    ad[j] = relu ? Math.max(v, 0) : v;
                }
            }
        }
        // softmax per column, then dZ = (softmax − Y) / m
        DMatrixRMaj dz = dzOut;
        double[] d = dz.data, logits = a[layers].data, yd = y.data;
        int k = dz.numRows;
        for (int j = 0; j < m; j++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int i = 0; i < k; i++) {
                max = Math.max(max, logits[i * m + j]);
            }
            for (int i = 0; i < k; i++) {
                double e = Math.exp(logits[i * m + j] - max);
                d[i * m + j] = e;
                s += e;
            }
            for (int i = 0; i < k; i++) {
                d[i * m + j] = (d[i * m + j] / s - yd[i * m + j]) / m;
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            products.mult(false, true, dz, a[l], dw[l]);
            double[] g = dz.data, dbd = db[l].data;
            for (int i = 0; i < dz.numRows; i++) { // db = Σ_j dZ
                double sum = 0;
                for (int j = i * m; j < (i + 1) * m; j++) {
                    sum += g[j];
                }
                dbd[i] = sum;
            }
            if (l > 0) {
                DMatrixRMaj next = da[l];
                products.mult(true, false, w[l], dz, next);
                double[] zd = z[l - 1].data, nd = next.data;
                for (int i = 0; i < zd.length; i++) { // dZ = dA ⊙ [Z > 0]
                    nd[i] = zd[i] > 0 ? nd[i] : 0.0;
                }
                dz = next;
            }
            double[] wd = w[l].data, dwd = dw[l].data, bd = b[l].data;
            for (int i = 0; i < wd.length; i++) {
                wd[i] -= lr * dwd[i];
            }
            for (int i = 0; i < bd.length; i++) {
                bd[i] -= lr * dbd[i];
            }
        }
    }
}
