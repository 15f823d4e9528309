package org.discrete4j.diagnostic;

/**
 * The potential scale reduction R̂: whether chains started apart have forgotten where they started. Near 1 when
 * they sample the same distribution; Vehtari et al. (Bayesian Analysis 2021) recommend trusting the draws only
 * when R̂ &lt; 1.01.
 *
 * <p>With M chains of N draws, chain means θ̄_m and variances s²_m (divisor N − 1): W = mean_m s²_m,
 * B/N = variance of the θ̄_m (divisor M − 1), var̂⁺ = (N − 1)/N · W + B/N and R̂ = √(var̂⁺ / W) (Gelman et al.,
 * BDA3 §11.4, on split chains).
 */
public final class Rhat {

    private Rhat() {}

    /**
     * The rank-normalised split R̂ of Vehtari et al. (2021, §4.2): the larger of the split R̂ of the normal scores
     * of the draws (bulk) and of the normal scores of their distance to the median (tails). NaN for chains of fewer
     * than 4 draws or when every draw is equal; +∞ when each chain is constant but they differ.
     */
    public static double rankNormalized(double[][] chains) {
        double[][] split = RankNormal.split(chains);
        if (split == null) {
            return Double.NaN;
        }
        double bulk = basic(RankNormal.normalScores(split));
        double tail = basic(RankNormal.normalScores(RankNormal.folded(split)));
        if (Double.isNaN(bulk) || Double.isNaN(tail)) {
            return Double.isNaN(bulk) ? tail : bulk;
        }
        return Math.max(bulk, tail);
    }

    /** The classic split R̂ (Gelman et al., BDA3), without rank normalisation. */
    public static double split(double[][] chains) {
        double[][] split = RankNormal.split(chains);
        return split == null ? Double.NaN : basic(split);
    }

    /** R̂ of the chains as given. */
    static double basic(double[][] chains) {
        int m = chains.length;
        int n = chains[0].length;
        double[] means = new double[m];
        double w = 0;
        for (int c = 0; c < m; c++) {
            double mean = 0;
            for (double v : chains[c]) {
                mean += v;
            }
            mean /= n;
            means[c] = mean;
            double s = 0;
            for (double v : chains[c]) {
                s += (v - mean) * (v - mean);
            }
            w += s / (n - 1);
        }
        w /= m;
        double between = m > 1 ? Ess.variance(means) : 0;
        double varPlus = (n - 1.0) / n * w + between;
        if (w == 0) {
            return between > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        return Math.sqrt(varPlus / w);
    }
}
