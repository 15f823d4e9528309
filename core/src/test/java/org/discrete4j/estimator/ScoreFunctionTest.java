package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;

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
}
