package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;

/**
 * How often each of K codes was chosen over a set of latent vectors: the codebook usage that VQ-VAE papers report
 * (perplexity, dead codes). Mutable counts, filled batch by batch with {@link #add}.
 */
public final class CodeUsage {

    private final long[] counts;

    public CodeUsage(int codes) {
        if (codes < 1) {
            throw new IllegalArgumentException("codes must be >= 1, got " + codes);
        }
        counts = new long[codes];
    }

    /** Counts the codes in {@code indices}, an integer array of any shape with values in [0, K). */
    public void add(NDArray indices) {
        for (long k : indices.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()) {
            if (k < 0 || k >= counts.length) {
                throw new IllegalArgumentException("code " + k + " outside [0, " + counts.length + ")");
            }
            counts[(int) k]++;
        }
    }

    /** The count of each code (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * exp(H(p)) of the code frequencies p, in nats: K when all codes are used equally, 1 when one code takes
     * everything; the effective number of codes in use. NaN before anything is counted.
     */
    public double perplexity() {
        long n = total();
        if (n == 0) {
            return Double.NaN;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return Math.exp(h);
    }

    /** Codes chosen at least once. */
    public int used() {
        int u = 0;
        for (long c : counts) {
            if (c > 0) {
                u++;
            }
        }
        return u;
    }

    /** Codes never chosen: dead codes, when counted over a whole data set or epoch. */
    public int unused() {
        return counts.length - used();
    }
}
