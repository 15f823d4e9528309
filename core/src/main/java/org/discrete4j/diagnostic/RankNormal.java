package org.discrete4j.diagnostic;

import java.util.Arrays;
import org.apache.commons.numbers.gamma.InverseErfc;

/**
 * The two transformations of Vehtari et al. (Bayesian Analysis 2021, §4) that make R̂ and ESS robust: splitting
 * each chain in halves (so a trend within a chain shows up as a difference between chains) and replacing every
 * draw by the normal score of its rank among all draws, z = Φ⁻¹((r − 3/8)/(S + 1/4)) (Blom 1958), so heavy tails
 * and discrete statistics behave like Gaussian ones.
 */
final class RankNormal {

    private RankNormal() {}

    /**
     * The first and second halves of every chain as separate chains (the middle draw dropped for odd lengths), or
     * null when chains have fewer than 4 draws. Chains must have equal lengths and finite values.
     */
    static double[][] split(double[][] chains) {
        if (chains.length == 0) {
            throw new IllegalArgumentException("no chains");
        }
        int n = chains[0].length;
        for (double[] c : chains) {
            if (c.length != n) {
                throw new IllegalArgumentException("chains must have equal lengths: " + c.length + " != " + n);
            }
            for (double v : c) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("chains contain a non-finite value " + v);
                }
            }
        }
        if (n < 4) {
            return null;
        }
        int half = n / 2;
        double[][] out = new double[2 * chains.length][];
        for (int c = 0; c < chains.length; c++) {
            out[2 * c] = Arrays.copyOfRange(chains[c], 0, half);
            out[2 * c + 1] = Arrays.copyOfRange(chains[c], n - half, n);
        }
        return out;
    }

    /** Normal scores of the pooled ranks, ties given their average rank. */
    static double[][] normalScores(double[][] chains) {
        int m = chains.length;
        int n = chains[0].length;
        int s = m * n;
        double[] values = new double[s];
        for (int c = 0; c < m; c++) {
            System.arraycopy(chains[c], 0, values, c * n, n);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[][] z = new double[m][n];
        for (int c = 0; c < m; c++) {
            for (int t = 0; t < n; t++) {
                double v = chains[c][t];
                // Tied draws share the average of their 1-based ranks, first + 1 .. last + 1.
                int first = firstIndex(sorted, v);
                int last = firstIndex(sorted, Math.nextUp(v)) - 1;
                double rank = (first + last) / 2.0 + 1;
                z[c][t] = normalQuantile((rank - 0.375) / (s + 0.25));
            }
        }
        return z;
    }

    /** The first index of a sorted array whose value is ≥ v. */
    private static int firstIndex(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** |x − median of all draws|: the folded draws whose R̂ detects chains that differ in spread (§4.2). */
    static double[][] folded(double[][] chains) {
        int m = chains.length;
        int n = chains[0].length;
        double[] all = new double[m * n];
        for (int c = 0; c < m; c++) {
            System.arraycopy(chains[c], 0, all, c * n, n);
        }
        Arrays.sort(all);
        int s = all.length;
        double median = s % 2 == 1 ? all[s / 2] : 0.5 * (all[s / 2 - 1] + all[s / 2]);
        double[][] f = new double[m][n];
        for (int c = 0; c < m; c++) {
            for (int t = 0; t < n; t++) {
                f[c][t] = Math.abs(chains[c][t] - median);
            }
        }
        return f;
    }

    /** Φ⁻¹(p) = −√2 · erfc⁻¹(2p). */
    static double normalQuantile(double p) {
        return -Math.sqrt(2) * InverseErfc.value(2 * p);
    }
}
