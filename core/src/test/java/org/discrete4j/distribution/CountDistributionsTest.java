package org.discrete4j.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.DiscreteDistribution;
import org.apache.commons.statistics.distribution.GeometricDistribution;
import org.apache.commons.statistics.distribution.PascalDistribution;
import org.apache.commons.statistics.distribution.PoissonDistribution;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Log-pmfs, means and entropies of the count distributions against Apache Commons Statistics, in float64. */
class CountDistributionsTest {

    /**
     * A float64 count distribution with one batch element and its reference log-pmf.
     *
     * @param scale the size of the terms that cancel in the log-pmf, to scale the tolerance by
     */
    record Case(String name, Function<NDManager, Distribution> build, IntToDoubleFunction reference, int[] ks,
            double scale, double mean) {
        @Override
        public String toString() {
            return name;
        }

        static Case of(String name, Function<NDManager, Distribution> build, DiscreteDistribution ref, int[] ks,
                double scale) {
            return new Case(name, build, ref::logProbability, ks, scale, ref.getMean());
        }
    }

    static NDArray one(NDManager m, double v) {
        return m.create(new double[] {v});
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** torch's negative binomial, P(k) = C(k+r−1, k) p^k (1−p)^r, for real r (no Commons class takes real r). */
    static double negBinLogPmf(double r, double p, int k) {
        return LogGamma.value(k + r) - LogGamma.value(k + 1) - LogGamma.value(r) + k * Math.log(p)
                + r * Math.log1p(-p);
    }

    static List<Case> cases() {
        double big = Math.exp(10);
        return List.of(
                Case.of("Poisson(0.01)", m -> Poisson.ofRate(one(m, 0.01)), PoissonDistribution.of(0.01),
                        new int[] {0, 1, 2, 10}, 1),
                Case.of("Poisson(3.5)", m -> Poisson.ofRate(one(m, 3.5)), PoissonDistribution.of(3.5),
                        new int[] {0, 1, 3, 4, 9, 30}, 10),
                Case.of("Poisson(logRate 5)", m -> Poisson.ofLogRate(one(m, 5)), PoissonDistribution.of(Math.exp(5)),
                        new int[] {0, 100, 148, 200, 400}, 1e3),
                Case.of("Poisson(e^10)", m -> Poisson.ofLogRate(one(m, 10)), PoissonDistribution.of(big),
                        new int[] {0, 21000, 22026, 22500, 23000}, 3e5),
                Case.of("Binomial(1, 0.3)", m -> Binomial.ofProbs(1, one(m, 0.3)), BinomialDistribution.of(1, 0.3),
                        new int[] {0, 1}, 1),
                Case.of("Binomial(20, logit 0.4)", m -> Binomial.ofLogits(20, one(m, 0.4)),
                        BinomialDistribution.of(20, sigmoid(0.4)), new int[] {0, 5, 11, 20}, 100),
                Case.of("Binomial(1000, 1e-3)", m -> Binomial.ofProbs(1000, one(m, 1e-3)),
                        BinomialDistribution.of(1000, 1e-3), new int[] {0, 1, 3, 10, 1000}, 1e4),
                // 1 − σ(30) ≈ 9.4e-14 loses three digits when σ(30) is rounded to a double, as Commons needs it:
                // compare with the log-pmf written in the logit instead.
                new Case("Binomial(50, logit 30)", m -> Binomial.ofLogits(50, one(m, 30)),
                        k -> LogGamma.value(51) - LogGamma.value(k + 1) - LogGamma.value(51 - k)
                                - k * Math.log1p(Math.exp(-30)) - (50 - k) * (30 + Math.log1p(Math.exp(-30))),
                        new int[] {50, 49, 45}, 1e3, 50 * sigmoid(30)),
                Case.of("Binomial(40, logit -20)", m -> Binomial.ofLogits(40, one(m, -20)),
                        BinomialDistribution.of(40, sigmoid(-20)), new int[] {0, 1, 2}, 1e3),
                Case.of("NegativeBinomial(3, p 0.4)", m -> NegativeBinomial.ofProbs(3, one(m, 0.4)),
                        PascalDistribution.of(3, 0.6), new int[] {0, 1, 2, 7, 40}, 100),
                Case.of("NegativeBinomial(50, logit 2)", m -> NegativeBinomial.ofLogits(50, one(m, 2)),
                        PascalDistribution.of(50, sigmoid(-2)), new int[] {0, 200, 370, 600}, 1e4),
                Case.of("NegativeBinomial(1, p 0.999)", m -> NegativeBinomial.ofProbs(1, one(m, 0.999)),
                        PascalDistribution.of(1, 0.001), new int[] {0, 999, 10000}, 1e2),
                new Case("NegativeBinomial(0.3, p 0.7)", m -> NegativeBinomial.ofProbs(0.3, one(m, 0.7)),
                        k -> negBinLogPmf(0.3, 0.7, k), new int[] {0, 1, 5, 60}, 100, 0.3 * 0.7 / 0.3),
                new Case("NegativeBinomial(12.5, logit -1)", m -> NegativeBinomial.ofLogits(12.5, one(m, -1)),
                        k -> negBinLogPmf(12.5, sigmoid(-1), k), new int[] {0, 4, 30}, 100, 12.5 * Math.exp(-1)),
                Case.of("Geometric(0.5)", m -> Geometric.ofProbs(one(m, 0.5)), GeometricDistribution.of(0.5),
                        new int[] {0, 1, 10, 60}, 100),
                Case.of("Geometric(logit -9)", m -> Geometric.ofLogits(one(m, -9)),
                        GeometricDistribution.of(sigmoid(-9)), new int[] {0, 8103, 100000}, 1e5),
                Case.of("Geometric(1)", m -> Geometric.ofProbs(one(m, 1)), GeometricDistribution.of(1),
                        new int[] {0}, 1));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void logProbMatchesCommonsStatistics(Case c) {
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution d = c.build().apply(m);
            double[] ks = new double[c.ks().length];
            for (int i = 0; i < ks.length; i++) {
                ks[i] = c.ks()[i];
            }
            double[] got = d.logProb(m.create(ks, new Shape(ks.length, 1))).toDoubleArray();
            for (int i = 0; i < ks.length; i++) {
                double want = c.reference().applyAsDouble(c.ks()[i]);
                // float64 rounding of terms of size `scale` that cancel; Geometric(1) and clamped probs: 1e-15
                // relative in the parameter moves the log-pmf by k·1e-15.
                double tol = 1e-12 * (c.scale() + Math.abs(want)) + 1e-13;
                assertThat(got[i]).as("%s at k = %d", c.name(), c.ks()[i]).isCloseTo(want, Offset.offset(tol));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void meanMatchesAndEntropyIsTheSumOverTheSupport(Case c) {
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution d = c.build().apply(m);
            assertThat(d.mean().toDoubleArray()[0]).isCloseTo(c.mean(), Offset.offset(1e-9 * (1 + c.mean())));
            Enumerable e = (Enumerable) d;
            long s = e.enumerateSupport().getShape().get(0);
            double h = 0;
            double total = 0;
            for (int k = 0; k < s; k++) {
                double lp = c.reference().applyAsDouble(k);
                if (lp > Double.NEGATIVE_INFINITY) {
                    h -= Math.exp(lp) * lp;
                    total += Math.exp(lp);
                }
            }
            assertThat(e.tailMass()).isLessThan(1e-10);
            assertThat(total).isCloseTo(1.0, Offset.offset(1e-10 + 1e-12 * s));
            assertThat(d.entropy().toDoubleArray()[0]).isCloseTo(h, Offset.offset(1e-9 * (1 + h)));
        }
    }

    @Test
    void outsideTheSupportIsMinusInfinity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray bad = m.create(new float[] {-1f, 2.5f, Float.NaN});
            for (Distribution d : List.of(Poisson.ofRate(m.create(2f)), Binomial.ofLogits(2, m.create(0.3f)),
                    NegativeBinomial.ofLogits(1.5, m.create(0.3f)), Geometric.ofLogits(m.create(0.3f)))) {
                assertThat(d.logProb(bad).toFloatArray()).as(d.getClass().getSimpleName())
                        .containsOnly(Float.NEGATIVE_INFINITY);
            }
            assertThat(Binomial.ofLogits(2, m.create(0.3f)).logProb(m.create(new float[] {3f})).toFloatArray())
                    .containsExactly(Float.NEGATIVE_INFINITY);
            // Integer values are accepted.
            assertThat(Poisson.ofRate(m.create(2f)).logProb(m.create(new int[] {1})).toFloatArray()[0])
                    .isCloseTo((float) (Math.log(2) - 2), Offset.offset(1e-6f));
        }
    }

    @Test
    void trialsMayDifferAcrossTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            Binomial b = Binomial.ofProbs(m.create(new int[] {3, 0, 7}), m.create(new double[] {0.2, 0.5, 0.9}));
            double[] lp = b.logProb(m.create(new double[] {3, 0, 5})).toDoubleArray();
            assertThat(lp[0]).isCloseTo(BinomialDistribution.of(3, 0.2).logProbability(3), Offset.offset(1e-12));
            assertThat(lp[1]).isCloseTo(0.0, Offset.offset(1e-12));
            assertThat(lp[2]).isCloseTo(BinomialDistribution.of(7, 0.9).logProbability(5), Offset.offset(1e-12));
            assertThat(b.mean().toDoubleArray()).containsExactly(new double[] {0.6, 0, 6.3}, Offset.offset(1e-12));
            assertThat(b.enumerateSupport().getShape()).isEqualTo(new Shape(8));
            assertThat(b.logProb(m.create(new double[] {1, 1, 1})).toDoubleArray()[1])
                    .isEqualTo(Double.NEGATIVE_INFINITY);
            NegativeBinomial nb = NegativeBinomial.ofLogits(m.create(new double[] {0.5, 4}), m.zeros(new Shape(2),
                    DataType.FLOAT64));
            assertThat(nb.mean().toDoubleArray()).containsExactly(0.5, 4.0);
        }
    }

    @Test
    void float32LogProbsAgreeAtModerateParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] lp = Poisson.ofLogRate(m.create(new float[] {1.5f})).logProb(m.create(new float[] {0, 4, 12},
                    new Shape(3, 1))).toFloatArray();
            PoissonDistribution p = PoissonDistribution.of(Math.exp(1.5f));
            assertThat((double) lp[1]).isCloseTo(p.logProbability(4), Offset.offset(1e-5));
            assertThat((double) lp[2]).isCloseTo(p.logProbability(12), Offset.offset(1e-5));
            float[] b = Binomial.ofLogits(30, m.create(new float[] {-0.7f})).logProb(m.create(new float[] {0, 9, 30},
                    new Shape(3, 1))).toFloatArray();
            BinomialDistribution bd = BinomialDistribution.of(30, sigmoid(-0.7f));
            assertThat((double) b[1]).isCloseTo(bd.logProbability(9), Offset.offset(1e-4));
            assertThat((double) b[2]).isCloseTo(bd.logProbability(30), Offset.offset(1e-4));
        }
    }

    /** d log p / dθ in closed form: Poisson (log-rate) k − λ, binomial k − np, negative binomial k − (k + r)p. */
    @Test
    void logProbGradientsMatchTheScore() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] k = {0, 1, 3, 7};
            double theta = 0.8;
            assertThat(scoreOf(m, theta, k, Poisson::ofLogRate)).containsExactly(
                    new double[] {-Math.exp(theta), 1 - Math.exp(theta), 3 - Math.exp(theta), 7 - Math.exp(theta)},
                    Offset.offset(1e-10));
            double p = sigmoid(theta);
            assertThat(scoreOf(m, theta, k, l -> Binomial.ofLogits(9, l))).containsExactly(
                    new double[] {-9 * p, 1 - 9 * p, 3 - 9 * p, 7 - 9 * p}, Offset.offset(1e-10));
            assertThat(scoreOf(m, theta, k, l -> NegativeBinomial.ofLogits(2.5, l))).containsExactly(
                    new double[] {-2.5 * p, 1 - 3.5 * p, 3 - 5.5 * p, 7 - 9.5 * p}, Offset.offset(1e-10));
            // Geometric: log p(k) = k log(1−p) + log p, derivative −kp + (1 − p).
            assertThat(scoreOf(m, theta, k, Geometric::ofLogits)).containsExactly(
                    new double[] {1 - p, 1 - 2 * p, 1 - 4 * p, 1 - 8 * p}, Offset.offset(1e-10));
        }
    }

    /** The gradient of Σ_i log p(k_i) for one batch element with parameter θ, per draw. */
    static double[] scoreOf(NDManager m, double theta, double[] ks, Function<NDArray, Distribution> family) {
        double[] g = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            NDArray t = m.create(new double[] {theta});
            t.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(family.apply(t).logProb(m.create(new double[] {ks[i]})).sum());
            }
            g[i] = t.getGradient().toDoubleArray()[0];
        }
        return g;
    }

    /** Finite parameters at the ends of the range keep values, means, entropies and gradients free of NaN. */
    @Test
    void noNaNAtExtremeParameters() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] logits = {-1e4f, -30f, 0f, 30f, 1e4f};
            List<Function<NDArray, Distribution>> families = List.of(l -> Binomial.ofLogits(12, l),
                    Geometric::ofLogits, l -> NegativeBinomial.ofLogits(2.5, l), Poisson::ofLogRate);
            for (Function<NDArray, Distribution> family : families) {
                float[] params = family.apply(m.create(0f)) instanceof Poisson ? new float[] {-1e4f, -30f, 0f, 5f, 10f}
                        : logits;
                NDArray l = m.create(params);
                l.setRequiresGradient(true);
                Distribution d = family.apply(l);
                String name = d.getClass().getSimpleName();
                NDArray x = d.sample(new Shape(50));
                assertThat(x.isNaN().any().getBoolean()).as(name + " draws").isFalse();
                assertThat(x.isInfinite().any().getBoolean()).as(name + " draws").isFalse();
                assertThat(d.mean().isNaN().any().getBoolean()).as(name + " mean").isFalse();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray lp = d.logProb(x);
                    assertThat(lp.isNaN().any().getBoolean()).as(name + " logProb").isFalse();
                    NDArray total = lp.sum();
                    if (!(d instanceof NegativeBinomial)) {
                        // The negative binomial's support is too long to enumerate when exp(l) is huge.
                        NDArray h = d.entropy();
                        assertThat(h.isNaN().any().getBoolean() || h.isInfinite().any().getBoolean())
                                .as(name + " entropy " + h).isFalse();
                        total = total.add(h.sum());
                    }
                    gc.backward(total);
                }
                assertThat(l.getGradient().isNaN().any().getBoolean()).as(name + " gradient").isFalse();
            }
        }
    }

    @Test
    void badParametersAreRejectedWithTheirName() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ok = m.create(new float[] {0.5f, 0.2f});
            assertThatThrownBy(() -> Poisson.ofRate(m.create(new float[] {-1f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate must be >= 0");
            assertThatThrownBy(() -> Poisson.ofLogRate(m.create(new float[] {Float.NaN})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logRate contains NaN");
            assertThatThrownBy(() -> Poisson.ofRate(m.create(new float[] {Float.POSITIVE_INFINITY})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("infinite");
            assertThatThrownBy(() -> Binomial.ofLogits(-1, ok))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trials must be >= 0");
            assertThatThrownBy(() -> Binomial.ofLogits(m.create(new float[] {2f, 1.5f}), ok))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integers >= 0");
            assertThatThrownBy(() -> Binomial.ofLogits(m.create(new int[] {2, 3, 4}), ok))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
            assertThatThrownBy(() -> Binomial.ofProbs(3, m.create(new float[] {1.2f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
            assertThatThrownBy(() -> NegativeBinomial.ofLogits(0, ok))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("totalCount must be finite and > 0");
            assertThatThrownBy(() -> NegativeBinomial.ofLogits(m.create(new float[] {1f, -2f}), ok))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalCount must be > 0");
            assertThatThrownBy(() -> NegativeBinomial.ofProbs(2, m.create(new float[] {1f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be < 1");
            assertThatThrownBy(() -> Geometric.ofProbs(m.create(new float[] {0f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be > 0");
            assertThatThrownBy(() -> Geometric.ofLogits(m.create(new float[] {Float.NEGATIVE_INFINITY})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits contains an infinite");
            assertThatThrownBy(() -> Poisson.ofRate(ok).logProb(m.zeros(new Shape(3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape");
            assertThatThrownBy(() -> Poisson.ofRate(m.create(new float[] {1e9f})).enumerateSupport())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the limit");
        }
    }
}
