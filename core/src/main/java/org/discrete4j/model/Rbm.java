package org.discrete4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bernoulli restricted Boltzmann machine with the hidden units summed out (Smolensky 1986; Hinton 2002):
 * log p̃(v) = bᵀv + Σ_j softplus(c_j + W_j·v) over v ∈ {0,1}^V, with H hidden units, W of shape H × V.
 *
 * <p>Everything is closed form on the hidden pre-activations a = c + Wv: the gradient is
 * ∂ log p̃ / ∂v_i = b_i + Σ_j W_ji σ(a_j), and flipping v_i by s = ±1 changes log p̃ by
 * s·b_i + Σ_j [softplus(a_j + s W_ji) − softplus(a_j)] and a by s·W_{·i}, both O(H). W is kept in both layouts
 * (H × V and V × H) so that every product walks contiguous rows.
 */
public final class Rbm implements EnergyModel {

    static final String TYPE = "rbm";

    /** Chains per block of the batched gradient: each row of W is reused across a block while it is in cache. */
    private static final int BLOCK = 8;

    /** Largest H for which {@link #logZ()} enumerates the 2^H hidden states. */
    public static final int MAX_ENUMERATED_HIDDEN = 20;

    private final int visible;
    private final int hidden;
    private final double[] w; // H × V, row j = W_j
    private final double[] wt; // V × H, row i = W_{·i}
    private final double[] b; // visible bias, V
    private final double[] c; // hidden bias, H

    private Rbm(int visible, int hidden, double[] w, double[] b, double[] c) {
        this.visible = visible;
        this.hidden = hidden;
        this.w = w;
        this.b = b;
        this.c = c;
        this.wt = new double[w.length];
        for (int j = 0; j < hidden; j++) {
            for (int i = 0; i < visible; i++) {
                wt[i * hidden + j] = w[j * visible + i];
            }
        }
    }

    /**
     * An RBM from its parameters (copied): {@code weights} is H × V, {@code visibleBias} has V entries,
     * {@code hiddenBias} H; all finite, V, H ≥ 1.
     */
    public static Rbm of(double[][] weights, double[] visibleBias, double[] hiddenBias) {
        if (weights == null || weights.length < 1) {
            throw new IllegalArgumentException("weights must have at least one row (H >= 1)");
        }
        int h = weights.length;
        if (weights[0] == null || weights[0].length < 1) {
            throw new IllegalArgumentException("weights must have at least one column (V >= 1)");
        }
        int v = weights[0].length;
        double[] flat = new double[h * v];
        for (int j = 0; j < h; j++) {
            Models.checkLength(weights[j], v, "weights[" + j + "] (H × V, V = " + v + ")");
            Models.checkFinite(weights[j], "weights[" + j + "]");
            System.arraycopy(weights[j], 0, flat, j * v, v);
        }
        Models.checkLength(visibleBias, v, "visibleBias");
        Models.checkLength(hiddenBias, h, "hiddenBias");
        Models.checkFinite(visibleBias, "visibleBias");
        Models.checkFinite(hiddenBias, "hiddenBias");
        return new Rbm(v, h, flat, visibleBias.clone(), hiddenBias.clone());
    }

    /**
     * A random RBM, deterministic in the seed: W ~ N(0, weightStd²), b, c ~ N(0, biasStd²). The "random" RBM of
     * Grathwohl et al. (ICML 2021, rbm_sample.py) is weightStd = √0.05, biasStd = 1 with V = 100, H = 25.
     */
    public static Rbm random(int visible, int hidden, double weightStd, double biasStd, long seed) {
        Models.checkAtLeast(visible, 1, "visible units V");
        Models.checkAtLeast(hidden, 1, "hidden units H");
        if (!(weightStd >= 0) || Double.isInfinite(weightStd)) {
            throw new IllegalArgumentException("weightStd must be finite and >= 0, got " + weightStd);
        }
        if (!(biasStd >= 0) || Double.isInfinite(biasStd)) {
            throw new IllegalArgumentException("biasStd must be finite and >= 0, got " + biasStd);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[hidden * visible];
        for (int n = 0; n < w.length; n++) {
            w[n] = weightStd * rng.nextGaussian();
        }
        double[] b = new double[visible];
        for (int i = 0; i < visible; i++) {
            b[i] = biasStd * rng.nextGaussian();
        }
        double[] c = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            c[j] = biasStd * rng.nextGaussian();
        }
        return new Rbm(visible, hidden, w, b, c);
    }

    /** The random RBM with the defaults of Grathwohl et al. 2021 (W ~ N(0, 0.05), b, c ~ N(0, 1)). */
    public static Rbm random(int visible, int hidden, long seed) {
        return random(visible, hidden, Math.sqrt(0.05), 1.0, seed);
    }

    static Rbm fromParameters(Map<String, Object> p) {
        Models.expectType(p, TYPE);
        return of(Models.matrix(p, "weights"), Models.doubles(p, "visibleBias"), Models.doubles(p, "hiddenBias"));
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", TYPE);
        p.put("visible", visible);
        p.put("hidden", hidden);
        p.put("weights", weights());
        p.put("visibleBias", b.clone());
        p.put("hiddenBias", c.clone());
        return p;
    }

    public int visible() {
        return visible;
    }

    public int hidden() {
        return hidden;
    }

    /** W as an H × V copy. */
    public double[][] weights() {
        double[][] m = new double[hidden][visible];
        for (int j = 0; j < hidden; j++) {
            System.arraycopy(w, j * visible, m[j], 0, visible);
        }
        return m;
    }

    public double[] visibleBias() {
        return b.clone();
    }

    public double[] hiddenBias() {
        return c.clone();
    }

    @Override
    public int dim() {
        return visible;
    }

    @Override
    public int numValues() {
        return 2;
    }

    @Override
    public String toString() {
        return "rbm " + visible + "x" + hidden;
    }

    static double softplus(double a) {
        return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
    }

    static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a)); // exp overflow gives 1/inf = 0, the right limit
    }

    /** Hidden pre-activations a = c + Wv of the visible state v[vOff..vOff+V) into a[aOff..aOff+H). */
    public void hiddenInput(int[] v, int vOff, double[] a, int aOff) {
        System.arraycopy(c, 0, a, aOff, hidden);
        for (int i = 0; i < visible; i++) {
            if (v[vOff + i] != 0) {
                int r = i * hidden;
                for (int j = 0; j < hidden; j++) {
                    a[aOff + j] += wt[r + j];
                }
            }
        }
    }

    /** Visible pre-activations u = b + Wᵀh of the hidden state h[hOff..hOff+H) into u[uOff..uOff+V). */
    public void visibleInput(int[] h, int hOff, double[] u, int uOff) {
        System.arraycopy(b, 0, u, uOff, visible);
        for (int j = 0; j < hidden; j++) {
            if (h[hOff + j] != 0) {
                int r = j * visible;
                for (int i = 0; i < visible; i++) {
                    u[uOff + i] += w[r + i];
                }
            }
        }
    }

    /** log p̃(v) = bᵀv + Σ_j softplus(a_j) given the hidden pre-activations a = c + Wv of the same state. */
    public double logProbFromHiddenInput(int[] v, int vOff, double[] a, int aOff) {
        double s = 0;
        for (int i = 0; i < visible; i++) {
            if (v[vOff + i] != 0) {
                s += b[i];
            }
        }
        for (int j = 0; j < hidden; j++) {
            s += softplus(a[aOff + j]);
        }
        return s;
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        double[] a = new double[hidden];
        for (int ch = 0; ch < chains; ch++) {
            hiddenInput(x, ch * visible, a, 0);
            out[ch] = logProbFromHiddenInput(x, ch * visible, a, 0);
        }
    }

    /**
     * ∂ log p̃/∂v = b + Wᵀσ(c + Wv) for every chain, O(C·H·V). Chains go in blocks of {@value #BLOCK}: for each
     * hidden unit j the row W_j is read once per block and added, scaled by σ(a_j), to every chain's gradient row,
     * so W streams through the cache C/BLOCK times instead of C times and the inner loop is a contiguous axpy.
     */
    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        double[] a = new double[BLOCK * hidden];
        double[] g = new double[BLOCK * visible];
        for (int c0 = 0; c0 < chains; c0 += BLOCK) {
            int m = Math.min(BLOCK, chains - c0);
            for (int r = 0; r < m; r++) {
                int vOff = (c0 + r) * visible;
                hiddenInput(x, vOff, a, r * hidden);
                logProb[c0 + r] = logProbFromHiddenInput(x, vOff, a, r * hidden);
                for (int j = 0; j < hidden; j++) {
                    a[r * hidden + j] = sigmoid(a[r * hidden + j]);
                }
                System.arraycopy(b, 0, g, r * visible, visible);
            }
            for (int j = 0; j < hidden; j++) {
                int wr = j * visible;
                for (int r = 0; r < m; r++) {
                    double s = a[r * hidden + j];
                    int gr = r * visible;
                    for (int i = 0; i < visible; i++) {
                        g[gr + i] += s * w[wr + i];
                    }
                }
            }
            for (int r = 0; r < m; r++) {
                int go = (c0 + r) * visible * 2;
                for (int i = 0; i < visible; i++) {
                    grad[go + 2 * i] = 0f;
                    grad[go + 2 * i + 1] = (float) g[r * visible + i];
                }
            }
        }
    }

    /** Change of log p̃ when v_i goes from {@code from} to 1 − from, given a = c + Wv at offset aOff. */
    private double flipDelta(double[] a, int aOff, int i, int from) {
        double s = from == 0 ? 1 : -1;
        double d = s * b[i];
        int r = i * hidden;
        for (int j = 0; j < hidden; j++) {
            double aj = a[aOff + j];
            d += softplus(aj + s * wt[r + j]) - softplus(aj);
        }
        return d;
    }

    @Override
    public void deltas(int[] x, int chains, double[] out) {
        double[] a = new double[hidden];
        for (int ch = 0; ch < chains; ch++) {
            int vOff = ch * visible;
            hiddenInput(x, vOff, a, 0);
            for (int i = 0; i < visible; i++) {
                int o = vOff + i;
                out[2 * o + x[o]] = 0;
                out[2 * o + 1 - x[o]] = flipDelta(a, 0, i, x[o]);
            }
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        return new PreActivationCache(x, chains);
    }

    /**
     * Exact log Z by summing out the visible units and enumerating the 2^H hidden states:
     * log Z = log Σ_h exp(cᵀh + Σ_i softplus(b_i + (Wᵀh)_i)). The states are visited in Gray-code order so each
     * step adds or removes one row of W (O(V)), and the sum runs as a streaming log-sum-exp. H ≤ 20.
     */
    public double logZ() {
        if (hidden > MAX_ENUMERATED_HIDDEN) {
            throw new IllegalStateException("exact log Z enumerates 2^H hidden states; H = " + hidden + " > "
                    + MAX_ENUMERATED_HIDDEN);
        }
        double[] u = b.clone(); // b + Wᵀh for the current h
        boolean[] h = new boolean[hidden];
        double ch = 0; // cᵀh
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long states = 1L << hidden;
        for (long s = 0; s < states; s++) {
            if (s > 0) {
                int j = Long.numberOfTrailingZeros(s); // Gray code: state s differs from s − 1 in bit j
                double sign = h[j] ? -1 : 1;
                h[j] = !h[j];
                ch += sign * c[j];
                int r = j * visible;
                for (int i = 0; i < visible; i++) {
                    u[i] += sign * w[r + i];
                }
            }
            double t = ch;
            for (int i = 0; i < visible; i++) {
                t += softplus(u[i]);
            }
            if (t > max) {
                sum = sum * Math.exp(max - t) + 1;
                max = t;
            } else {
                sum += Math.exp(t - max);
            }
        }
        return max + Math.log(sum);
    }

    /** Hidden pre-activations a = c + Wv of every chain, updated in O(H) per flip. */
    private final class PreActivationCache extends AbstractSiteCache {
        private final double[] a;

        PreActivationCache(int[] x, int chains) {
            super(checked(x, chains, visible, "V"), visible);
            this.a = new double[chains * hidden];
            for (int ch = 0; ch < chains; ch++) {
                hiddenInput(x, ch * visible, a, ch * hidden);
            }
        }

        @Override
        public double delta(int chain, int site, int value) {
            int cur = x[chain * visible + site];
            return value == cur ? 0 : flipDelta(a, chain * hidden, site, cur);
        }

        @Override
        public void set(int chain, int site, int value) {
            int o = chain * visible + site;
            if (value == x[o]) {
                return;
            }
            double s = value - x[o];
            x[o] = value;
            int ao = chain * hidden;
            int r = site * hidden;
            for (int j = 0; j < hidden; j++) {
                a[ao + j] += s * wt[r + j];
            }
        }
    }
}
