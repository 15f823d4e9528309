package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.discrete4j.distribution.Bernoulli;
import org.junit.jupiter.api.Test;

class NvilTest {

    static final int D = 3;
    static final int ROWS = 500;

    /**
     * Gradient estimates on a batch with two kinds of row, as in a model whose cost depends on its input: logits
     * +1 with cost {@code Σ z + 2}, and logits −1 with cost {@code Σ z − 2}. A constant baseline sits between the
     * two, leaving a centred signal of about ±2; NVIL's network sees the logits and can learn the offset of each
     * kind. Returns the gradient variance averaged over the two kinds, pooled over rows and coordinates, measured
     * over {@code calls} calls after {@code warmup}; checks the mean against the exact gradient σ'(θ) per kind.
     */
    static double mixedRowVariance(GradientEstimator e, int warmup, int calls) {
        Engine.getInstance().setRandomSeed(17);
        float[] data = new float[ROWS * D];
        float[] offsets = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            offsets[r] = r % 2 == 0 ? 2f : -2f;
            for (int d = 0; d < D; d++) {
                data[r * D + d] = r % 2 == 0 ? 1f : -1f;
            }
        }
        double[] sum = new double[2];
        double[] sumSq = new double[2];
        try (NDManager m = NDManager.newBaseManager()) {
            for (int call = 0; call < warmup + calls; call++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray logits = s.create(data, new Shape(ROWS, D));
                    NDArray offset = s.create(offsets, new Shape(1, ROWS));
                    logits.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Estimate est = e.estimate(Bernoulli.ofLogits(logits), z -> z.sum(new int[] {2}).add(offset));
                        gc.backward(est.surrogate());
                    }
                    if (call >= warmup) {
                        float[] g = logits.getGradient().toFloatArray();
                        for (int i = 0; i < g.length; i++) {
                            sum[(i / D) % 2] += g[i];
                            sumSq[(i / D) % 2] += (double) g[i] * g[i];
                        }
                    }
                }
            }
        }
        double n = (double) calls * ROWS / 2 * D;
        double p = 1 / (1 + Math.exp(-1));
        double exact = p * (1 - p); // the same for θ = 1 and θ = −1
        double variance = 0;
        for (int kind = 0; kind < 2; kind++) {
            double mean = sum[kind] / n;
            double var = sumSq[kind] / n - mean * mean;
            // Pooled over coordinates, the draws of one call are independent: the 4.5-stderr bound applies.
            assertThat(Math.abs(mean - exact)).isLessThanOrEqualTo(4.5 * Math.sqrt(var / n));
            variance += var / 2;
        }
        return variance;
    }

    /**
     * The input-dependent baseline must beat the moving average on inputs with different mean costs. The factor-2
     * margin is many standard errors of the variance estimates (45 000 gradient values per kind); the printed
     * ratio shows the size of the effect.
     */
    @Test
    void learnedBaselineBeatsTheMovingAverageOnInputDependentCosts() {
        double nvil = mixedRowVariance(new Nvil(), 200, 60);
        double ma = mixedRowVariance(new ScoreFunction(ScoreFunction.Baseline.MOVING_AVERAGE, 1), 200, 60);
        System.out.printf("mixed rows: variance nvil %.4g, reinforce-ma %.4g, ratio %.3f%n", nvil, ma, nvil / ma);
        assertThat(nvil).isLessThan(0.5 * ma);
    }

    /**
     * Variance normalisation divides q's gradient by max(1, s), s the running standard deviation of the centred
     * signal. With t = −1 the cost's standard deviation is above 2 and grows with the cost's scale, so scaling f by
     * 2 or by 4 gives the same estimate (an unnormalised estimator would double), well below the unnormalised
     * gradient and pointing along it.
     */
    @Test
    void varianceNormalisationMakesTheEstimateScaleFree() {
        Problem base = Problem.bernoulli(new double[] {0.5, -1.0, 2.0}, -1.0);
        double[] mean = new double[2];
        double[] se = new double[2];
        int j = 0;
        for (double scale : new double[] {2, 4}) {
            double[] exact = base.exact().clone();
            for (int i = 0; i < exact.length; i++) {
                exact[i] *= scale;
            }
            Problem scaled = new Problem("bernoulli x" + scale, base.theta(), base.target(), base.distribution(),
                    z -> base.cost().apply(z).mul(scale), exact);
            Comparison.Result r = Comparison.run(scaled, new Nvil(), 20_000, 1000, 20, 8, null);
            for (int i = 0; i < exact.length; i++) {
                assertThat(Math.signum(r.mean()[i])).isEqualTo(Math.signum(exact[i]));
                mean[j] += r.mean()[i] / base.exact()[i] / exact.length;
                se[j] += r.stderr()[i] / Math.abs(base.exact()[i]) / exact.length;
            }
            j++;
        }
        System.out.printf("mean/exact of f: x2 %.3f ± %.3f, x4 %.3f ± %.3f%n", mean[0], se[0], mean[1], se[1]);
        assertThat(mean[0]).isLessThan(0.5 * 2); // normalised: far below the unnormalised 2
        assertThat(mean[1] / mean[0]).isBetween(0.9, 1.1);
    }

    @Test
    void theNetworkKeepsItsInputSize() {
        Nvil e = new Nvil();
        try (NDManager m = NDManager.newBaseManager()) {
            e.estimate(Bernoulli.ofLogits(m.zeros(new Shape(4, 3))), z -> z.sum(new int[] {2}));
            assertThatThrownBy(() -> e.estimate(Bernoulli.ofLogits(m.zeros(new Shape(4, 5))),
                    z -> z.sum(new int[] {2}))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("built for 3 logits per cost element, got 5");
        }
    }
}
