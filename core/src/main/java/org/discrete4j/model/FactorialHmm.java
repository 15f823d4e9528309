package org.discrete4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Posterior over the binary hidden chains of a factorial HMM (Ghahramani &amp; Jordan 1997) given its observations,
 * the sampling target of Grathwohl et al., "Oops I Took A Gradient", ICML 2021 (factorial HMM experiment; their
 * fhmm.py / fhmm_sample.py). K independent binary Markov chains of length T,
 * x_{k,0} ~ Bern(α), P(x_{k,t} = x_{k,t−1}) = ρ (the "stay" probability), emit one real value per time step,
 * y_t ~ N(Σ_k W_k x_{k,t} + b, σ²). The unnormalised posterior is the joint:
 * log p̃(x) = log p(x) + log p(y | x), normalising constants included, so it is the paper's "log-joint".
 *
 * <p>Sites are ordered time-major as in the reference code: site t·K + k is x_{k,t}.
 *
 * <p>The gradient is that of the formula above with x relaxed to reals (the prior's change indicator written as
 * x(1 − x') + x'(1 − x), as the reference code does): ∂/∂x_{k,t} = (y_t − μ_t) W_k / σ²
 * + [t = 0] logit α + Σ_{t' = t ± 1} (1 − 2 x_{k,t'}) log((1 − ρ)/ρ). A cache of the residuals r_t = y_t − μ_t makes
 * every flip delta O(1) and every update O(1).
 */
public final class FactorialHmm implements EnergyModel {

    static final String TYPE = "fhmm";

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int length; // T
    private final int sources; // K
    private final double[] weights; // W, K
    private final double bias; // b
    private final double sigma;
    private final double stay; // ρ
    private final double initial; // α
    private final double[] observations; // y, T
    private final int[] groundTruth; // the x that generated y, when known (T·K), else null

    // Derived constants of log p̃.
    private final double logStay;
    private final double logSwitch;
    private final double logInitOn;
    private final double logInitOff;
    private final double inv2Var;
    private final double obsConst; // −T (log σ + ½ log 2π)

    private FactorialHmm(int length, int sources, double[] weights, double bias, double sigma, double stay,
            double initial, double[] observations, int[] groundTruth) {
        this.length = length;
        this.sources = sources;
        this.weights = weights;
        this.bias = bias;
        this.sigma = sigma;
        this.stay = stay;
        this.initial = initial;
        this.observations = observations;
        this.groundTruth = groundTruth;
        this.logStay = Math.log(stay);
        this.logSwitch = Math.log1p(-stay);
        this.logInitOn = Math.log(initial);
        this.logInitOff = Math.log1p(-initial);
        this.inv2Var = 1 / (2 * sigma * sigma);
        this.obsConst = -length * (Math.log(sigma) + HALF_LOG_2PI);
    }

    /**
     * The posterior given observations {@code y} (T values) for K = {@code weights.length} chains; σ &gt; 0 and
     * ρ, α in (0, 1). {@code groundTruth} (T·K values, time-major, or null) is kept for error metrics only.
     */
    public static FactorialHmm of(double[] weights, double bias, double sigma, double stay, double initial,
            double[] observations, int[] groundTruth) {
        if (weights == null || weights.length < 1) {
            throw new IllegalArgumentException("weights must have one entry per hidden chain (K >= 1)");
        }
        if (observations == null || observations.length < 1) {
            throw new IllegalArgumentException("observations must have one value per time step (T >= 1)");
        }
        Models.checkFinite(weights, "weights");
        Models.checkFinite(observations, "observations");
        Models.checkFinite(bias, "bias");
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("observation sigma must be finite and > 0, got " + sigma);
        }
        if (!(stay > 0 && stay < 1)) {
            throw new IllegalArgumentException("stay probability must lie in (0, 1), got " + stay);
        }
        if (!(initial > 0 && initial < 1)) {
            throw new IllegalArgumentException("initial probability must lie in (0, 1), got " + initial);
        }
        int t = observations.length;
        int k = weights.length;
        if ((long) t * k > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("T·K = " + (long) t * k + " sites is too many");
        }
        if (groundTruth != null) {
            if (groundTruth.length != t * k) {
                throw new IllegalArgumentException("groundTruth must have T·K = " + t * k + " values, got "
                        + groundTruth.length);
            }
            for (int v : groundTruth) {
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException("groundTruth must be binary, found " + v);
                }
            }
        }
        return new FactorialHmm(t, k, weights.clone(), bias, sigma, stay, initial, observations.clone(),
                groundTruth == null ? null : groundTruth.clone());
    }

    /**
     * A random instance with the defaults of Grathwohl et al.'s fhmm_sample.py (W, b ~ N(0, 1), σ = 0.5,
     * ρ = 0.95, α = 0.1; they use T = 100, K = 10): draws W and b, a ground-truth x from the prior, and
     * y ~ N(μ(x), σ²), all from the seed.
     */
    public static FactorialHmm random(int length, int sources, long seed) {
        return random(length, sources, 1.0, 0.5, 0.95, 0.1, seed);
    }

    /** A random instance: W, b ~ N(0, weightStd²), x from the prior, y ~ N(μ(x), σ²); deterministic in the seed. */
    public static FactorialHmm random(int length, int sources, double weightStd, double sigma, double stay,
            double initial, long seed) {
        Models.checkAtLeast(length, 1, "time steps T");
        Models.checkAtLeast(sources, 1, "hidden chains K");
        if (!(weightStd >= 0) || Double.isInfinite(weightStd)) {
            throw new IllegalArgumentException("weightStd must be finite and >= 0, got " + weightStd);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("observation sigma must be finite and > 0, got " + sigma);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[sources];
        for (int k = 0; k < sources; k++) {
            w[k] = weightStd * rng.nextGaussian();
        }
        double b = weightStd * rng.nextGaussian();
        int[] x = new int[length * sources];
        drawPrior(x, 0, length, sources, stay, initial, rng);
        double[] y = new double[length];
        for (int t = 0; t < length; t++) {
            double mu = b;
            for (int k = 0; k < sources; k++) {
                mu += w[k] * x[t * sources + k];
            }
            y[t] = mu + sigma * rng.nextGaussian();
        }
        return of(w, b, sigma, stay, initial, y, x);
    }

    /** One draw of the hidden chains from their prior into x[o..o + T·K), time-major. */
    private static void drawPrior(int[] x, int o, int length, int sources, double stay, double initial,
            SplittableRandom rng) {
        for (int k = 0; k < sources; k++) {
            x[o + k] = rng.nextDouble() < initial ? 1 : 0;
        }
        for (int t = 1; t < length; t++) {
            for (int k = 0; k < sources; k++) {
                int prev = x[o + (t - 1) * sources + k];
                x[o + t * sources + k] = rng.nextDouble() < stay ? prev : 1 - prev;
            }
        }
    }

    /**
     * Independent draws of the hidden chains from their prior p(x) (ignoring the observations) into the
     * {@code chains × dim} array x: where the reference code of Grathwohl et al. starts its samplers.
     */
    public void samplePrior(int[] x, int chains, SplittableRandom rng) {
        int d = length * sources;
        if (x.length != (long) chains * d) {
            throw new IllegalArgumentException("states must have chains × dim = " + chains + " × " + d
                    + " values, got " + x.length);
        }
        for (int c = 0; c < chains; c++) {
            drawPrior(x, c * d, length, sources, stay, initial, rng);
        }
    }

    /** Squared reconstruction error Σ_t (y_t − μ_t)² of chain {@code c}'s state: how well it explains y. */
    public double reconstructionError(int[] x, int c) {
        int o = c * length * sources;
        double s = 0;
        for (int t = 0; t < length; t++) {
            double r = residual(x, o, t);
            s += r * r;
        }
        return s;
    }

    /** Fraction of the T·K hidden bits of chain {@code c} that differ from the ground truth that generated y. */
    public double bitError(int[] x, int c) {
        if (groundTruth == null) {
            throw new IllegalStateException("this factorial HMM has no ground-truth hidden state");
        }
        int d = length * sources;
        int o = c * d;
        int wrong = 0;
        for (int i = 0; i < d; i++) {
            wrong += x[o + i] != groundTruth[i] ? 1 : 0;
        }
        return (double) wrong / d;
    }

    static FactorialHmm fromParameters(Map<String, Object> p) {
        Models.expectType(p, TYPE);
        Object gt = p.get("groundTruth");
        int[] truth = gt == null ? null : Models.ints(p, "groundTruth");
        FactorialHmm m = of(Models.doubles(p, "weights"), Models.number(p, "bias"), Models.number(p, "sigma"),
                Models.number(p, "stay"), Models.number(p, "initial"), Models.doubles(p, "observations"), truth);
        if (p.containsKey("timeSteps") && Models.integer(p, "timeSteps") != m.length) {
            throw new IllegalArgumentException("timeSteps " + p.get("timeSteps") + " does not match "
                    + m.length + " observations");
        }
        return m;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", TYPE);
        p.put("timeSteps", length);
        p.put("hiddenChains", sources);
        p.put("weights", weights.clone());
        p.put("bias", bias);
        p.put("sigma", sigma);
        p.put("stay", stay);
        p.put("initial", initial);
        p.put("observations", observations.clone());
        if (groundTruth != null) {
            p.put("groundTruth", groundTruth.clone());
        }
        return p;
    }

    /** Number of time steps T. */
    public int timeSteps() {
        return length;
    }

    /** Number of hidden chains K. */
    public int hiddenChains() {
        return sources;
    }

    public double[] weights() {
        return weights.clone();
    }

    public double bias() {
        return bias;
    }

    public double sigma() {
        return sigma;
    }

    public double stay() {
        return stay;
    }

    public double initial() {
        return initial;
    }

    public double[] observations() {
        return observations.clone();
    }

    /** The hidden state that generated the observations (T·K, time-major), or null if unknown. */
    public int[] groundTruth() {
        return groundTruth == null ? null : groundTruth.clone();
    }

    @Override
    public int dim() {
        return length * sources;
    }

    @Override
    public int numValues() {
        return 2;
    }

    @Override
    public String toString() {
        return "fhmm T=" + length + " K=" + sources;
    }

    /** Residual y_t − μ_t of one chain's state at offset o. */
    private double residual(int[] x, int o, int t) {
        double mu = bias;
        int r = o + t * sources;
        for (int k = 0; k < sources; k++) {
            if (x[r + k] != 0) {
                mu += weights[k];
            }
        }
        return observations[t] - mu;
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        int d = length * sources;
        for (int c = 0; c < chains; c++) {
            int o = c * d;
            double s = obsConst;
            for (int t = 0; t < length; t++) {
                double r = residual(x, o, t);
                s -= r * r * inv2Var;
            }
            for (int k = 0; k < sources; k++) {
                s += x[o + k] != 0 ? logInitOn : logInitOff;
            }
            for (int i = sources; i < d; i++) {
                s += x[o + i] == x[o + i - sources] ? logStay : logSwitch;
            }
            out[c] = s;
        }
    }

    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        logProb(x, chains, logProb);
        int d = length * sources;
        for (int c = 0; c < chains; c++) {
            int o = c * d;
            for (int t = 0; t < length; t++) {
                timeGradient(x, o, t, residual(x, o, t), grad);
            }
        }
    }

    /**
     * The one-hot gradient at the K sites of time t of the chain at offset o, given its residual r_t:
     * (r_t W_k / σ²) plus the prior's terms, which read the neighbours in time.
     */
    private void timeGradient(int[] x, int o, int t, double residual, float[] grad) {
        double r = residual * (2 * inv2Var);
        double initLogit = logInitOn - logInitOff;
        double switchLogit = logSwitch - logStay;
        for (int k = 0; k < sources; k++) {
            int i = t * sources + k;
            double g = r * weights[k];
            if (t == 0) {
                g += initLogit;
            } else {
                g += (1 - 2 * x[o + i - sources]) * switchLogit;
            }
            if (t + 1 < length) {
                g += (1 - 2 * x[o + i + sources]) * switchLogit;
            }
            grad[2 * (o + i)] = 0f;
            grad[2 * (o + i) + 1] = (float) g;
        }
    }

    /** Change of log p̃ when x_{k,t} (value {@code cur}) flips, given the residual r_t; O(1). */
    private double flipDelta(int[] x, int o, int t, int k, int cur, double r) {
        double dmu = cur == 0 ? weights[k] : -weights[k];
        // −(r − dμ)² + r² = dμ (2r − dμ)
        double d = dmu * (2 * r - dmu) * inv2Var;
        int i = o + t * sources + k;
        if (t == 0) {
            d += cur == 0 ? logInitOn - logInitOff : logInitOff - logInitOn;
        } else {
            d += x[i - sources] == cur ? logSwitch - logStay : logStay - logSwitch;
        }
        if (t + 1 < length) {
            d += x[i + sources] == cur ? logSwitch - logStay : logStay - logSwitch;
        }
        return d;
    }

    @Override
    public void deltas(int[] x, int chains, double[] out) {
        int d = length * sources;
        for (int c = 0; c < chains; c++) {
            int o = c * d;
            for (int t = 0; t < length; t++) {
                double r = residual(x, o, t);
                for (int k = 0; k < sources; k++) {
                    int i = o + t * sources + k;
                    out[2 * i + x[i]] = 0;
                    out[2 * i + 1 - x[i]] = flipDelta(x, o, t, k, x[i], r);
                }
            }
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        return new ResidualCache(x, chains);
    }

    /**
     * Residuals r_t = y_t − μ_t of every chain. A flip recomputes its time step's residual from the states (O(K)
     * rather than one add, so the residuals never drift from a fresh evaluation).
     */
    private final class ResidualCache extends AbstractSiteCache implements GradientCache {
        private final double[] r;
        private final double[] residuals; // one chain's proposal residuals, T
        private final int[] path; // one chain's state, walked through its proposal's flips
        private int[] proposals;
        private int[] sites;
        private int[] counts;

        ResidualCache(int[] x, int chains) {
            super(checked(x, chains, length * sources, "dim"), length * sources);
            this.r = new double[chains * length];
            this.residuals = new double[length];
            this.path = new int[dim];
            computeResiduals();
        }

        private void computeResiduals() {
            int chains = r.length / length;
            for (int c = 0; c < chains; c++) {
                for (int t = 0; t < length; t++) {
                    r[c * length + t] = residual(x, c * dim, t);
                }
            }
        }

        @Override
        public void refresh(double[] logProb, float[] grad) {
            computeResiduals();
            logProbAndGradient(x, r.length / length, logProb, grad);
        }

        @Override
        public double delta(int chain, int site, int value) {
            int o = chain * length * sources;
            int cur = x[o + site];
            if (value == cur) {
                return 0;
            }
            int t = site / sources;
            return flipDelta(x, o, t, site - t * sources, cur, r[chain * length + t]);
        }

        @Override
        public void set(int chain, int site, int value) {
            int o = chain * length * sources;
            if (value == x[o + site]) {
                return;
            }
            x[o + site] = value;
            int t = site / sources;
            r[chain * length + t] = residual(x, o, t);
        }

        @Override
        public void evaluate(int[] proposals, int[] sites, int[] counts, double[] delta, float[] grad) {
            this.proposals = proposals;
            this.sites = sites;
            this.counts = counts;
            for (int c = 0; c < counts.length; c++) {
                int n = counts[c];
                if (n < 0) {
                    continue;
                }
                int o = c * dim;
                double d;
                if (n == 1) {
                    int i = sites[o];
                    int t = i / sources;
                    d = flipDelta(x, o, t, i - t * sources, x[o + i], r[c * length + t]);
                } else {
                    // Several flips: one at a time, each delta from the residual of the state so far.
                    System.arraycopy(x, o, path, 0, dim);
                    d = 0;
                    for (int s = 0; s < n; s++) {
                        int i = sites[o + s];
                        int t = i / sources;
                        d += flipDelta(path, 0, t, i - t * sources, path[i], residual(path, 0, t));
                        path[i] = proposals[o + i];
                    }
                }
                delta[c] = d;
                System.arraycopy(r, c * length, residuals, 0, length);
                for (int s = 0; s < n; s++) {
                    int t = sites[o + s] / sources;
                    residuals[t] = residual(proposals, o, t);
                }
                for (int t = 0; t < length; t++) {
                    timeGradient(proposals, o, t, residuals[t], grad);
                }
            }
        }

        @Override
        public void accept(int chain) {
            int o = chain * dim;
            for (int s = 0; s < counts[chain]; s++) {
                int i = sites[o + s];
                set(chain, i, proposals[o + i]);
            }
        }
    }
}
