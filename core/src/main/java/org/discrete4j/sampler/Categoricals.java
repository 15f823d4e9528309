package org.discrete4j.sampler;

import java.util.SplittableRandom;

/** Draws from small categorical distributions given by unnormalised log-weights, as the kernels need. */
public final class Categoricals {

    private Categoricals() {}

    /** An index drawn with probability ∝ exp(logw[i]) over logw[0..n), stable for any finite log-weights. */
    public static int sampleLog(double[] logw, int n, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logw[i]);
        }
        if (!Double.isFinite(max)) {
            throw new IllegalStateException("categorical log-weights have no finite maximum: " + max);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.exp(logw[i] - max);
        }
        double u = rng.nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += Math.exp(logw[i] - max);
            if (u < acc) {
                return i;
            }
        }
        // Rounding can leave u ≥ acc by an ulp: take the last index with positive weight.
        for (int i = n - 1; i >= 0; i--) {
            if (logw[i] > Double.NEGATIVE_INFINITY) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    public static int sampleLog(double[] logw, SplittableRandom rng) {
        return sampleLog(logw, logw.length, rng);
    }

    /** log Σ exp(logw[0..n)). */
    public static double logSumExp(double[] logw, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            max = Math.max(max, logw[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Math.exp(logw[i] - max);
        }
        return max + Math.log(s);
    }
}
