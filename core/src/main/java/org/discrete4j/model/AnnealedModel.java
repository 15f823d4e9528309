package org.discrete4j.model;

import java.util.SplittableRandom;

/**
 * The geometric path between a normalised factorised base π₀ and a target p̃:
 * log p_β(x) = β log p̃(x) + (1 − β) log π₀(x), for β ∈ [0, 1] set with {@link #setBeta}. Annealed importance
 * sampling and tempering run any kernel on this model while moving β; kernels see an ordinary model whose log p̃,
 * gradient, single-site deltas and site cache are the β-mixture (each is linear in log p̃ and log π₀), and the
 * target's closed forms and incremental cache are used underneath.
 *
 * <p>After changing β the states are unchanged but their log p_β is not: a caller holding a
 * {@code ChainState} must recompute its cached log-probabilities and drop its cached gradient (as {@code Ais}
 * does). The site cache stays valid: it reads β at every call.
 */
public final class AnnealedModel implements EnergyModel {

    private final EnergyModel target;
    private final int dim;
    private final int k;
    private final double[] baseLogProb; // dim × K, each site normalised
    private double beta = 1;

    /**
     * @param target the model p̃ at β = 1
     * @param baseLogProb log π₀_i(v) at {@code [i·K + v]}, finite, each site's row normalised (log-sum-exp 0)
     */
    public AnnealedModel(EnergyModel target, double[] baseLogProb) {
        this.target = target;
        this.dim = target.dim();
        this.k = target.numValues();
        if (baseLogProb.length != dim * k) {
            throw new IllegalArgumentException("base log-probabilities must have dim × K = " + dim + " × " + k
                    + " entries, got " + baseLogProb.length);
        }
        for (int i = 0; i < dim; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < k; v++) {
                double l = baseLogProb[i * k + v];
                if (!Double.isFinite(l)) {
                    // Every state must be reachable at β = 0, and 0·∞ would poison the mixture.
                    throw new IllegalArgumentException("base log-probability must be finite, got " + l + " at site "
                            + i);
                }
                max = Math.max(max, l);
            }
            double s = 0;
            for (int v = 0; v < k; v++) {
                s += Math.exp(baseLogProb[i * k + v] - max);
            }
            if (Math.abs(max + Math.log(s)) > 1e-9) {
                throw new IllegalArgumentException("base probabilities of site " + i + " sum to "
                        + Math.exp(max + Math.log(s)) + ", not 1");
            }
        }
        this.baseLogProb = baseLogProb.clone();
    }

    /** A Bernoulli base: π₀(x_i = 1) = p_i, each p_i in (0, 1). */
    public static AnnealedModel bernoulli(EnergyModel target, double[] p) {
        if (target.numValues() != 2) {
            throw new IllegalArgumentException("a Bernoulli base needs a binary model, got K = " + target.numValues());
        }
        double[] l = new double[2 * p.length];
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] > 0 && p[i] < 1)) {
                throw new IllegalArgumentException("Bernoulli base probability must be in (0, 1), got " + p[i]);
            }
            l[2 * i] = Math.log1p(-p[i]);
            l[2 * i + 1] = Math.log(p[i]);
        }
        return new AnnealedModel(target, l);
    }

    /** The uniform base π₀ = K^−D: log Z of the target is then log Z₀ = D log K plus what AIS estimates. */
    public static AnnealedModel uniform(EnergyModel target) {
        double[] l = new double[target.dim() * target.numValues()];
        java.util.Arrays.fill(l, -Math.log(target.numValues()));
        return new AnnealedModel(target, l);
    }

    public EnergyModel target() {
        return target;
    }

    public double beta() {
        return beta;
    }

    public void setBeta(double beta) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("beta must be in [0, 1], got " + beta);
        }
        this.beta = beta;
    }

    /** Exact draws from π₀ for every chain into {@code x} ({@code chains × dim}). */
    public void sampleBase(int[] x, int chains, SplittableRandom rng) {
        for (int c = 0; c < chains; c++) {
            for (int i = 0; i < dim; i++) {
                double u = rng.nextDouble();
                int v = 0;
                double acc = Math.exp(baseLogProb[i * k]);
                while (u >= acc && v < k - 1) {
                    v++;
                    acc += Math.exp(baseLogProb[i * k + v]);
                }
                x[c * dim + i] = v;
            }
        }
    }

    /** log π₀ of each chain's state. */
    public void baseLogProb(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            double s = 0;
            for (int i = 0; i < dim; i++) {
                s += baseLogProb[i * k + x[c * dim + i]];
            }
            out[c] = s;
        }
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int numValues() {
        return k;
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        target.logProb(x, chains, out);
        for (int c = 0; c < chains; c++) {
            out[c] = mix(out[c], baseOf(x, c));
        }
    }

    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        target.logProbAndGradient(x, chains, logProb, grad);
        // The base is linear in the one-hot encoding: its gradient at (c, i, v) is log π₀_i(v).
        for (int c = 0; c < chains; c++) {
            logProb[c] = mix(logProb[c], baseOf(x, c));
            for (int i = 0; i < dim; i++) {
                int o = (c * dim + i) * k;
                for (int v = 0; v < k; v++) {
                    grad[o + v] = (float) (beta * grad[o + v] + (1 - beta) * baseLogProb[i * k + v]);
                }
            }
        }
    }

    @Override
    public void deltas(int[] x, int chains, double[] out) {
        target.deltas(x, chains, out);
        for (int c = 0; c < chains; c++) {
            for (int i = 0; i < dim; i++) {
                int o = (c * dim + i) * k;
                double cur = baseLogProb[i * k + x[c * dim + i]];
                for (int v = 0; v < k; v++) {
                    out[o + v] = beta * out[o + v] + (1 - beta) * (baseLogProb[i * k + v] - cur);
                }
            }
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        SiteCache inner = target.cache(x, chains);
        return new SiteCache() {
            @Override
            public int[] states() {
                return inner.states();
            }

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public double delta(int chain, int site, int value) {
                int cur = x[chain * dim + site];
                if (value == cur) {
                    return 0;
                }
                return beta * inner.delta(chain, site, value)
                        + (1 - beta) * (baseLogProb[site * k + value] - baseLogProb[site * k + cur]);
            }

            @Override
            public void siteDeltas(int chain, int site, double[] out) {
                inner.siteDeltas(chain, site, out);
                int cur = x[chain * dim + site];
                for (int v = 0; v < k; v++) {
                    out[v] = v == cur ? 0
                            : beta * out[v] + (1 - beta) * (baseLogProb[site * k + v] - baseLogProb[site * k + cur]);
                }
            }

            @Override
            public void set(int chain, int site, int value) {
                inner.set(chain, site, value);
            }
        };
    }

    private double baseOf(int[] x, int c) {
        double s = 0;
        for (int i = 0; i < dim; i++) {
            s += baseLogProb[i * k + x[c * dim + i]];
        }
        return s;
    }

    /** β·a + (1 − β)·b, exactly a at β = 1 and b at β = 0. */
    private double mix(double a, double b) {
        if (beta == 1) {
            return a;
        }
        if (beta == 0) {
            return b;
        }
        return beta * a + (1 - beta) * b;
    }
}
