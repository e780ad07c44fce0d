package io.github.chainrule.autodiff;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The single matrix-multiply kernel every product goes through, {@code C = op(A)·op(B)} on
 * row-major arrays. It uses EJML today; a BLAS or Vector-API kernel can replace this class
 * without touching any operation.
 */
final class Gemm {
    private Gemm() {
    }

    static void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c) {
        DMatrixRMaj ma = DMatrixRMaj.wrap(aRows, aCols, a);
        DMatrixRMaj mb = DMatrixRMaj.wrap(bRows, bCols, b);
        DMatrixRMaj mc = DMatrixRMaj.wrap(ta ? aCols : aRows, tb ? bRows : bCols, c);
        if (!ta && !tb) {
            CommonOps_DDRM.mult(ma, mb, mc);
        } else if (!ta) {
            CommonOps_DDRM.multTransB(ma, mb, mc);
        } else if (!tb) {
            CommonOps_DDRM.multTransA(ma, mb, mc);
        } else {
            CommonOps_DDRM.multTransAB(ma, mb, mc);
        }
    }
}
