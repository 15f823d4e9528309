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
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Categorical;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;
import org.junit.jupiter.api.Test;

/**
 * Straight-through, Gumbel-softmax, ST Gumbel-softmax, Gumbel-Rao and ReinMax against what theory predicts for their
 * means and variances on {@link Problem#categorical} and {@link Problem#bernoulli}.
 *
 * <p>Bounds. A mean of n ≥ 5000 independent estimates is normal to a good approximation, so a coordinate outside
 * 4.5 standard errors of its predicted value happens with probability about 7e-6; with at most a few dozen such
 * checks per test the false-alarm rate stays below 1e-3 at a fixed seed. Variances are compared row by row: two
 * estimators (or two temperatures) run with the same seed see the same noise in each row, so the per-row differences
 * of squared deviations {@code ‖g_r − ḡ‖²} are independent across rows and their mean, whose expectation is the
 * difference of the summed variances, gets the same 4.5-standard-error bound (the estimates are bounded here, so
 * every moment is finite).
 */
class RelaxedEstimatorsTest {

    static final double[] THETA = {0.5, 1.5, -0.5, 0.2};
    static final double T = 1.3;
    static final Problem CATEGORICAL = Problem.categorical(THETA, T);
    static final double[] BERNOULLI_THETA = {0.5, -1.0, 2.0};
    static final double BERNOULLI_T = 0.45;
    static final Problem BERNOULLI = Problem.bernoulli(BERNOULLI_THETA, BERNOULLI_T);
    static final double Z = 4.5;

    /** One estimate per row, {@code rows} rows in one call, as {@link Comparison} draws them: {@code [row][coord]}. */
    static double[][] perRow(Problem p, GradientEstimator e, int rows, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        int d = p.theta().length;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(toFloat(p.theta())).reshape(1, d).repeat(0, rows);
            logits.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(e.estimate(p.distribution().apply(logits), p.cost()).surrogate());
            }
            double[] g = logits.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            double[][] out = new double[rows][d];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(g, r * d, out[r], 0, d);
            }
            return out;
        }
    }

    /** The t statistic of mean(f_r) over rows. */
    static double t(double[] f) {
        double m = java.util.Arrays.stream(f).average().orElseThrow();
        double v = 0;
        for (double x : f) {
            v += (x - m) * (x - m) / (f.length - 1);
        }
        return m / Math.sqrt(v / f.length);
    }

    /** Per-row squared deviation from the column means, ‖g_r − ḡ‖², whose mean estimates the summed variance. */
    static double[] spread(double[][] g) {
        int d = g[0].length;
        double[] mean = new double[d];
        for (double[] row : g) {
            for (int i = 0; i < d; i++) {
                mean[i] += row[i] / g.length;
            }
        }
        double[] s = new double[g.length];
        for (int r = 0; r < g.length; r++) {
            for (int i = 0; i < d; i++) {
                s[r] += (g[r][i] - mean[i]) * (g[r][i] - mean[i]);
            }
        }
        return s;
    }

    /** The t statistic of the summed variance of {@code higher} minus that of {@code lower}, rows paired by seed. */
    static double varianceIncreaseT(double[][] lower, double[][] higher) {
        double[] a = spread(lower);
        double[] b = spread(higher);
        double[] diff = new double[a.length];
        for (int r = 0; r < a.length; r++) {
            diff[r] = b[r] - a[r];
        }
        return t(diff);
    }

    static double biasNorm(Comparison.Result r, double[] target) {
        double s = 0;
        for (int i = 0; i < target.length; i++) {
            s += (r.mean()[i] - target[i]) * (r.mean()[i] - target[i]);
        }
        return Math.sqrt(s);
    }

    static double stderrNorm(Comparison.Result r) {
        double s = 0;
        for (double e : r.stderr()) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    static void assertWithin(double[] mean, double[] stderr, double[] want, String what) {
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(mean[i] - want[i])).as("%s, coordinate %d: mean %s, predicted %s, stderr %s", what,
                    i, mean[i], want[i], stderr[i]).isLessThan(Z * stderr[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gumbel-softmax: bias falls and variance grows as τ falls.

    @Test
    void gumbelSoftmaxBiasShrinksAndVarianceGrowsAsTemperatureFallsOnTheCategorical() {
        double[] taus = {2, 1, 0.5, 0.25};
        List<Comparison.Result> runs = new ArrayList<>();
        List<double[][]> rows = new ArrayList<>();
        for (double tau : taus) {
            runs.add(Comparison.run(CATEGORICAL, new GumbelSoftmax(tau), 40000, 20000, 0, 300, null));
            rows.add(perRow(CATEGORICAL, new GumbelSoftmax(tau), 5000, 301));
        }
        assertTrends(CATEGORICAL, taus, runs, rows);
    }

    @Test
    void gumbelSoftmaxOnTheBernoulliHasTheBiasOfTheRelaxedObjective() {
        // The estimator is unbiased for ∇E[f(y_τ)], y_τ = σ((θ + Λ)/τ); its exact value, by quadrature over the
        // logistic noise, is the predicted mean. Above τ ≈ 1 the binary relaxation flattens towards y = 1/2 and its
        // gradient towards 0, so the bias approaches |exact| and is not monotone there; from τ = 1 down it falls.
        double[] taus = {1, 0.5, 0.25, 0.125};
        List<Comparison.Result> runs = new ArrayList<>();
        List<double[][]> rows = new ArrayList<>();
        for (double tau : taus) {
            Comparison.Result r = Comparison.run(BERNOULLI, new GumbelSoftmax(tau), 100000, 50000, 0, 400, null);
            assertWithin(r.mean(), r.stderr(), relaxedBernoulliGradient(tau), "gumbel-softmax at tau " + tau);
            runs.add(r);
            rows.add(perRow(BERNOULLI, new GumbelSoftmax(tau), 5000, 401));
        }
        assertTrends(BERNOULLI, taus, runs, rows);
    }

    /**
     * Bias norms fall with margins of 4 combined standard-error norms (|‖m − e‖ − ‖μ − e‖| ≤ ‖m − μ‖, which exceeds
     * 4·sqrt(Σ se²) with probability below 1e-4 for a normal m in up to four dimensions); variances rise by the
     * paired per-row bound.
     */
    static void assertTrends(Problem p, double[] taus, List<Comparison.Result> runs, List<double[][]> rows) {
        for (int j = 0; j + 1 < taus.length; j++) {
            Comparison.Result hot = runs.get(j);
            Comparison.Result cold = runs.get(j + 1);
            String at = p.name() + ", tau " + taus[j] + " -> " + taus[j + 1];
            assertThat(biasNorm(hot, p.exact()) - biasNorm(cold, p.exact())).as("bias falls, " + at)
                    .isGreaterThan(4 * (stderrNorm(hot) + stderrNorm(cold)));
            assertThat(varianceIncreaseT(rows.get(j), rows.get(j + 1))).as("variance grows, " + at).isGreaterThan(Z);
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
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean bernoulli : new boolean[] {false, true}) {
                NDArray logits = m.create(new float[] {0.5f, 1.5f, -0.5f, 0.2f}, new Shape(1, 4));
                logits.setRequiresGradient(true);
                Distribution q = bernoulli ? Bernoulli.ofLogits(logits) : OneHotCategorical.ofLogits(logits);
                List<float[]> seen = new ArrayList<>();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Estimate e = new StraightThroughGumbelSoftmax(5.0).estimate(q, z -> {
                        seen.add(z.toFloatArray());
                        return z.mul(m.create(new float[] {1f, 2f, 3f, 4f})).sum(new int[] {1, 2});
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
        // Gumbel-Rao is E[ST-GS gradient | D] estimated with K conditional draws: same mean, lower variance. Run with
        // the same seed, both see the same D and first perturbation in each row, so their per-row differences are
        // paired: the mean difference must be within 4.5 of its standard errors of 0, the variance lower.
        for (Problem p : new Problem[] {CATEGORICAL, BERNOULLI}) {
            for (double tau : new double[] {1.0, 0.5}) {
                double[][] st = perRow(p, new StraightThroughGumbelSoftmax(tau), 5000, 500);
                double[][] gr = perRow(p, new GumbelRao(tau, 10), 5000, 500);
                for (int i = 0; i < p.theta().length; i++) {
                    double[] diff = new double[st.length];
                    for (int r = 0; r < st.length; r++) {
                        diff[r] = gr[r][i] - st[r][i];
                    }
                    assertThat(Math.abs(t(diff))).as("mean difference, %s tau %s coordinate %d", p.name(), tau, i)
                            .isLessThan(Z);
                }
                assertThat(varianceIncreaseT(gr, st)).as("variance reduction, %s tau %s", p.name(), tau)
                        .isGreaterThan(Z);
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
            assertThat(condMean[cls]).isCloseTo(lse + 0.5772156649015329, offset(Z * sd / Math.sqrt(n)));
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
                assertThat(Math.abs(condMean[k] - mean)).as("class %d", k).isLessThan(Z * se);
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
            assertWithin(r.mean(), r.stderr(), p.exact(), "reinmax tau 1 on " + p.name());
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
            assertWithin(r.mean(), r.stderr(), want[j], "st on " + problems[j].name());
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
