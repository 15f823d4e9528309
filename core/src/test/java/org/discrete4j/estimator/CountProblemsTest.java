package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The poisson and binomial problems: their closed forms, exact enumeration, and REINFORCE on them. */
class CountProblemsTest {

    static List<Problem> problems() {
        return List.of(Problem.poisson(new double[] {1.0}, 2), Problem.poisson(new double[] {-0.7}, 0.5),
                Problem.binomial(new double[] {0.3}, 4, 10), Problem.binomial(new double[] {-2}, 0, 25));
    }

    /** E f by direct summation in double precision, for a finite-difference check of the closed forms. */
    static double expectedCost(String name, double theta, double t, int trials) {
        double e = 0;
        if (name.equals("poisson")) {
            double rate = Math.exp(theta);
            double p = Math.exp(-rate);
            for (int k = 0; k < 200; k++) {
                e += p * (k - t) * (k - t);
                p *= rate / (k + 1);
            }
        } else {
            double q = 1 / (1 + Math.exp(-theta));
            for (int k = 0; k <= trials; k++) {
                double logC = org.apache.commons.numbers.gamma.LogGamma.value(trials + 1)
                        - org.apache.commons.numbers.gamma.LogGamma.value(k + 1)
                        - org.apache.commons.numbers.gamma.LogGamma.value(trials - k + 1);
                e += Math.exp(logC + k * Math.log(q) + (trials - k) * Math.log1p(-q)) * (k - t) * (k - t);
            }
        }
        return e;
    }

    @Test
    void closedFormsAreTheDerivativeOfTheExpectedCost() {
        int[] trials = {0, 0, 10, 25};
        List<Problem> ps = problems();
        for (int i = 0; i < ps.size(); i++) {
            Problem p = ps.get(i);
            double th = p.theta()[0];
            double h = 1e-5;
            double fd = (expectedCost(p.name(), th + h, p.target(), trials[i])
                    - expectedCost(p.name(), th - h, p.target(), trials[i])) / (2 * h);
            assertThat(p.exact()[0]).as(p.name()).isCloseTo(fd, Offset.offset(1e-6 * (1 + Math.abs(fd))));
        }
    }

    /** Exact enumeration (float32, tail below 1e-10) reproduces the closed forms. */
    @Test
    void exactEnumerationMatchesTheClosedForm() {
        for (Problem p : problems()) {
            Comparison.Result r = Comparison.run(p, new Exact(), 8, 8, 0, 1, null);
            assertThat(r.mean()[0]).as(p.name()).isCloseTo(p.exact()[0],
                    Offset.offset(1e-5 * (1 + Math.abs(p.exact()[0]))));
            assertThat(r.stderr()[0]).isLessThan(1e-5 * (1 + Math.abs(p.exact()[0])));
        }
    }

    /**
     * REINFORCE is unbiased: over 20000 independent estimates the mean is approximately normal around the exact
     * gradient, so |mean − exact| &lt; 4.5 standard errors fails with probability about 7e-6 (measured z: 0.7 on the
     * poisson and 0.65 on the binomial problem of the command line).
     */
    @Test
    void reinforceIsUnbiasedOnCountProblems() {
        for (Problem p : problems()) {
            Comparison.Result r = Comparison.run(p, new ScoreFunction(1), 20000, 5000, 0, 3, null);
            System.out.printf("reinforce on %s%s: mean %.4f, exact %.4f, stderr %.4f, z %.2f%n", p.name(),
                    java.util.Arrays.toString(p.theta()), r.mean()[0], r.exact()[0], r.stderr()[0], r.maxZ());
            assertThat(r.stderr()[0]).isPositive();
            assertThat(r.maxZ()).as(p.name()).isLessThan(4.5);
        }
    }

    @Test
    void problemsCheckTheirArguments() {
        assertThatThrownBy(() -> Problem.poisson(new double[] {1, 2}, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poisson takes one logit");
        assertThatThrownBy(() -> Problem.binomial(new double[] {}, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binomial takes one logit");
        assertThatThrownBy(() -> Problem.binomial(new double[] {0}, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trials >= 1");
    }
}
