package org.discrete4j.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.PoissonDistribution;
import org.assertj.core.data.Offset;
import org.discrete4j.distribution.GeneralizedGumbelSoftmax.Truncation;
import org.junit.jupiter.api.Test;

class GeneralizedGumbelSoftmaxTest {

    static GeneralizedGumbelSoftmax relax(Enumerable base, Truncation t, double tau) {
        return new GeneralizedGumbelSoftmax(base, t, tau, false);
    }

    @Test
    void truncatedProbabilitiesSumToOneUnderBothRules() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<Function<NDManager, Enumerable>> bases = List.of(
                    mm -> Poisson.ofLogRate(mm.create(new float[] {-2f, 1f, 3f})),
                    mm -> Binomial.ofLogits(10, mm.create(new float[] {-1f, 0f, 2f})),
                    mm -> NegativeBinomial.ofLogits(3.5, mm.create(new float[] {-1f, 0.5f})),
                    mm -> Geometric.ofLogits(mm.create(new float[] {-2f, 1f})));
            for (Function<NDManager, Enumerable> base : bases) {
                for (Truncation t : List.of(Truncation.cumulative(0.9999), Truncation.cumulative(0.5),
                        Truncation.fixed(2), Truncation.fixed(7), Truncation.fixed(40))) {
                    GeneralizedGumbelSoftmax g = relax(base.apply(m), t, 0.5);
                    String what = g.base().getClass().getSimpleName() + " " + t;
                    assertThat(g.logProbs().getShape()).isEqualTo(g.batchShape().add(g.level()));
                    for (float s : g.logProbs().exp().sum(new int[] {-1}).toFloatArray()) {
                        assertThat((double) s).as(what).isCloseTo(1.0, Offset.offset(2e-6));
                    }
                }
            }
        }
    }

    /** π_k = p(k) for k < n−1 and π_{n−1} = P(X ≥ n−1), against Commons Statistics; n from the mass rule. */
    @Test
    void truncationMatchesThePaperAndTheMassRule() {
        try (NDManager m = NDManager.newBaseManager()) {
            double rate = 3.7;
            GeneralizedGumbelSoftmax g = relax(Poisson.ofRate(m.create(new double[] {rate})),
                    Truncation.cumulative(0.999), 1);
            PoissonDistribution ref = PoissonDistribution.of(rate);
            int want = 0;
            while (ref.cumulativeProbability(want) < 0.999) {
                want++;
            }
            assertThat(g.level()).isEqualTo(want + 1);
            double[] pi = g.logProbs().exp().toDoubleArray();
            for (int k = 0; k < g.level() - 1; k++) {
                assertThat(pi[k]).isCloseTo(ref.probability(k), Offset.offset(1e-14));
            }
            // The remainder is summed over the enumerated support, which leaves out less than 1e-10.
            assertThat(pi[g.level() - 1]).isCloseTo(ref.survivalProbability(g.level() - 2), Offset.offset(1e-10));
            // Fixed level 3: π = (p0, p1, P(X ≥ 2)).
            double[] three = relax(Poisson.ofRate(m.create(new double[] {rate})), Truncation.fixed(3), 1).logProbs()
                    .exp().toDoubleArray();
            assertThat(three).containsExactly(new double[] {ref.probability(0), ref.probability(1),
                ref.survivalProbability(1)}, Offset.offset(1e-10));
        }
    }

    /** Σ_k π_k = 1 for every θ, so its gradient is zero: the remainder carries minus the head's gradient. */
    @Test
    void remainderIsDifferentiableAndBalancesTheHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray theta = m.create(new double[] {0.7, -0.4});
            theta.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray lp = relax(Binomial.ofLogits(12, theta), Truncation.fixed(5), 1).logProbs();
                gc.backward(lp.exp().sum());
            }
            assertThat(theta.getGradient().toDoubleArray()).containsExactly(new double[] {0, 0}, Offset.offset(1e-12));
            // d log π_0 / dθ = −n σ(θ) for the binomial head.
            NDArray t2 = m.create(new double[] {0.7});
            t2.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(relax(Binomial.ofLogits(12, t2), Truncation.fixed(5), 1).logProbs().get("..., 0").sum());
            }
            assertThat(t2.getGradient().toDoubleArray()[0]).isCloseTo(-12 / (1 + Math.exp(-0.7)), Offset.offset(1e-12));
        }
    }

    /**
     * With the same seed (hence the same Gumbel noise), the relaxed value approaches the Gumbel-max draw as τ falls:
     * the mean |relaxed − discrete| shrinks at every step of τ = 1, 0.3, 0.1, 0.03 (measured 1.30, 0.52, 0.19, 0.056),
     * and so does the mean distance to the nearest integer (0.24, 0.16, 0.068, 0.023).
     */
    @Test
    void relaxedValuesApproachDiscreteDrawsAsTemperatureFalls() {
        try (NDManager m = NDManager.newBaseManager()) {
            double first = 0;
            double previous = Double.POSITIVE_INFINITY;
            double previousRound = Double.POSITIVE_INFINITY;
            for (double tau : new double[] {1, 0.3, 0.1, 0.03}) {
                GeneralizedGumbelSoftmax g = relax(Poisson.ofLogRate(m.create(new float[] {1f, 2.5f})),
                        Truncation.cumulative(0.9999), tau);
                Engine.getInstance().setRandomSeed(21);
                NDArray soft = g.rsample(new Shape(4000));
                Engine.getInstance().setRandomSeed(21);
                NDArray hard = g.sample(new Shape(4000));
                double gap = soft.sub(hard).abs().mean().getFloat();
                double toRound = soft.sub(soft.round()).abs().mean().getFloat();
                assertThat(gap).as("tau " + tau).isLessThan(previous);
                assertThat(toRound).isLessThanOrEqualTo(gap + 1e-6).isLessThan(previousRound);
                System.out.printf("GenGS tau %.2f: mean |relaxed - discrete| = %.4f, mean |relaxed - round| = %.4f%n",
                        tau, gap, toRound);
                first = tau == 1 ? gap : first;
                previous = gap;
                previousRound = toRound;
            }
            assertThat(previous).isLessThan(first / 5);
        }
    }

    @Test
    void straightThroughIsAnIntegerInTheSupportWithTheRelaxedGradient() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray theta = m.create(new float[] {0.5f, 2f, -1f});
            theta.setRequiresGradient(true);
            GeneralizedGumbelSoftmax g;
            NDArray z;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                g = new GeneralizedGumbelSoftmax(Poisson.ofLogRate(theta), Truncation.cumulative(0.999), 0.5, true);
                z = g.rsample(new Shape(200));
                gc.backward(z.sum());
            }
            for (float v : z.toFloatArray()) {
                assertThat(v).isEqualTo((float) Math.rint(v)).isBetween(0f, g.level() - 1f);
            }
            float[] grad = theta.getGradient().toFloatArray();
            for (float v : grad) {
                assertThat(v).isFinite().isNotZero();
            }
            assertThat(g.logProb(z).getShape()).isEqualTo(new Shape(200, 3));
        }
    }

    /** Gumbel-max draws follow the truncated probabilities (chi-square at the 0.999 quantile). */
    @Test
    void discreteDrawsFollowTheTruncatedCategorical() {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            GeneralizedGumbelSoftmax g = relax(Geometric.ofLogits(m.create(new double[] {-0.5})), Truncation.fixed(6),
                    1);
            int n = 20000;
            double[] draws = g.sample(new Shape(n)).toDoubleArray();
            double[] pi = g.logProbs().exp().toDoubleArray();
            double[] counts = new double[6];
            for (double d : draws) {
                counts[(int) d]++;
            }
            double chi2 = 0;
            for (int k = 0; k < 6; k++) {
                chi2 += (counts[k] - n * pi[k]) * (counts[k] - n * pi[k]) / (n * pi[k]);
            }
            assertThat(chi2).isLessThan(ChiSquaredDistribution.of(5).inverseCumulativeProbability(0.999));
        }
    }

    /** A remainder that underflows (tiny rate, binomial level above n) and logits of ±1e4 give no NaN. */
    @Test
    void noNaNWhenTheRemainderUnderflows() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            List<Function<NDArray, Enumerable>> bases = List.of(Poisson::ofLogRate, l -> Binomial.ofLogits(3, l),
                    Geometric::ofLogits);
            for (Function<NDArray, Enumerable> base : bases) {
                NDArray theta = m.create(base.apply(m.create(0f)) instanceof Poisson
                        ? new float[] {-30f, 0f, 10f} : new float[] {-1e4f, 0f, 1e4f});
                theta.setRequiresGradient(true);
                NDArray z;
                NDArray lp;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    GeneralizedGumbelSoftmax g = new GeneralizedGumbelSoftmax(base.apply(theta), Truncation.fixed(40),
                            0.1, false);
                    lp = g.logProbs();
                    z = g.rsample(new Shape(20));
                    gc.backward(z.square().sum().add(lp.sum()).add(g.logProb(z.round()).sum()));
                }
                String what = base.apply(m.create(0f)).getClass().getSimpleName();
                assertThat(lp.isNaN().any().getBoolean() || lp.isInfinite().any().getBoolean()).as(what).isFalse();
                assertThat(z.isNaN().any().getBoolean()).as(what).isFalse();
                assertThat(theta.getGradient().isNaN().any().getBoolean()).as(what + " gradient").isFalse();
            }
        }
    }

    @Test
    void logProbIsThatOfTheTruncatedCategorical() {
        try (NDManager m = NDManager.newBaseManager()) {
            GeneralizedGumbelSoftmax g = relax(Poisson.ofRate(m.create(new float[] {2f})), Truncation.fixed(5), 1);
            float[] lp = g.logProb(m.create(new float[] {0, 3, 4, 5, -1, 1.5f}, new Shape(6, 1))).toFloatArray();
            float[] pi = g.logProbs().toFloatArray();
            assertThat(lp).containsExactly(pi[0], pi[3], pi[4], Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
                    Float.NEGATIVE_INFINITY);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            Poisson p = Poisson.ofRate(m.create(new float[] {2f}));
            assertThatThrownBy(() -> relax(p, Truncation.fixed(5), 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("temperature");
            assertThatThrownBy(() -> Truncation.fixed(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(">= 2");
            assertThatThrownBy(() -> Truncation.cumulative(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(0, 1)");
            assertThatThrownBy(() -> relax(OneHotCategorical.ofLogits(m.zeros(new Shape(3))), Truncation.fixed(3), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scalar");
        }
    }
}
