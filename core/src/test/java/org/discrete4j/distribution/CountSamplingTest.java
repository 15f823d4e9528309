package org.discrete4j.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.GeometricDistribution;
import org.apache.commons.statistics.distribution.PascalDistribution;
import org.apache.commons.statistics.distribution.PoissonDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact sampling, checked by a chi-square goodness-of-fit test per batch element at a fixed seed. Each case is a
 * batch of two different parameters, so the test also checks that draw i uses the parameters of batch element
 * i mod 2.
 */
class CountSamplingTest {

    static final int DRAWS = 20000;

    /** Minimum expected count per bin, so that the chi-square approximation holds. */
    static final double MIN_EXPECTED = 10;

    record Case(String name, Function<NDManager, Distribution> build, IntToDoubleFunction[] pmf) {
        @Override
        public String toString() {
            return name;
        }
    }

    static IntToDoubleFunction[] pmfs(IntToDoubleFunction... f) {
        return f;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static List<Case> cases() {
        return List.of(
                new Case("Poisson(0.7, 1e4) float64", m -> Poisson.ofRate(m.create(new double[] {0.7, 1e4})),
                        pmfs(PoissonDistribution.of(0.7)::probability, PoissonDistribution.of(1e4)::probability)),
                new Case("Poisson(logRate 3.6, 10) float32", m -> Poisson.ofLogRate(m.create(new float[] {3.6f, 10f})),
                        pmfs(PoissonDistribution.of(Math.exp(3.6f))::probability,
                                PoissonDistribution.of(Math.exp(10))::probability)),
                new Case("Binomial(25, 1000) float32", m -> Binomial.ofLogits(m.create(new float[] {25, 1000}),
                        m.create(new float[] {-0.6f, -4f})),
                        pmfs(BinomialDistribution.of(25, sigmoid(-0.6f))::probability,
                                BinomialDistribution.of(1000, sigmoid(-4f))::probability)),
                new Case("NegativeBinomial(2.5 real, 4) float64", m -> NegativeBinomial.ofProbs(
                        m.create(new double[] {2.5, 4}), m.create(new double[] {0.6, 0.95})),
                        pmfs(k -> Math.exp(CountDistributionsTest.negBinLogPmf(2.5, 0.6, k)),
                                PascalDistribution.of(4, 0.05)::probability)),
                new Case("Geometric(0.05, 0.9) float64", m -> Geometric.ofProbs(m.create(new double[] {0.05, 0.9})),
                        pmfs(GeometricDistribution.of(0.05)::probability, GeometricDistribution.of(0.9)::probability)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void drawsPassAChiSquareTest(Case c) {
        Engine.getInstance().setRandomSeed(20261123);
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution d = c.build().apply(m);
            double[] x = d.sample(new Shape(DRAWS)).toType(DataType.FLOAT64, false).toDoubleArray();
            for (int b = 0; b < 2; b++) {
                double[] column = new double[DRAWS];
                for (int i = 0; i < DRAWS; i++) {
                    column[i] = x[2 * i + b];
                }
                double[] stat = chiSquare(column, c.pmf()[b]);
                double critical = ChiSquaredDistribution.of(stat[1]).inverseCumulativeProbability(0.999);
                System.out.printf("%s element %d: chi2 = %.1f, df = %.0f, 0.999 quantile = %.1f%n", c.name(), b,
                        stat[0], stat[1], critical);
                assertThat(stat[0]).as("%s element %d: chi-square with %.0f degrees of freedom", c.name(), b, stat[1])
                        .isLessThan(critical);
            }
        }
    }

    /**
     * The chi-square statistic and its degrees of freedom: consecutive values are merged into bins of at least
     * {@link #MIN_EXPECTED} expected draws, and the upper tail forms the last bin.
     */
    static double[] chiSquare(double[] draws, IntToDoubleFunction pmf) {
        int n = draws.length;
        List<double[]> bins = new ArrayList<>(); // {first value, last value, expected}
        double mass = 0;
        double acc = 0;
        int first = 0;
        for (int k = 0; n * (1 - mass) >= 2 * MIN_EXPECTED || acc > 0; k++) {
            double p = pmf.applyAsDouble(k);
            mass += p;
            acc += n * p;
            if (acc >= MIN_EXPECTED) {
                bins.add(new double[] {first, k, acc});
                first = k + 1;
                acc = 0;
                if (n * (1 - mass) < 2 * MIN_EXPECTED) {
                    break;
                }
            }
        }
        // Whatever is left (expected < 2·MIN_EXPECTED) joins the last bin, which then runs to infinity.
        double[] last = bins.get(bins.size() - 1);
        last[2] += n * Math.max(0, 1 - mass);
        last[1] = Double.POSITIVE_INFINITY;
        double[] observed = new double[bins.size()];
        for (double v : draws) {
            assertThat(v).isEqualTo(Math.rint(v)).isGreaterThanOrEqualTo(0);
            for (int j = 0; j < bins.size(); j++) {
                if (v >= bins.get(j)[0] && v <= bins.get(j)[1]) {
                    observed[j]++;
                    break;
                }
            }
        }
        double chi2 = 0;
        for (int j = 0; j < bins.size(); j++) {
            double e = bins.get(j)[2];
            chi2 += (observed[j] - e) * (observed[j] - e) / e;
        }
        return new double[] {chi2, bins.size() - 1};
    }
}
