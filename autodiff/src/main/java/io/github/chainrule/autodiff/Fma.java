package io.github.chainrule.autodiff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether this CPU has fused multiply-add, decided once. {@link Math#fma} is a single instruction
 * where the JIT may use FMA, and a slow exact (BigDecimal) computation elsewhere, so {@link Gemm}
 * picks its micro-kernel by this answer.
 *
 * <p>Order: the system property {@code chainrule.gemm.fma} ({@code true}/{@code false}) when set;
 * else on Linux x86 the {@code flags} line of {@code /proc/cpuinfo} (the {@code fma} flag; cheap
 * and exact); else on AArch64 yes (FMA is part of the base instruction set); else a timing: a
 * short {@code Math.fma} loop against the same loop with multiply and add — without hardware FMA
 * the former is tens of times slower, so a factor of 3 separates the cases safely.
 */
final class Fma {
    private Fma() {
    }

    static boolean detect() {
        String forced = System.getProperty("chainrule.gemm.fma");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86")) {
            Boolean flag = cpuinfoFlag();
            if (flag != null) {
                return flag;
            }
        } else if (arch.equals("aarch64")) {
            return true;
        }
        return timedFasterThanExact();
    }

    /** The {@code fma} flag of {@code /proc/cpuinfo}, or null when that file cannot be read. */
    private static Boolean cpuinfoFlag() {
        try {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            if (!Files.isReadable(cpuinfo)) {
                return null;
            }
            try (var lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("flags")).findFirst()
                        .map(l -> (" " + l.substring(l.indexOf(':') + 1) + " ").contains(" fma ")).orElse(null);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static boolean timedFasterThanExact() {
        double[] x = new double[256];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + i * 1e-3;
        }
        long best = Long.MAX_VALUE, bestMulAdd = Long.MAX_VALUE;
        double sink = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            double s = 0;
            for (int r = 0; r < 20; r++) {
                for (double v : x) {
                    s = Math.fma(v, 0.999, s);
                }
            }
            long t1 = System.nanoTime();
            double u = 0;
            for (int r = 0; r < 20; r++) {
                for (double v : x) {
                    u = v * 0.999 + u;
                }
            }
            long t2 = System.nanoTime();
            sink += s + u;
            best = Math.min(best, t1 - t0);
            bestMulAdd = Math.min(bestMulAdd, t2 - t1);
        }
        return sink != 1 && best < 3 * Math.max(bestMulAdd, 1000);
    }
}
