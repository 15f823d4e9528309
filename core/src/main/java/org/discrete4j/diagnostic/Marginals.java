package org.discrete4j.diagnostic;

/**
 * Single-site marginals p(x_i = k) estimated by counting states, and their squared error against reference marginals.
 * The mean squared error over all sites and values is the figure Grathwohl et al. (ICML 2021, ising_sample.py:
 * log10 of the mean squared error of 2·E[x_i] − 1 against its exact value) plot for lattice models, extended here to K
 * values per site; with K = 2 it is a quarter of theirs (their statistic is 2p − 1 for one value per site, ours counts
 * p and 1 − p).
 */
public final class Marginals {

    private final int dim;
    private final int values;
    private final long[] counts; // dim × K
    private long states;

    public Marginals(int dim, int values) {
        if (dim < 1 || values < 2) {
            throw new IllegalArgumentException("marginals need dim >= 1 and K >= 2, got " + dim + " and " + values);
        }
        this.dim = dim;
        this.values = values;
        this.counts = new long[dim * values];
    }

    /** Counts the states of chains {@code from..from+n) of the {@code chains × dim} array x. */
    public void add(int[] x, int from, int n) {
        if (from < 0 || n < 0 || (long) (from + n) * dim > x.length) {
            throw new IllegalArgumentException("chains " + from + ".." + (from + n) + " lie outside the "
                    + x.length / dim + " states given");
        }
        for (int c = from; c < from + n; c++) {
            int o = c * dim;
            for (int i = 0; i < dim; i++) {
                int v = x[o + i];
                if (v < 0 || v >= values) {
                    throw new IllegalArgumentException("state value " + v + " outside 0.." + (values - 1));
                }
                counts[i * values + v]++;
            }
        }
        states += n;
    }

    /** Forgets every counted state. */
    public void clear() {
        java.util.Arrays.fill(counts, 0);
        states = 0;
    }

    /** Number of states counted. */
    public long count() {
        return states;
    }

    /** The estimates p̂(x_i = k) at index i·K + k. */
    public double[] probabilities() {
        if (states == 0) {
            throw new IllegalStateException("no states counted");
        }
        double[] p = new double[counts.length];
        for (int j = 0; j < p.length; j++) {
            p[j] = (double) counts[j] / states;
        }
        return p;
    }

    /** Mean over sites and values of (p̂(x_i = k) − reference_{ik})², reference laid out as {@link #probabilities}. */
    public double meanSquaredError(double[] reference) {
        if (reference.length != counts.length) {
            throw new IllegalArgumentException("reference must have dim × K = " + counts.length + " values, got "
                    + reference.length);
        }
        double[] p = probabilities();
        double s = 0;
        for (int j = 0; j < p.length; j++) {
            double e = p[j] - reference[j];
            s += e * e;
        }
        return s / p.length;
    }
}
