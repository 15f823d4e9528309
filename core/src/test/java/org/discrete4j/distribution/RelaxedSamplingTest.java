package org.discrete4j.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

/** Draws of the relaxed and straight-through distributions: their discrete shadows, hard forward values, gradients. */
class RelaxedSamplingTest {

    static final float[] LOGITS = {0.5f, 1.5f, -0.5f, 0.2f};
    static final int N = 20000;

    /** Pearson's statistic of observed counts against expected probabilities. */
    static double chiSquare(long[] counts, double[] p, int n) {
        double s = 0;
        for (int i = 0; i < counts.length; i++) {
            double e = n * p[i];
            s += (counts[i] - e) * (counts[i] - e) / e;
        }
        return s;
    }

    static double[] softmax(float[] l) {
        double[] p = new double[l.length];
        double z = 0;
        for (int i = 0; i < l.length; i++) {
            p[i] = Math.exp(l[i]);
            z += p[i];
        }
        for (int i = 0; i < l.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    @Test
    void argmaxOfConcreteDrawsFollowsTheCategorical() {
        // argmax softmax((θ + G)/τ) = argmax(θ + G) is the Gumbel-max draw for every τ. Pearson's statistic with
        // K − 1 = 3 degrees of freedom, against its 0.999 quantile (a false alarm once in a thousand seeds).
        double critical = ChiSquaredDistribution.of(LOGITS.length - 1).inverseCumulativeProbability(0.999);
        double[] p = softmax(LOGITS);
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {0.1, 1.0, 5.0}) {
                Engine.getInstance().setRandomSeed(101);
                NDArray y = RelaxedOneHotCategorical.ofLogits(m.create(LOGITS), tau).sample(new Shape(N));
                long[] counts = new long[LOGITS.length];
                for (long k : y.argMax(-1).toLongArray()) {
                    counts[(int) k]++;
                }
                assertThat(chiSquare(counts, p, N)).as("tau %s, counts %s", tau, java.util.Arrays.toString(counts))
                        .isLessThan(critical);
            }
        }
    }

    @Test
    void thresholdedBinaryConcreteFollowsTheBernoulli() {
        // 1[σ((l + Λ)/τ) > 1/2] = 1[l + Λ > 0] has probability σ(l). Pearson's statistic summed over three
        // independent coordinates has 3 degrees of freedom.
        float[] logits = {-1.5f, 0.3f, 2.0f};
        double critical = ChiSquaredDistribution.of(logits.length).inverseCumulativeProbability(0.999);
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {0.1, 1.0, 5.0}) {
                Engine.getInstance().setRandomSeed(202);
                float[] y = RelaxedBernoulli.ofLogits(m.create(logits), tau).sample(new Shape(N)).toFloatArray();
                double stat = 0;
                for (int i = 0; i < logits.length; i++) {
                    double p = 1 / (1 + Math.exp(-logits[i]));
                    long ones = 0;
                    for (int r = 0; r < N; r++) {
                        ones += y[r * logits.length + i] > 0.5f ? 1 : 0;
                    }
                    stat += chiSquare(new long[] {N - ones, ones}, new double[] {1 - p, p}, N);
                }
                assertThat(stat).as("tau %s", tau).isLessThan(critical);
            }
        }
    }

    @Test
    void concreteDrawsLieOnTheSimplexAndExpConcreteDrawsAreTheirLogs() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.create(LOGITS);
            Engine.getInstance().setRandomSeed(5);
            NDArray x = ExpRelaxedOneHotCategorical.ofLogits(l, 0.4).sample(new Shape(100));
            Engine.getInstance().setRandomSeed(5);
            NDArray y = RelaxedOneHotCategorical.ofLogits(l, 0.4).sample(new Shape(100));
            assertThat(y.min().getFloat()).isGreaterThanOrEqualTo(0f);
            for (float s : y.sum(new int[] {-1}).toFloatArray()) {
                assertThat(s).isCloseTo(1f, offset(1e-5f));
            }
            // The same noise: a Concrete draw is softmax((θ + G)/τ) in one call, the exp of the ExpConcrete draw
            // log-softmax((θ + G)/τ) up to float rounding: that of a log of size |log y| ≤ 20 here, relative in y.
            float[] ex = x.exp().toFloatArray();
            float[] yy = y.toFloatArray();
            assertThat(yy).hasSameSizeAs(ex);
            for (int i = 0; i < ex.length; i++) {
                assertThat((double) yy[i]).as("coordinate %d", i).isCloseTo(ex[i], offset(1e-5 * ex[i] + 1e-37));
            }
        }
    }

    @Test
    void straightThroughGumbelSoftmaxIsExactlyOneHotForwardAndSoftBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {0.1, 1.0, 10.0}) {
                Engine.getInstance().setRandomSeed(9);
                NDArray l = m.create(LOGITS);
                l.setRequiresGradient(true);
                RelaxedOneHotCategoricalStraightThrough d = RelaxedOneHotCategoricalStraightThrough.ofLogits(l, tau);
                NDArray w = m.create(new float[] {1f, -2f, 0.5f, 3f});
                NDArray z;
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    z = d.rsample(new Shape(50));
                    y = d.unquantized(z);
                    gc.backward(z.mul(w).sum());
                }
                float[] v = z.toFloatArray();
                for (int r = 0; r < 50; r++) {
                    int ones = 0;
                    for (int k = 0; k < 4; k++) {
                        float e = v[4 * r + k];
                        assertThat(e == 0f || e == 1f).as("one-hot entry %s", e).isTrue();
                        ones += (int) e;
                    }
                    assertThat(ones).isEqualTo(1);
                }
                assertThat(z.argMax(-1).toLongArray()).containsExactly(y.argMax(-1).toLongArray());
                // Backward is that of Σ w·y: Σ_r J_r w / τ with J the softmax Jacobian at each soft draw.
                double[] want = new double[4];
                float[] ys = y.toFloatArray();
                for (int r = 0; r < 50; r++) {
                    double wy = 0;
                    for (int k = 0; k < 4; k++) {
                        wy += w.getFloat(k) * ys[4 * r + k];
                    }
                    for (int k = 0; k < 4; k++) {
                        want[k] += ys[4 * r + k] * (w.getFloat(k) - wy) / tau;
                    }
                }
                float[] g = l.getGradient().toFloatArray();
                for (int k = 0; k < 4; k++) {
                    assertThat((double) g[k]).as("tau %s", tau).isCloseTo(want[k], offset(1e-4 * (1 + Math.abs(want[k]))));
                }
            }
        }
    }

    @Test
    void straightThroughBinaryConcreteIsExactlyZeroOrOneForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(10);
            NDArray l = m.create(new float[] {-1f, 0f, 2f});
            RelaxedBernoulliStraightThrough d = RelaxedBernoulliStraightThrough.ofLogits(l, 2.0);
            NDArray z = d.rsample(new Shape(200));
            float[] v = z.toFloatArray();
            float[] y = d.unquantized(z).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertThat(v[i]).isEqualTo(y[i] > 0.5f ? 1f : 0f);
            }
        }
    }

    @Test
    void relaxedStraightThroughLogProbIsTheDensityOfTheUnquantisedDraw() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(12);
            RelaxedOneHotCategoricalStraightThrough d =
                    RelaxedOneHotCategoricalStraightThrough.ofLogits(m.create(LOGITS), 0.5);
            NDArray first = d.sample(new Shape(8));
            NDArray second = d.rsample(new Shape(8));
            for (NDArray z : new NDArray[] {first, second}) {
                NDArray y = d.unquantized(z);
                assertThat(y).isNotSameAs(z);
                assertThat(d.logProb(z).toFloatArray()).containsExactly(d.relaxed().logProb(y).toFloatArray());
            }
            // A value the distribution did not draw is its own soft point.
            NDArray other = first.duplicate();
            assertThat(d.unquantized(other)).isSameAs(other);

            RelaxedBernoulliStraightThrough b = RelaxedBernoulliStraightThrough.ofLogits(m.create(LOGITS), 0.5);
            NDArray zb = b.rsample(new Shape(8));
            assertThat(b.logProb(zb).toFloatArray()).containsExactly(b.relaxed().logProb(b.unquantized(zb)).toFloatArray());
        }
    }

    @Test
    void plainStraightThroughPassesTheProbabilityGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {1.0, 0.5}) {
                Engine.getInstance().setRandomSeed(13);
                NDArray l = m.create(LOGITS);
                l.setRequiresGradient(true);
                NDArray w = m.create(new float[] {1f, -2f, 0.5f, 3f});
                NDArray z;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    z = OneHotCategoricalStraightThrough.ofLogits(l, tau).rsample(new Shape(1));
                    gc.backward(z.mul(w).sum());
                }
                assertThat(z.sum().getFloat()).isEqualTo(1f);
                float[] scaled = new float[4];
                for (int k = 0; k < 4; k++) {
                    scaled[k] = (float) (LOGITS[k] / tau);
                }
                double[] p = softmax(scaled);
                double wp = 0;
                for (int k = 0; k < 4; k++) {
                    wp += w.getFloat(k) * p[k];
                }
                float[] g = l.getGradient().toFloatArray();
                for (int k = 0; k < 4; k++) {
                    assertThat((double) g[k]).isCloseTo(p[k] * (w.getFloat(k) - wp) / tau, offset(1e-5));
                }
            }
            // Bernoulli: d/dl of w·σ(l/τ) = w σ'(l/τ)/τ.
            NDArray l = m.create(new float[] {-1f, 0.5f});
            l.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(BernoulliStraightThrough.ofLogits(l, 2.0).rsample(new Shape(3)).mul(2f).sum());
            }
            float[] g = l.getGradient().toFloatArray();
            for (int i = 0; i < 2; i++) {
                double s = 1 / (1 + Math.exp(-l.getFloat(i) / 2.0));
                assertThat((double) g[i]).isCloseTo(3 * 2 * s * (1 - s) / 2.0, offset(1e-5));
            }
        }
    }

    @Test
    void learnedTemperatureArrayCarriesAGradient() {
        // d/dτ log p(x) of the ExpConcrete at fixed x, by central differences in float64, times dτ/dρ = σ(ρ).
        try (NDManager m = NDManager.newBaseManager()) {
            org.discrete4j.schedule.Learned learned = new org.discrete4j.schedule.Learned(m, 0.8, 0.1);
            double[] x = {-1.2, -0.9, -2.5, -1.1};
            NDArray l = m.create(LOGITS);
            NDArray lp;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                lp = ExpRelaxedOneHotCategorical.ofLogits(l, learned.temperature())
                        .logProb(m.create(x).toType(DataType.FLOAT32, false));
                gc.backward(lp);
            }
            double tau = learned.temperature(0);
            assertThat(tau).isCloseTo(0.8, offset(1e-6));
            double h = 1e-5;
            NDArray l64 = l.toType(DataType.FLOAT64, false);
            double dlp = (ExpRelaxedOneHotCategorical.ofLogits(l64, tau + h).logProb(m.create(x)).getDouble()
                    - ExpRelaxedOneHotCategorical.ofLogits(l64, tau - h).logProb(m.create(x)).getDouble()) / (2 * h);
            double rho = learned.parameter().getFloat();
            double want = dlp / (1 + Math.exp(-rho));
            assertThat((double) learned.parameter().getGradient().getFloat()).isCloseTo(want, offset(1e-3 * (1 + Math.abs(want))));
        }
    }

    @Test
    void badTemperaturesAreRejectedWithTheirName() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.create(LOGITS);
            for (double tau : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThatThrownBy(() -> ExpRelaxedOneHotCategorical.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
                assertThatThrownBy(() -> RelaxedOneHotCategorical.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
                assertThatThrownBy(() -> RelaxedBernoulli.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
                assertThatThrownBy(() -> LogitRelaxedBernoulli.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
                assertThatThrownBy(() -> RelaxedOneHotCategoricalStraightThrough.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
                assertThatThrownBy(() -> RelaxedBernoulliStraightThrough.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
                assertThatThrownBy(() -> OneHotCategoricalStraightThrough.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
                assertThatThrownBy(() -> BernoulliStraightThrough.ofLogits(l, tau))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
            }
            assertThatThrownBy(() -> RelaxedOneHotCategorical.ofLogits(l, m.create(new float[] {0.5f, 2f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape");
            assertThatThrownBy(() -> RelaxedBernoulli.ofLogits(l, m.create(new float[] {1f, 1f, 0f, 1f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("> 0");
            assertThatThrownBy(() -> RelaxedOneHotCategorical.ofLogits(l, m.create(Float.NaN)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
            assertThatThrownBy(() -> RelaxedOneHotCategorical.ofLogits(m.create(new float[] {0f, Float.NaN}), 1.0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits contains NaN");
            // Finite logits whose sum overflows float32 are still finite input; an infinity among finite ones is not.
            RelaxedOneHotCategorical.ofLogits(m.create(new float[] {3e38f, 3e38f}), 1.0);
            assertThatThrownBy(() -> RelaxedOneHotCategorical.ofLogits(m.create(new float[] {3e38f,
                Float.NEGATIVE_INFINITY}), 1.0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("infinite");
        }
    }
}
