package org.discrete4j.sampler;

import java.util.SplittableRandom;

/**
 * The discrete Langevin proposal (Zhang, Liu &amp; Liu, "A Langevin-like Sampler for Discrete Distributions", ICML
 * 2022, eq. 3–4): every site moves in parallel and independently given x,
 * <pre>
 *   q(x'|x) = Π_i q_i(x'_i | x),  q_i(x'_i | x) ∝ exp(½ ∇log p̃(x)·(x'_i − x_i) − ‖x'_i − x_i‖² / (2α)),
 * </pre>
 * a first-order Taylor step of size α in the discrete space. With the one-hot gradient, the exponent of moving site
 * i to value k is d_{ik}/2 − ‖x'_i − x_i‖²/(2α), d_{ik} = g_{ik} − g_{i,x_i}, and 0 for staying.
 *
 * <p>The squared distance is the paper's: binary sites are scalars in {0, 1}, so a flip has distance 1 and flips
 * with probability σ(d_i/2 − 1/(2α)) (as in the paper's binary experiments, so their step sizes carry over);
 * categorical sites are one-hot, so any change has distance 2 and weight exp(d_{ik}/2 − 1/α). Binary sites use
 * log-sigmoids directly (σ and log σ from exp(−|a|), never exp(a)/(exp(a)+1), which overflows); categorical sites a
 * max-shifted softmax. No probability is clamped.
 */
abstract class DiscreteLangevin extends GradientKernel {

    double alpha;

    private int dim;
    private int values;
    private double[] siteLogits;

    DiscreteLangevin(double alpha) {
        checkStepSize(alpha);
        this.alpha = alpha;
    }

    static void checkStepSize(double alpha) {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("step size alpha must be finite and > 0, got " + alpha);
        }
    }

    /** The current step size α. */
    public double stepSize() {
        return alpha;
    }

    @Override
    void allocate(int chains, int dim, int values) {
        this.dim = dim;
        this.values = values;
        siteLogits = new double[values];
    }

    @Override
    double propose(int c, int[] x, float[] g, int[] xp, SplittableRandom rng) {
        boolean logq = corrected();
        return values == 2 ? binary(c, x, g, xp, rng, logq) : categorical(c, x, g, xp, rng, logq);
    }

    @Override
    double reverse(int c, int[] x, int[] xp, float[] gp) {
        // The same factorised proposal at x', scored at the old state x: every site contributes, moved or not.
        return values == 2 ? binary(c, xp, gp, x, null, true) : categorical(c, xp, gp, x, null, true);
    }

    /** The flip exponent a_i = d_i/2 − 1/(2α) of a binary site. */
    private double flipLogit(float[] g, int go, int i, int cur) {
        double d = g[go + 2 * i + 1 - cur] - g[go + 2 * i + cur];
        double a = 0.5 * d - 0.5 / alpha;
        if (!Double.isFinite(a)) {
            throw new IllegalStateException(name() + ": non-finite gradient at site " + i + " (" + d + ")");
        }
        return a;
    }

    /**
     * Binary sites from state {@code s} with gradient {@code g}: with {@code rng} draws each flip into {@code y}
     * (which holds s on entry); without, scores the given {@code y}. Returns log q(y|s) if {@code logq}.
     */
    private double binary(int c, int[] s, float[] g, int[] y, SplittableRandom rng, boolean logq) {
        int o = c * dim;
        int go = o * 2;
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            int cur = s[o + i];
            double a = flipLogit(g, go, i, cur);
            double t = Math.exp(-Math.abs(a));
            boolean flip;
            if (rng != null) {
                double p = a >= 0 ? 1 / (1 + t) : t / (1 + t); // σ(a)
                flip = rng.nextDouble() < p;
                if (flip) {
                    y[o + i] = 1 - cur;
                }
            } else {
                flip = y[o + i] != cur;
            }
            if (logq) {
                // log σ(±a) = min(±a, 0) − log(1 + e^{−|a|}); with e^{−|a|} ≤ 1 the log is accurate to an ulp in
                // absolute terms, which is what a sum of log-probabilities needs (and twice as fast as log1p).
                sum += Math.min(flip ? a : -a, 0) - Math.log(1 + t);
            }
        }
        return sum;
    }

    /** As {@link #binary} for K &gt; 2 values per site, with the one-hot distance 2 of any change. */
    private double categorical(int c, int[] s, float[] g, int[] y, SplittableRandom rng, boolean logq) {
        int o = c * dim;
        int go = o * values;
        double penalty = 1 / alpha; // ‖e_k − e_{x_i}‖² / (2α) = 2 / (2α)
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            int cur = s[o + i];
            int base = go + i * values;
            double gc = g[base + cur];
            double max = 0; // the stay exponent
            for (int v = 0; v < values; v++) {
                double l = v == cur ? 0 : 0.5 * (g[base + v] - gc) - penalty;
                siteLogits[v] = l;
                max = Math.max(max, l);
            }
            if (!Double.isFinite(max)) {
                throw new IllegalStateException(name() + ": non-finite gradient at site " + i);
            }
            double total = 0;
            for (int v = 0; v < values; v++) {
                total += Math.exp(siteLogits[v] - max);
            }
            int chosen;
            if (rng != null) {
                double u = rng.nextDouble() * total;
                double acc = 0;
                chosen = values - 1;
                for (int v = 0; v < values; v++) {
                    acc += Math.exp(siteLogits[v] - max);
                    if (u < acc) {
                        chosen = v;
                        break;
                    }
                }
                y[o + i] = chosen;
            } else {
                chosen = y[o + i];
            }
            if (logq) {
                sum += siteLogits[chosen] - max - Math.log(total);
            }
        }
        return sum;
    }
}
