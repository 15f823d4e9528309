package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.discrete4j.distribution.Bernoulli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The surrogate's gradient reaches q's logits and f's parameters only, with the right values for f's parameters,
 * and its value is the cost; learned parts (NVIL's baseline network, moving averages) are trained first so that
 * they are not trivially zero.
 *
 * <p>The cost {@code f(z) = Σ_d (z_d − ψ_r)²} has a parameter ψ_r per row. For 0/1 draws with k ones out of D,
 * f = k(1 − ψ)² + (D − k)ψ², so k, and the exact {@code ∂f/∂ψ = −2(k − Dψ)}, can be read off the returned cost.
 */
class GradientRoutingTest {

    static final int D = 3;
    static final int ROWS = 64;
    static final float PSI = 0.3f;

    static List<String> names() {
        return List.of("reinforce", "reinforce-ma", "reinforce-batch", "rloo", "nvil", "muprop", "arm", "disarm");
    }

    private static Cost cost(NDArray psi) {
        return z -> z.sub(psi.expandDims(0).expandDims(2)).square().sum(new int[] {2});
    }

    /** Runs one estimate; returns {logits gradient, ψ gradient, cost (draws × rows), surrogate value}. */
    private static double[][] step(NDManager m, GradientEstimator e, float[] logitRow) {
        float[] data = new float[ROWS * D];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(logitRow, 0, data, r * D, D);
        }
        NDArray logits = m.create(data, new Shape(ROWS, D));
        NDArray psi = m.full(new Shape(ROWS), PSI);
        logits.setRequiresGradient(true);
        psi.setRequiresGradient(true);
        Estimate est;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            est = e.estimate(Bernoulli.ofLogits(logits), cost(psi));
            gc.backward(est.surrogate());
        }
        return new double[][] {toDouble(logits.getGradient().toFloatArray()),
            toDouble(psi.getGradient().toFloatArray()), toDouble(est.cost().toFloatArray()),
            {est.surrogate().getFloat()}};
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @ParameterizedTest
    @MethodSource("names")
    void gradientsReachOnlyTheLogitsAndTheCostsParameters(String name) {
        Engine.getInstance().setRandomSeed(3);
        GradientEstimator e = Estimators.create(name, Estimators.Options.defaults());
        try (NDManager m = NDManager.newBaseManager()) {
            for (int call = 0; call < 30; call++) {
                try (NDManager s = m.newSubManager()) {
                    step(s, e, new float[] {0.5f, -1f, 2f});
                }
            }
            for (float[] row : new float[][] {{0.5f, -1f, 2f}, {1e4f, -1e4f, 1e4f}}) {
                try (NDManager s = m.newSubManager()) {
                    double[][] out = step(s, e, row);
                    double[] cost = out[2];
                    int draws = cost.length / ROWS;
                    double total = 0;
                    for (int r = 0; r < ROWS; r++) {
                        double grad = 0;
                        for (int n = 0; n < draws; n++) {
                            double c = cost[n * ROWS + r];
                            total += c / draws;
                            double k = (c - D * PSI * PSI) / (1 - 2 * PSI);
                            assertThat(k).isCloseTo(Math.rint(k), within(1e-4));
                            grad += -2 * (Math.rint(k) - D * PSI) / draws;
                        }
                        assertThat(out[1][r]).as("%s: dsurrogate/dpsi row %d", name, r).isCloseTo(grad, within(1e-4));
                    }
                    assertThat(out[3][0]).as("%s: surrogate value = cost", name).isCloseTo(total, within(1e-3));
                    for (double g : out[0]) {
                        assertThat(g).isFinite();
                        if (row[0] == 1e4f) {
                            // Deterministic draws: ∇log q = z − σ(θ) = 0 exactly, the mean is fixed and both draws
                            // of a pair agree, so any gradient on the logits would have leaked in from a baseline.
                            assertThat(g).as("%s: logits gradient at deterministic draws", name).isZero();
                        }
                    }
                }
            }
        }
    }
}
