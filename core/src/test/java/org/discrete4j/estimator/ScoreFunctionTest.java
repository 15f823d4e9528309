package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.discrete4j.distribution.Bernoulli;
import org.junit.jupiter.api.Test;

class ScoreFunctionTest {

    /** Gradient of E[Σ_i (z_i − t)²] for z_i ~ Bernoulli(σ(θ_i)), in closed form: (1 − 2t)·σ'(θ_i). */
    static double[] exactBernoulli(double[] theta, double t) {
        double[] g = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            double p = 1 / (1 + Math.exp(-theta[i]));
            g[i] = (1 - 2 * t) * p * (1 - p);
        }
        return g;
    }

    static double[] gradient(NDManager m, float[] theta, GradientEstimator est, double t) {
        NDArray logits = m.create(theta);
        logits.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Estimate e = est.estimate(Bernoulli.ofLogits(logits), z -> z.sub(t).square().sum(new int[] {1}));
            gc.backward(e.surrogate());
        }
        float[] g = logits.getGradient().toFloatArray();
        double[] d = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            d[i] = g[i];
        }
        return d;
    }

    @Test
    void exactMatchesClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] theta = {0.3f, -1.2f, 2.0f};
            double[] g = gradient(m, theta, new Exact(), 0.45);
            double[] want = exactBernoulli(new double[] {0.3, -1.2, 2.0}, 0.45);
            for (int i = 0; i < 3; i++) {
                assertThat(g[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void reinforceIsUnbiased() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] theta = {0.3f, -1.2f, 2.0f};
            double[] want = exactBernoulli(new double[] {0.3, -1.2, 2.0}, 0.45);
            int n = 20000;
            double[] g = gradient(m, theta, new ScoreFunction(n), 0.45);
            // Per-draw variance is below 1 here, so the standard error of the mean is below 1/sqrt(n).
            for (int i = 0; i < 3; i++) {
                assertThat(g[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(4 / Math.sqrt(n)));
            }
        }
    }

    static final Problem BERNOULLI = Problem.bernoulli(new double[] {0.5, -1.0, 2.0, 4.0}, 0.45);

    static Comparison.Result run(GradientEstimator e) {
        return Comparison.run(BERNOULLI, e, 20_000, 1000, 20, 99, null);
    }

    /**
     * Variance orderings with a factor-2 margin: the relative standard error of a sample variance over N = 20 000
     * estimates is sqrt((κ − 1)/N) for kurtosis κ, under 7% even for κ = 100, so the margin is many standard errors
     * wide, while the predicted gaps are far larger (the printed ratios are below 0.01).
     */
    @Test
    void baselinesLowerTheVarianceOfReinforce() {
        Comparison.Result plain = run(new ScoreFunction(1));
        Comparison.Result plain4 = run(new ScoreFunction(4));
        Comparison.Result rloo = run(new ScoreFunction(ScoreFunction.Baseline.LEAVE_ONE_OUT, 4));
        Comparison.Result ma = run(new ScoreFunction(ScoreFunction.Baseline.MOVING_AVERAGE, 1));
        for (int i = 0; i < 4; i++) {
            System.out.printf("coordinate %d: var rloo/reinforce(4 draws) %.4f, reinforce-ma/reinforce %.4f%n", i,
                    rloo.variance()[i] / plain4.variance()[i], ma.variance()[i] / plain.variance()[i]);
            // Same number of evaluations of f: RLOO with K = 4 against the average of 4 REINFORCE draws.
            assertThat(rloo.variance()[i]).isLessThan(0.5 * plain4.variance()[i]);
            // After 20 warm-up calls the moving average is close to E[f].
            assertThat(ma.variance()[i]).isLessThan(0.5 * plain.variance()[i]);
        }
    }

    /**
     * The self-inclusive batch average shrinks the gradient by (K − 1)/K. For K = 2 and K = 4 the mean agrees with
     * (K − 1)/K times the exact gradient within 4.5 standard errors (the bound of {@link UnbiasedEstimatorsTest}),
     * and on the largest coordinate it is more than 4.5 standard errors away from the exact gradient itself.
     */
    @Test
    void batchAverageShrinksTheGradientByKMinusOneOverK() {
        for (int k : new int[] {2, 4}) {
            GradientEstimator e = new ScoreFunction(ScoreFunction.Baseline.BATCH_AVERAGE, k);
            assertThat(e.unbiased()).isFalse();
            Comparison.Result r = run(e);
            double shrink = (k - 1.0) / k;
            int largest = 0;
            for (int i = 0; i < 4; i++) {
                assertThat(Math.abs(r.mean()[i] - shrink * r.exact()[i])).isLessThanOrEqualTo(4.5 * r.stderr()[i]);
                if (Math.abs(r.exact()[i]) > Math.abs(r.exact()[largest])) {
                    largest = i;
                }
            }
            System.out.printf("K = %d: mean/exact on the largest coordinate %.4f (predicted %.4f)%n", k,
                    r.mean()[largest] / r.exact()[largest], shrink);
            assertThat(Math.abs(r.mean()[largest] - r.exact()[largest])).isGreaterThan(4.5 * r.stderr()[largest]);
        }
    }

    @Test
    void badDrawCountsAreRejected() {
        assertThatThrownBy(() -> new ScoreFunction(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("samples must be >= 1");
        assertThatThrownBy(() -> new ScoreFunction(ScoreFunction.Baseline.LEAVE_ONE_OUT, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rloo needs k >= 2");
        assertThatThrownBy(() -> new Estimators.Options(1.0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be >= 1");
        assertThatThrownBy(() -> Estimators.create("rloo", new Estimators.Options(1.0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k >= 2");
    }

    @Test
    void registryNamesMatch() {
        Estimators.Options o = Estimators.Options.defaults();
        for (String name : new String[] {"reinforce", "reinforce-ma", "reinforce-batch", "rloo", "nvil", "muprop",
            "arm", "disarm"}) {
            assertThat(Estimators.create(name, o).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> Estimators.create("vimco", o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multi-sample objective").hasMessageContaining("createMultiSample");
        assertThat(Estimators.createMultiSample("vimco").name()).isEqualTo("vimco");
    }
}
