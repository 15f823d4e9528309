package org.discrete4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Independent K-valued sites: log p̃(x) = Σ_i θ_{i,x_i}, so p(x_i = k) = softmax(θ_i)_k and
 * log Z = Σ_i log Σ_k e^{θ_{ik}}. The DISCS "categorical" target; its exact log Z and draws make it an oracle.
 */
public final class FactorizedCategorical implements EnergyModel {

    static final String TYPE = "categorical";

    private final int dim;
    private final int k;
    private final double[] logits; // dim × k, row-major

    private FactorizedCategorical(int dim, int k, double[] logits) {
        this.dim = dim;
        this.k = k;
        this.logits = logits;
    }

    /** The model with θ = {@code logits[i][k]} (copied): at least one site, K ≥ 2 equal for all sites, finite. */
    public static FactorizedCategorical of(double[][] logits) {
        if (logits == null || logits.length < 1) {
            throw new IllegalArgumentException("logits must have at least one site");
        }
        if (logits[0] == null || logits[0].length < 2) {
            throw new IllegalArgumentException("logits must have at least 2 values per site");
        }
        int d = logits.length;
        int k = logits[0].length;
        double[] flat = new double[d * k];
        for (int i = 0; i < d; i++) {
            Models.checkLength(logits[i], k, "logits[" + i + "]");
            Models.checkFinite(logits[i], "logits[" + i + "]");
            System.arraycopy(logits[i], 0, flat, i * k, k);
        }
        return new FactorizedCategorical(d, k, flat);
    }

    /** D sites with K values and logits θ_{ik} ~ N(0, σ²) from the seed. */
    public static FactorizedCategorical random(int dim, int numValues, double sigma, long seed) {
        Models.checkAtLeast(dim, 1, "dim");
        Models.checkAtLeast(numValues, 2, "numValues");
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] t = new double[dim * numValues];
        for (int i = 0; i < t.length; i++) {
            t[i] = sigma * rng.nextGaussian();
        }
        return new FactorizedCategorical(dim, numValues, t);
    }

    static FactorizedCategorical fromParameters(Map<String, Object> p) {
        Models.expectType(p, TYPE);
        return of(Models.matrix(p, "logits"));
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", TYPE);
        p.put("dim", dim);
        p.put("numValues", k);
        p.put("logits", logits());
        return p;
    }

    /** θ as a dim × K copy. */
    public double[][] logits() {
        double[][] t = new double[dim][k];
        for (int i = 0; i < dim; i++) {
            System.arraycopy(logits, i * k, t[i], 0, k);
        }
        return t;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int numValues() {
        return k;
    }

    private double logNormalizer(int i) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < k; v++) {
            max = Math.max(max, logits[i * k + v]);
        }
        double s = 0;
        for (int v = 0; v < k; v++) {
            s += Math.exp(logits[i * k + v] - max);
        }
        return max + Math.log(s);
    }

    /** Exact log Z = Σ_i logsumexp_k θ_{ik}. */
    public double logZ() {
        double z = 0;
        for (int i = 0; i < dim; i++) {
            z += logNormalizer(i);
        }
        return z;
    }

    /** Exact marginals p(x_i = k) as a dim × K array. */
    public double[][] probabilities() {
        double[][] p = new double[dim][k];
        for (int i = 0; i < dim; i++) {
            double z = logNormalizer(i);
            for (int v = 0; v < k; v++) {
                p[i][v] = Math.exp(logits[i * k + v] - z);
            }
        }
        return p;
    }

    /** {@code n} exact independent draws, {@code n × dim} values (inverse CDF per site). */
    public int[] sample(int n, SplittableRandom rng) {
        Models.checkAtLeast(n, 0, "n");
        double[][] p = probabilities();
        int[] x = new int[n * dim];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < dim; i++) {
                double u = rng.nextDouble();
                int v = 0;
                double acc = p[i][0];
                // Rounding can leave the CDF just under 1: the last value takes what is left.
                while (u >= acc && v < k - 1) {
                    v++;
                    acc += p[i][v];
                }
                x[s * dim + i] = v;
            }
        }
        return x;
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            double s = 0;
            int o = c * dim;
            for (int i = 0; i < dim; i++) {
                s += logits[i * k + x[o + i]];
            }
            out[c] = s;
        }
    }

    /** log p̃ is linear in the one-hot encoding: the gradient is θ itself for every chain. */
    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        logProb(x, chains, logProb);
        int n = dim * k;
        for (int c = 0; c < chains; c++) {
            for (int j = 0; j < n; j++) {
                grad[c * n + j] = (float) logits[j];
            }
        }
    }

    @Override
    public void deltas(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            for (int i = 0; i < dim; i++) {
                int o = c * dim + i;
                double cur = logits[i * k + x[o]];
                for (int v = 0; v < k; v++) {
                    out[o * k + v] = v == x[o] ? 0 : logits[i * k + v] - cur;
                }
            }
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        return new AbstractSiteCache(x, dim) {
            @Override
            public double delta(int chain, int site, int value) {
                int cur = x[chain * dim + site];
                return value == cur ? 0 : logits[site * k + value] - logits[site * k + cur];
            }

            @Override
            public void set(int chain, int site, int value) {
                x[chain * dim + site] = value;
            }
        };
    }

    @Override
    public String toString() {
        return "categorical " + dim + "x" + k;
    }
}
