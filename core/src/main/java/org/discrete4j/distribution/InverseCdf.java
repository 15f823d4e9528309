package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Exact draws and tail cut-offs for count distributions, by inverting the CDF in double precision on the JVM.
 *
 * <p>DJL's PyTorch engine has no Poisson, gamma or multinomial sampler, so count draws come from engine uniforms
 * (float64, so the quantiles are resolved to 2^-53) pushed through {@code F^-1(u) = min{k : F(k) ≥ u}}. The
 * search brackets the answer by doubling steps away from the mean and then bisects, so its cost is
 * O(log(spread)) CDF evaluations whatever the scale (a rate of 1e4 or 1e12 costs the same as a rate of 1). The
 * CDFs are the regularized incomplete gamma and beta functions of Commons Numbers, accurate to about 1e-15
 * relative; in the upper half the test uses the survival function {@code S(k) ≤ 1 − u}, so tail quantiles keep
 * their precision.
 */
final class InverseCdf {

    /** Largest number of support values an enumeration may list. */
    static final long MAX_SUPPORT = 10_000_000L;

    /** Tail mass left out by an enumeration: 1e-11, so that the reported tail is below 1e-10 with room to spare. */
    static final double TAIL = 1e-11;

    /** The CDF of one count distribution on {@code 0, 1, 2, ...}; records, so equal parameters compare equal. */
    interface Law {

        /** {@code P(X ≤ k)} for an integer {@code k ≥ 0}. */
        double cdf(double k);

        /** {@code P(X > k)}, computed directly (not as {@code 1 − cdf}) for accuracy in the upper tail. */
        double sf(double k);

        /** The mean (or any point near the bulk of the mass) to start the search from; may be +inf. */
        double start();

        /** The largest support value, +inf for unbounded support. */
        default double max() {
            return Double.POSITIVE_INFINITY;
        }
    }

    private InverseCdf() {}

    /**
     * The smallest integer {@code k} with {@code F(k) ≥ u}, given {@code v = 1 − u} (passed separately so that
     * tail levels keep their precision); +inf when the quantile is beyond every double.
     */
    static double quantile(Law law, double u, double v) {
        double max = law.max();
        double start = Math.min(law.start(), max);
        if (Double.isNaN(start) || start == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        double k = Math.max(Math.floor(start), 0);
        double lo; // F(lo) < u, or lo = -1
        double hi; // F(hi) ≥ u
        if (reached(law, k, u, v)) {
            hi = k;
            lo = -1;
            for (double step = 1; hi > 0; step *= 2) {
                double probe = Math.max(hi - step, 0);
                if (!reached(law, probe, u, v)) {
                    lo = probe;
                    break;
                }
                hi = probe;
            }
        } else {
            lo = k;
            hi = max;
            for (double step = 1; ; step *= 2) {
                double probe = lo + step;
                if (probe >= max) {
                    break; // F(max) = 1 ≥ u
                }
                if (Double.isInfinite(probe)) {
                    return Double.POSITIVE_INFINITY;
                }
                if (reached(law, probe, u, v)) {
                    hi = probe;
                    break;
                }
                lo = probe;
            }
        }
        while (hi - lo > 1) {
            double mid = Math.floor(lo + (hi - lo) / 2);
            if (mid <= lo || mid >= hi) {
                break; // beyond 2^53 neighbouring doubles are more than 1 apart
            }
            if (reached(law, mid, u, v)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static boolean reached(Law law, double k, double u, double v) {
        if (k >= law.max()) {
            return true;
        }
        return u <= 0.5 ? law.cdf(k) >= u : law.sf(k) <= v;
    }

    /**
     * Largest draw: 2^63. Only distributions with means beyond about 1e18 (a geometric with logit below −42) reach
     * it, where counts are no longer exact in floating point anyway; a finite cap keeps sums of draws, and so
     * gradients such as {@code Σ k·∂log(1 − p)}, from overflowing to inf and then to NaN.
     */
    static final double MAX_DRAW = 0x1p63;

    /**
     * Draws of shape {@code sampleShape + batchShape}, one law per batch element (row-major), in {@code dtype},
     * attached to the manager of {@code like}, clamped at {@link #MAX_DRAW}.
     */
    static NDArray sample(NDArray like, Law[] laws, Shape batchShape, Shape sampleShape, DataType dtype) {
        Shape shape = sampleShape.addAll(batchShape);
        double[] u = Noise.uniform(like.getManager(), shape, DataType.FLOAT64).toDoubleArray();
        double[] k = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            k[i] = Math.min(quantile(laws[i % laws.length], u[i], 1 - u[i]), MAX_DRAW);
        }
        return like.getManager().create(k, shape).toType(dtype, false);
    }

    /**
     * The largest value to enumerate so that every law leaves less than {@link #TAIL} mass above it.
     *
     * @throws IllegalArgumentException if that needs more than {@link #MAX_SUPPORT} values
     */
    static long cutoff(Law[] laws, String who) {
        double k = 0;
        Law previous = null;
        for (Law law : laws) {
            if (law.equals(previous)) {
                continue; // batches often repeat one parameter (rows of a comparison)
            }
            previous = law;
            // The mean bounds the cut-off from below: past the limit, fail before searching far tails.
            k = Math.max(k, Math.min(law.start(), law.max()));
            if (k < MAX_SUPPORT) {
                k = Math.max(k, quantile(law, 1 - TAIL, TAIL));
            }
        }
        if (!(k < MAX_SUPPORT)) {
            throw new IllegalArgumentException(String.format(
                    "%s: enumerating the support up to a tail mass of %.0e needs %.3g values, more than the limit %d",
                    who, TAIL, k + 1, MAX_SUPPORT));
        }
        return (long) k;
    }

    /** The largest mass any law has above {@code k}. */
    static double tailMass(Law[] laws, long k) {
        double t = 0;
        for (Law law : laws) {
            t = Math.max(t, k >= law.max() ? 0 : law.sf(k));
        }
        return t;
    }

    /** The parameter as Java doubles (detached), row-major. */
    static double[] values(NDArray a) {
        return a.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** {@code log(1 + exp(x))} in double precision, for the JVM side of the logit parameterisations. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** {@code sigmoid(x)}, accurate in both tails. */
    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
