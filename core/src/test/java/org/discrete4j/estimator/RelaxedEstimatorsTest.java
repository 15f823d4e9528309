package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.TDistribution;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Categorical;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;
import org.junit.jupiter.api.Test;

/**
 * Straight-through, Gumbel-softmax, ST Gumbel-softmax, Gumbel-Rao and ReinMax against what theory predicts for their
 * means and variances on {@link Problem#categorical} and {@link Problem#bernoulli}.
 *
 * <p>Bounds. A mean of n ≥ 10⁴ independent estimates is normal to a good approximation, so a coordinate outside
 * 4.5 standard errors of its predicted value happens with probability about 7e-6; with at most a few dozen such
 * checks per test the false-alarm rate stays below 1e-3 at a fixed seed. Variances are compared over B = 10
 * independent batches (seeds s..s+9) run with the same seeds for both estimators, so the per-batch differences of the
 * variance estimates are independent and paired; a Student-t bound with B − 1 degrees of freedom at one-sided level
 * 5e-4 makes no assumption on the (heavy-tailed) distribution of a single estimate beyond that of the batch means.
 */
class RelaxedEstimatorsTest {

    static final double[] THETA = {0.5, 1.5, -0.5, 0.2};
    static final double T = 1.3;
    static final Problem CATEGORICAL = Problem.categorical(THETA, T);
    static final double[] BERNOULLI_THETA = {0.5, -1.0, 2.0};
    static final double BERNOULLI_T = 0.45;
    static final Problem BERNOULLI = Problem.bernoulli(BERNOULLI_THETA, BERNOULLI_T);
    static final int BATCHES = 10;
    static final double T_QUANTILE = TDistribution.of(BATCHES - 1).inverseCumulativeProbability(1 - 5e-4);

    /** Estimates pooled over batches: mean and its standard error per coordinate, and each batch's mean variance. */
    record Pooled(double[] mean, double[] stderr, double[] batchVariance) {

        double biasNorm(double[] target) {
            double s = 0;
            for (int i = 0; i < mean.length; i++) {
                s += (mean[i] - target[i]) * (mean[i] - target[i]);
            }
            return Math.sqrt(s);
        }

        double stderrNorm() {
            double s = 0;
            for (double e : stderr) {
                s += e * e;
            }
            return Math.sqrt(s);
        }

        double variance() {
            return java.util.Arrays.stream(batchVariance).average().orElseThrow();
        }
    }

    static Pooled pooled(Problem p, GradientEstimator e, int perBatch, long seed) {
        int d = p.theta().length;
        double[] mean = new double[d];
        double[] se2 = new double[d];
        double[] v = new double[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            Comparison.Result r = Comparison.run(p, e, perBatch, Math.min(perBatch, 5000), 0, seed + b, null);
            for (int i = 0; i < d; i++) {
                mean[i] += r.mean()[i] / BATCHES;
                se2[i] += r.stderr()[i] * r.stderr()[i] / ((double) BATCHES * BATCHES);
            }
            v[b] = java.util.Arrays.stream(r.variance()).average().orElseThrow();
        }
        double[] se = new double[d];
        for (int i = 0; i < d; i++) {
            se[i] = Math.sqrt(se2[i]);
        }
        return new Pooled(mean, se, v);
    }

    /** The paired-batch t statistic of {@code higher − lower}'s per-batch variances. */
    static double varianceIncreaseT(Pooled lower, Pooled higher) {
        double[] diff = new double[BATCHES];
        double m = 0;
        for (int b = 0; b < BATCHES; b++) {
            diff[b] = higher.batchVariance()[b] - lower.batchVariance()[b];
            m += diff[b] / BATCHES;
        }
        double s2 = 0;
        for (double x : diff) {
            s2 += (x - m) * (x - m) / (BATCHES - 1);
        }
        return m / Math.sqrt(s2 / BATCHES);
    }

    static void assertWithin(double[] mean, double[] stderr, double[] want, double z, String what) {
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(mean[i] - want[i])).as("%s, coordinate %d: mean %s, predicted %s, stderr %s", what,
                    i, mean[i], want[i], stderr[i]).isLessThan(z * stderr[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gumbel-softmax: bias falls and variance grows as τ falls.

    @Test
    void gumbelSoftmaxBiasShrinksAndVarianceGrowsAsTemperatureFallsOnTheCategorical() {
        double[] taus = {2, 1, 0.5, 0.25};
        List<Pooled> runs = new ArrayList<>();
        for (double tau : taus) {
            runs.add(pooled(CATEGORICAL, new GumbelSoftmax(tau), 2000, 300));
        }
        assertTrends(CATEGORICAL, taus, runs);
    }

    @Test
    void gumbelSoftmaxOnTheBernoulliHasTheBiasOfTheRelaxedObjective() {
        // The estimator is unbiased for ∇E[f(y_τ)], y_τ = σ((θ + Λ)/τ); its exact value, by quadrature over the
        // logistic noise, is the predicted mean. Above τ ≈ 1 the binary relaxation flattens towards y = 1/2 and its
        // gradient towards 0, so the bias approaches |exact| and is not monotone there; from τ = 1 down it falls.
        double[] taus = {1, 0.5, 0.25, 0.125};
        List<Pooled> runs = new ArrayList<>();
        for (double tau : taus) {
            Pooled r = pooled(BERNOULLI, new GumbelSoftmax(tau), 10000, 400);
            assertWithin(r.mean(), r.stderr(), relaxedBernoulliGradient(tau), 4.5, "gumbel-softmax at tau " + tau);
            runs.add(r);
        }
        assertTrends(BERNOULLI, taus, runs);
    }

    /**
     * Bias norms fall with margins of 4 combined standard-error norms (|‖m − e‖ − ‖μ − e‖| ≤ ‖m − μ‖, which exceeds
     * 4·sqrt(Σ se²) with probability below 1e-4 for a normal m in four dimensions); variances rise by the paired t bound.
     */
    static void assertTrends(Problem p, double[] taus, List<Pooled> runs) {
        for (int j = 0; j + 1 < taus.length; j++) {
            Pooled hot = runs.get(j);
            Pooled cold = runs.get(j + 1);
            String at = p.name() + ", tau " + taus[j] + " -> " + taus[j + 1];
            assertThat(hot.biasNorm(p.exact()) - cold.biasNorm(p.exact())).as("bias falls, " + at)
                    .isGreaterThan(4 * (hot.stderrNorm() + cold.stderrNorm()));
            assertThat(varianceIncreaseT(hot, cold)).as("variance grows, " + at).isGreaterThan(T_QUANTILE);
        }
    }

    /** ∂/∂θ_i E[(y_i − t)²] = E[2(y_i − t) y_i(1 − y_i)/τ], midpoint rule over u with Λ = logit(u). */
    static double[] relaxedBernoulliGradient(double tau) {
        int m = 200000;
        double[] g = new double[BERNOULLI_THETA.length];
        for (int i = 0; i < g.length; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                double u = (j + 0.5) / m;
                double y = Problem.sigmoid((BERNOULLI_THETA[i] + Math.log(u / (1 - u))) / tau);
                s += 2 * (y - BERNOULLI_T) * y * (1 - y) / tau;
            }
            g[i] = s / m;
        }
        return g;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Straight-through Gumbel-softmax and Gumbel-Rao.

    @Test
    void straightThroughGumbelSoftmaxEvaluatesFAtExactDraws() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean bernoulli : new boolean[] {false, true}) {
                NDArray logits = m.create(new float[] {0.5f, 1.5f, -0.5f, 0.2f}, new Shape(1, 4));
                logits.setRequiresGradient(true);
                Distribution q = bernoulli ? Bernoulli.ofLogits(logits) : OneHotCategorical.ofLogits(logits);
                List<float[]> seen = new ArrayList<>();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Estimate e = new StraightThroughGumbelSoftmax(5.0).estimate(q, z -> {
                        seen.add(z.toFloatArray());
                        return z.sum(new int[] {1, 2});
                    });
                    gc.backward(e.surrogate());
                }
                float sum = 0;
                for (float v : seen.get(0)) {
                    assertThat(v == 0f || v == 1f).as("forward value %s", v).isTrue();
                    sum += v;
                }
                if (!bernoulli) {
                    assertThat(sum).isEqualTo(1f);
                }
                assertThat(logits.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            }
        }
    }

    @Test
    void gumbelRaoWithOneDrawIsStraightThroughGumbelSoftmax() {
        for (Problem p : new Problem[] {CATEGORICAL, BERNOULLI}) {
            for (double tau : new double[] {0.3, 1.0}) {
                Comparison.Result st = Comparison.run(p, new StraightThroughGumbelSoftmax(tau), 3000, 1000, 0, 21, null);
                Comparison.Result gr = Comparison.run(p, new GumbelRao(tau, 1), 3000, 1000, 0, 21, null);
                assertThat(gr.mean()).as(p.name()).containsExactly(st.mean());
                assertThat(gr.variance()).as(p.name()).containsExactly(st.variance());
            }
        }
    }

    @Test
    void gumbelRaoKeepsTheMeanOfStraightThroughGumbelSoftmaxAndLowersItsVariance() {
        // Gumbel-Rao is E[ST-GS gradient | D] estimated with K conditional draws: same mean, lower variance. The two
        // runs share seeds, hence D and the first perturbation, so their means are positively correlated and the
        // independent-runs bound 4.5·sqrt(se₁² + se₂²) on their difference is conservative.
        for (Problem p : new Problem[] {CATEGORICAL, BERNOULLI}) {
            for (double tau : new double[] {1.0, 0.5}) {
                Pooled st = pooled(p, new StraightThroughGumbelSoftmax(tau), 500, 500);
                Pooled gr = pooled(p, new GumbelRao(tau, 10), 500, 500);
                double[] se = new double[st.mean().length];
                for (int i = 0; i < se.length; i++) {
                    se[i] = Math.hypot(st.stderr()[i], gr.stderr()[i]);
                }
                assertWithin(gr.mean(), se, st.mean(), 4.5, "gumbel-rao vs st-gs, " + p.name() + " tau " + tau);
                assertThat(varianceIncreaseT(gr, st)).as("variance reduction, %s tau %s: %s vs %s", p.name(), tau,
                        gr.variance(), st.variance()).isGreaterThan(T_QUANTILE);
            }
        }
    }

    @Test
    void conditionalGumbelsPeakAtTheGivenClassWithTheLawOfTheRejectedOnes() {
        int n = 20000;
        int cls = 1;
        Engine.getInstance().setRandomSeed(77);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray theta = m.create(new float[] {0.5f, 1.5f, -0.5f, 0.2f});
            NDArray d = m.create(new float[] {0, 1, 0, 0}).reshape(1, 4);
            NDArray p = GumbelRao.conditionalPerturbations(theta, d, n).reshape(n, 4);
            assertThat(p.argMax(-1).toLongArray()).containsOnly((long) cls);
            // The maximum of θ + G is Gumbel(logsumexp θ), whatever the argmax: mean lse + γ, sd π/√6.
            double lse = Math.log(java.util.Arrays.stream(THETA).map(Math::exp).sum());
            double sd = Math.PI / Math.sqrt(6);
            float[] v = p.toType(DataType.FLOAT32, false).toFloatArray();
            double[] condMean = new double[4];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < 4; k++) {
                    condMean[k] += v[4 * r + k] / n;
                }
            }
            assertThat(condMean[cls]).isCloseTo(lse + 0.5772156649015329, offset(4.5 * sd / Math.sqrt(n)));
            // Unconditional Gumbel-max draws with argmax = cls have the same law: compare the means per class.
            NDArray g = theta.add(m.randomUniform(0f, 1f, new Shape(3 * n, 4)).clip(1e-7, 1 - 1e-7).log().neg().log()
                    .neg());
            float[] u = g.toFloatArray();
            long[] arg = g.argMax(-1).toLongArray();
            double[] sum = new double[4];
            double[] sumSq = new double[4];
            double[] condSq = new double[4];
            int kept = 0;
            for (int r = 0; r < 3 * n; r++) {
                if (arg[r] != cls) {
                    continue;
                }
                kept++;
                for (int k = 0; k < 4; k++) {
                    sum[k] += u[4 * r + k];
                    sumSq[k] += (double) u[4 * r + k] * u[4 * r + k];
                }
            }
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < 4; k++) {
                    condSq[k] += (v[4 * r + k] - condMean[k]) * (v[4 * r + k] - condMean[k]) / (n - 1);
                }
            }
            for (int k = 0; k < 4; k++) {
                double mean = sum[k] / kept;
                double var = (sumSq[k] - kept * mean * mean) / (kept - 1);
                double se = Math.sqrt(var / kept + condSq[k] / n);
                assertThat(Math.abs(condMean[k] - mean)).as("class %d", k).isLessThan(4.5 * se);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Straight-through and ReinMax.

    @Test
    void reinmaxForwardIsTheStraightThroughDraw() {
        for (Problem p : new Problem[] {CATEGORICAL, BERNOULLI}) {
            List<float[]> st = forwardValues(p, new StraightThrough(1.0));
            List<float[]> rm = forwardValues(p, new ReinMax(2.0));
            assertThat(rm).hasSameSizeAs(st);
            for (int i = 0; i < st.size(); i++) {
                assertThat(rm.get(i)).containsExactly(st.get(i));
            }
        }
    }

    static List<float[]> forwardValues(Problem p, GradientEstimator e) {
        List<float[]> seen = new ArrayList<>();
        Engine.getInstance().setRandomSeed(31);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int call = 0; call < 3; call++) {
                NDArray logits = m.create(toFloat(p.theta())).reshape(1, p.theta().length).repeat(0, 50);
                logits.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(e.estimate(p.distribution().apply(logits), z -> {
                        seen.add(z.toFloatArray());
                        return p.cost().apply(z);
                    }).surrogate());
                }
            }
        }
        return seen;
    }

    @Test
    void reinmaxGradientIsAlgorithmTwo() {
        // For f(D) = Σ_k w_k D_k the upstream gradient is w, and Algorithm 2 gives
        // 2 J(π1) w − ½ J(π0) w with π0 = softmax(θ), π1 = (D + softmax(θ/τ))/2, J(π)w = π⊙w − π(π·w).
        double tau = 1.7;
        float[] w = {0.3f, -1.1f, 2.0f, 0.7f};
        int rows = 40;
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(toFloat(THETA)).reshape(1, 4).repeat(0, rows);
            logits.setRequiresGradient(true);
            NDArray wa = m.create(w);
            float[][] draws = new float[1][];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new ReinMax(tau).estimate(OneHotCategorical.ofLogits(logits), z -> {
                    draws[0] = z.toFloatArray();
                    return z.mul(wa).sum(new int[] {2});
                }).surrogate());
            }
            float[] g = logits.getGradient().toFloatArray();
            double[] pi0 = softmax(THETA, 1);
            double[] piTau = softmax(THETA, tau);
            for (int r = 0; r < rows; r++) {
                double[] pi1 = new double[4];
                for (int k = 0; k < 4; k++) {
                    pi1[k] = (draws[0][4 * r + k] + piTau[k]) / 2;
                }
                double[] a = jacobianTimes(pi1, w);
                double[] b = jacobianTimes(pi0, w);
                for (int k = 0; k < 4; k++) {
                    assertThat((double) g[4 * r + k]).isCloseTo(2 * a[k] - 0.5 * b[k], offset(1e-5));
                }
            }
        }
    }

    @Test
    void reinmaxIsUnbiasedForQuadraticCostsAtTemperatureOne() {
        // Heun's method integrates a quadratic exactly, and both problems' costs are quadratic in the one-hot or 0/1
        // draw, so at τ = 1 ReinMax's mean is the exact gradient (Liu et al. 2023, §4); at τ = 2 it is not.
        for (Problem p : new Problem[] {CATEGORICAL, BERNOULLI}) {
            Comparison.Result r = Comparison.run(p, new ReinMax(1.0), 20000, 5000, 0, 600, null);
            assertWithin(r.mean(), r.stderr(), p.exact(), 4.5, "reinmax tau 1 on " + p.name());
            Comparison.Result hot = Comparison.run(p, new ReinMax(2.0), 20000, 5000, 0, 601, null);
            assertThat(hot.maxZ()).as("reinmax tau 2 on " + p.name()).isGreaterThan(10);
        }
    }

    @Test
    void straightThroughHasThePredictedBias() {
        // E[ST] = Σ_i π_i J(π)ᵀ ∇f(e_i) with ∇f(e_i)_k = 2(i − t)k for the categorical, and σ'(θ)·2(σ(θ) − t) per
        // coordinate for the Bernoulli, against the exact p_j(f(j) − E f) and (1 − 2t)σ'(θ).
        double[] pi = softmax(THETA, 1);
        double[] predicted = new double[4];
        for (int i = 0; i < 4; i++) {
            float[] grad = new float[4];
            for (int k = 0; k < 4; k++) {
                grad[k] = (float) (2 * (i - T) * k);
            }
            double[] j = jacobianTimes(pi, grad);
            for (int k = 0; k < 4; k++) {
                predicted[k] += pi[i] * j[k];
            }
        }
        double[] predictedBernoulli = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = Problem.sigmoid(BERNOULLI_THETA[i]);
            predictedBernoulli[i] = s * (1 - s) * 2 * (s - BERNOULLI_T);
        }
        Problem[] problems = {CATEGORICAL, BERNOULLI};
        double[][] want = {predicted, predictedBernoulli};
        for (int j = 0; j < 2; j++) {
            Comparison.Result r = Comparison.run(problems[j], new StraightThrough(1.0), 20000, 5000, 0, 700, null);
            assertWithin(r.mean(), r.stderr(), want[j], 4.5, "st on " + problems[j].name());
            assertThat(r.maxZ()).as("st is visibly biased on " + problems[j].name()).isGreaterThan(10);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Applicability, registry, numerics.

    @Test
    void relaxedEstimatorsApplyToBernoulliAndOneHotCategoricalOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.create(new float[] {0.1f, 0.2f});
            for (GradientEstimator e : relaxedEstimators(0.5, 3)) {
                assertThat(e.unbiased()).isFalse();
                assertThat(e.supports(Bernoulli.ofLogits(l))).isTrue();
                assertThat(e.supports(OneHotCategorical.ofLogits(l))).isTrue();
                assertThat(e.supports(Categorical.ofLogits(l))).isFalse();
                assertThatThrownBy(() -> e.estimate(Categorical.ofLogits(l), z -> z.sum(new int[] {1})))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(e.name())
                        .hasMessageContaining("Categorical");
            }
        }
    }

    @Test
    void registryBuildsEachRelaxedEstimatorByName() {
        Estimators.Options o = new Estimators.Options(0.7, 5);
        for (String name : List.of("st", "gumbel-softmax", "st-gumbel-softmax", "gumbel-rao", "reinmax")) {
            assertThat(Estimators.create(name, o).name()).isEqualTo(name);
        }
        for (double tau : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new GumbelSoftmax(tau)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("temperature");
            assertThatThrownBy(() -> new ReinMax(tau)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new StraightThrough(tau)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new StraightThroughGumbelSoftmax(tau)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new GumbelRao(tau, 2)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new GumbelRao(1.0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be");
    }

    @Test
    void surrogatesAndGradientsStayFiniteAtExtremeLogitsAndTemperatures() {
        float[] logits = {1e4f, -1e4f, 0f, 3f, -1e4f, 1e4f, -2f, 0.5f};
        for (double tau : new double[] {0.01, 0.1, 1, 10}) {
            for (GradientEstimator e : relaxedEstimators(tau, 4)) {
                for (boolean bernoulli : new boolean[] {false, true}) {
                    Engine.getInstance().setRandomSeed(3);
                    try (NDManager m = NDManager.newBaseManager()) {
                        NDArray l = m.create(logits, new Shape(2, 4));
                        l.setRequiresGradient(true);
                        Distribution q = bernoulli ? Bernoulli.ofLogits(l) : OneHotCategorical.ofLogits(l);
                        Estimate est;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            est = e.estimate(q, z -> z.sub(0.3f).square().sum(new int[] {2}));
                            gc.backward(est.surrogate());
                        }
                        String what = e.name() + (bernoulli ? " bernoulli" : " categorical") + " tau " + tau;
                        assertThat(est.surrogate().getFloat()).as(what).isFinite();
                        for (float g : l.getGradient().toFloatArray()) {
                            assertThat(g).as(what).isFinite();
                        }
                    }
                }
            }
        }
    }

    static List<GradientEstimator> relaxedEstimators(double tau, int k) {
        return List.of(new StraightThrough(tau), new GumbelSoftmax(tau), new StraightThroughGumbelSoftmax(tau),
                new GumbelRao(tau, k), new ReinMax(tau));
    }

    static double[] softmax(double[] theta, double tau) {
        double max = java.util.Arrays.stream(theta).max().orElseThrow();
        double[] p = new double[theta.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((theta[i] - max) / tau);
            z += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    /** (diag π − ππᵀ) w. */
    static double[] jacobianTimes(double[] pi, float[] w) {
        double pw = 0;
        for (int k = 0; k < pi.length; k++) {
            pw += pi[k] * w[k];
        }
        double[] out = new double[pi.length];
        for (int k = 0; k < pi.length; k++) {
            out[k] = pi[k] * (w[k] - pw);
        }
        return out;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
