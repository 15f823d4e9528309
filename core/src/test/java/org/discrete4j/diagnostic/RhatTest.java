package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RhatTest {

    /**
     * Independent N(0, 1) chains: 4 chains of 1000 draws are 8 split chains of 500, and R̂² ≈ (N−1)/N + B/(N W)
     * with B/N ≈ (1/500)·χ²₇/7, so R̂ − 1 ≈ 0.001·(χ²₇/7 − 1): R̂ ≥ 1.01 would need χ²₇/7 ≥ 11, probability
     * below 1e-12.
     */
    @Test
    void wellMixedChainsGiveRhatNearOne() {
        double[][] chains = gaussianChains(4, 1000, new double[] {0, 0, 0, 0}, new SplittableRandom(1));
        assertThat(Rhat.rankNormalized(chains)).isLessThan(1.01).isGreaterThan(0.99);
        assertThat(Rhat.split(chains)).isLessThan(1.01).isGreaterThan(0.99);
    }

    /**
     * Two chains at mean 0 and two at mean 2 (sd 1): after rank normalisation the pooled variance 2 scales to 1,
     * within-chain variance ≈ 0.5 and between-chain variance of the 8 split means ≈ (8/7)·1/2 ≈ 0.57, so
     * R̂ ≈ √(1 + 0.57/0.5) ≈ 1.46.
     */
    @Test
    void chainsWithDifferentMeansGiveRhatAboveThreshold() {
        double[][] chains = gaussianChains(4, 1000, new double[] {0, 0, 2, 2}, new SplittableRandom(2));
        assertThat(Rhat.rankNormalized(chains)).isGreaterThan(1.3);
        assertThat(Rhat.split(chains)).isGreaterThan(1.3);
    }

    /** Slowly mixing AR(1) chains (ρ = 0.999) started at ±20 stationary sd have not met after 1000 steps. */
    @Test
    void chainsStartedApartGiveRhatAboveThreshold() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] chains = new double[4][1000];
        double rho = 0.999;
        for (int c = 0; c < 4; c++) {
            double x = c % 2 == 0 ? 20 : -20;
            for (int t = 0; t < 1000; t++) {
                x = rho * x + Math.sqrt(1 - rho * rho) * EssTest.gaussian(r);
                chains[c][t] = x;
            }
        }
        assertThat(Rhat.rankNormalized(chains)).isGreaterThan(1.1);
    }

    /**
     * Splitting catches a trend that every chain shares: each chain's first half at 0, second half at 3. Unsplit,
     * the chains look alike; split, the halves disagree.
     */
    @Test
    void splittingDetectsATrendWithinChains() {
        double[][] chains = gaussianChains(4, 1000, new double[] {0, 0, 0, 0}, new SplittableRandom(4));
        for (double[] c : chains) {
            for (int t = 500; t < 1000; t++) {
                c[t] += 3;
            }
        }
        assertThat(Rhat.basic(chains)).isLessThan(1.01);
        assertThat(Rhat.split(chains)).isGreaterThan(1.5);
        assertThat(Rhat.rankNormalized(chains)).isGreaterThan(1.5);
    }

    /**
     * The folded (tail) R̂ sees chains with equal means but different spreads, which the bulk R̂ misses
     * (Vehtari et al. 2021, §4.2).
     */
    @Test
    void foldingDetectsDifferentSpreads() {
        SplittableRandom r = new SplittableRandom(5);
        double[][] chains = new double[4][1000];
        for (int c = 0; c < 4; c++) {
            double sd = c < 2 ? 1 : 4;
            for (int t = 0; t < 1000; t++) {
                chains[c][t] = sd * EssTest.gaussian(r);
            }
        }
        assertThat(Rhat.basic(RankNormal.normalScores(RankNormal.split(chains)))).isLessThan(1.02);
        assertThat(Rhat.rankNormalized(chains)).isGreaterThan(1.1);
    }

    @Test
    void degenerateChains() {
        assertThat(Rhat.rankNormalized(new double[][] {{1, 1, 1, 1}, {1, 1, 1, 1}})).isNaN();
        assertThat(Rhat.rankNormalized(new double[][] {{1, 1, 1, 1}, {2, 2, 2, 2}})).isInfinite();
        assertThat(Rhat.rankNormalized(new double[][] {{1, 2, 3}})).isNaN();
    }

    @Test
    void normalScoresUseBlomOffsetsAndAverageTies() {
        // 4 draws, one tie: ranks 1, 2.5, 2.5, 4; z = Φ⁻¹((r − 3/8)/(4 + 1/4)).
        double[][] z = RankNormal.normalScores(new double[][] {{5, 7}, {7, 9}});
        assertThat(z[0][0]).isCloseTo(RankNormal.normalQuantile(0.625 / 4.25), within(1e-15));
        assertThat(z[0][1]).isEqualTo(z[1][0]).isCloseTo(0, within(1e-15));
        assertThat(z[1][1]).isCloseTo(-z[0][0], within(1e-12));
        assertThat(RankNormal.normalQuantile(0.975)).isCloseTo(1.959963984540054, within(1e-12));
        assertThat(RankNormal.normalQuantile(0.5)).isCloseTo(0, within(1e-15));
    }

    static double[][] gaussianChains(int m, int n, double[] means, SplittableRandom r) {
        double[][] chains = new double[m][n];
        for (int c = 0; c < m; c++) {
            for (int t = 0; t < n; t++) {
                chains[c][t] = means[c] + EssTest.gaussian(r);
            }
        }
        return chains;
    }
}
