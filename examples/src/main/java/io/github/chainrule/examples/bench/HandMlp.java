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
    private final DMatrixRMaj[] w, b, z, a, dw, db, da;
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
            double[] zd = z[l].data, ad = a[l + 1].data;
            int cols = z[l].numCols;
            for (int i = 0; i < zd.length; i++) {
                zd[i] += b[l].data[i / cols];
                ad[i] = l < layers - 1 ? Math.max(zd[i], 0) : zd[i];
            }
        }
        // softmax per column, then dZ = (softmax − Y) / m
        DMatrixRMaj dz = dzOut;
        System.arraycopy(a[layers].data, 0, dz.data, 0, dz.data.length);
        int k = dz.numRows;
        for (int j = 0; j < m; j++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int i = 0; i < k; i++) {
                max = Math.max(max, dz.get(i, j));
            }
            for (int i = 0; i < k; i++) {
                double e = Math.exp(dz.get(i, j) - max);
                dz.set(i, j, e);
                s += e;
            }
            for (int i = 0; i < k; i++) {
                dz.set(i, j, (dz.get(i, j) / s - y.get(i, j)) / m);
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            products.mult(false, true, dz, a[l], dw[l]);
            CommonOps_DDRM.sumRows(dz, db[l]);
            if (l > 0) {
                DMatrixRMaj next = da[l];
                products.mult(true, false, w[l], dz, next);
                double[] zd = z[l - 1].data;
                for (int i = 0; i < zd.length; i++) {
                    if (zd[i] <= 0) {
                        next.data[i] = 0;
                    }
                }
                dz = next;
            }
            CommonOps_DDRM.addEquals(w[l], -lr, dw[l]);
            CommonOps_DDRM.addEquals(b[l], -lr, db[l]);
        }
    }
}
