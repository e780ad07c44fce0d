package io.github.chainrule.examples.bench;

import io.github.chainrule.autodiff.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The benchmark's reference: the same ReLU MLP training step written by hand on EJML, with
 * the backward pass derived on paper ({@code dZ = softmax − Y}, {@code dW = dZ·Aᵀ/m},
 * {@code db = Σ dZ/m}, {@code dA = Wᵀ·dZ}, {@code dZ = dA ⊙ [Z > 0]}).
 */
final class EjmlMlp {
    private final int layers;
    private final DMatrixRMaj[] w, b, z, a, dw, db;
    private final DMatrixRMaj y;

    EjmlMlp(int[] sizes, Tensor x, Tensor labels) {
        layers = sizes.length - 1;
        int m = x.cols();
        w = new DMatrixRMaj[layers];
        b = new DMatrixRMaj[layers];
        z = new DMatrixRMaj[layers];
        a = new DMatrixRMaj[layers + 1];
        dw = new DMatrixRMaj[layers];
        db = new DMatrixRMaj[layers];
        a[0] = x.toEjml();
        y = labels.toEjml();
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
        }
    }

    void step(double lr) {
        int m = a[0].numCols;
        for (int l = 0; l < layers; l++) {
            CommonOps_DDRM.mult(w[l], a[l], z[l]);
            double[] zd = z[l].data, ad = a[l + 1].data;
            int cols = z[l].numCols;
            for (int i = 0; i < zd.length; i++) {
                zd[i] += b[l].data[i / cols];
                ad[i] = l < layers - 1 ? Math.max(zd[i], 0) : zd[i];
            }
        }
        // softmax per column, then dZ = (softmax − Y) / m
        DMatrixRMaj dz = a[layers].copy();
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
            CommonOps_DDRM.multTransB(dz, a[l], dw[l]);
            CommonOps_DDRM.sumRows(dz, db[l]);
            if (l > 0) {
                DMatrixRMaj da = new DMatrixRMaj(w[l].numCols, m);
                CommonOps_DDRM.multTransA(w[l], dz, da);
                double[] zd = z[l - 1].data;
                for (int i = 0; i < zd.length; i++) {
                    if (zd[i] <= 0) {
                        da.data[i] = 0;
                    }
                }
                dz = da;
            }
            CommonOps_DDRM.addEquals(w[l], -lr, dw[l]);
            CommonOps_DDRM.addEquals(b[l], -lr, db[l]);
        }
    }
}
