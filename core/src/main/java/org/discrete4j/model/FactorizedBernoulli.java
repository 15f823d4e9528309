package org.discrete4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Independent binary sites: log p̃(x) = Σ_i θ_i x_i, so p(x_i = 1) = σ(θ_i) and log Z = Σ_i softplus(θ_i). The
 * DISCS "bernoulli" target, and with its exact log Z and exact draws an oracle for samplers on any dimension.
 */
public final class FactorizedBernoulli implements EnergyModel {

    static final String TYPE = "bernoulli";

    private final double[] logits;

    private FactorizedBernoulli(double[] logits) {
        this.logits = logits;
    }

    /** The model with natural parameters θ = {@code logits} (copied; at least one, all finite). */
    public static FactorizedBernoulli of(double[] logits) {
        if (logits == null || logits.length < 1) {
            throw new IllegalArgumentException("logits must have at least one site");
        }
        Models.checkFinite(logits, "logits");
        return new FactorizedBernoulli(logits.clone());
    }

    /** D sites with logits θ_i ~ N(0, σ²) from the seed (DISCS draws its Bernoulli target the same way). */
    public static FactorizedBernoulli random(int dim, double sigma, long seed) {
        Models.checkAtLeast(dim, 1, "dim");
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] t = new double[dim];
        for (int i = 0; i < dim; i++) {
            t[i] = sigma * rng.nextGaussian();
        }
        return new FactorizedBernoulli(t);
    }

    static FactorizedBernoulli fromParameters(Map<String, Object> p) {
        Models.expectType(p, TYPE);
        return of(Models.doubles(p, "logits"));
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", TYPE);
        p.put("dim", logits.length);
        p.put("logits", logits.clone());
        return p;
    }

    public double[] logits() {
        return logits.clone();
    }

    @Override
    public int dim() {
        return logits.length;
    }

    @Override
    public int numValues() {
        return 2;
    }

    /** Exact log Z = Σ_i log(1 + e^{θ_i}). */
    public double logZ() {
        double z = 0;
        for (double t : logits) {
            z += softplus(t);
        }
        return z;
    }

    /** Exact marginals p(x_i = 1) = σ(θ_i). */
    public double[] marginals() {
        double[] m = new double[logits.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = 1 / (1 + Math.exp(-logits[i]));
        }
        return m;
    }

    /** {@code n} exact independent draws, {@code n × dim} values. */
    public int[] sample(int n, SplittableRandom rng) {
        Models.checkAtLeast(n, 0, "n");
        double[] m = marginals();
        int d = logits.length;
        int[] x = new int[n * d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                x[s * d + i] = rng.nextDouble() < m[i] ? 1 : 0;
            }
        }
        return x;
    }

    static double softplus(double a) {
        return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        int d = logits.length;
        for (int c = 0; c < chains; c++) {
            double s = 0;
            int o = c * d;
            for (int i = 0; i < d; i++) {
                if (x[o + i] != 0) {
                    s += logits[i];
                }
            }
            out[c] = s;
        }
    }

    /** log p̃ is linear in x: the gradient is θ, and entry (c, i, 0) is 0. */
    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        logProb(x, chains, logProb);
        int d = logits.length;
        for (int c = 0; c < chains; c++) {
            for (int i = 0; i < d; i++) {
                grad[2 * (c * d + i)] = 0f;
                grad[2 * (c * d + i) + 1] = (float) logits[i];
            }
        }
    }

    @Override
    public void deltas(int[] x, int chains, double[] out) {
        int d = logits.length;
        for (int c = 0; c < chains; c++) {
            for (int i = 0; i < d; i++) {
                int o = c * d + i;
                out[2 * o + x[o]] = 0;
                out[2 * o + 1 - x[o]] = x[o] == 0 ? logits[i] : -logits[i];
            }
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        return new AbstractSiteCache(x, logits.length) {
            @Override
            public double delta(int chain, int site, int value) {
                int cur = x[chain * logits.length + site];
                return value == cur ? 0 : value == 1 ? logits[site] : -logits[site];
            }

            @Override
            public void set(int chain, int site, int value) {
                x[chain * logits.length + site] = value;
            }
        };
    }

    @Override
    public String toString() {
        return "bernoulli " + logits.length;
    }
}
