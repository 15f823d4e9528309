package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EssTest {

    /**
     * Hand-computed from tfp's definition (see {@link Ess}); with y the centred series and s_k = Σ y_n y_{n+k},
     * ESS = N / (1 + 2 Σ_{k=1}^{M} s_k / s_0) up to the last lag M before the first negative s_k.
     */
    @Test
    void matchesHandDerivedTfpValues() {
        // 1..5: y = (−2, −1, 0, 1, 2), s_0 = 10, s_1 = 2 + 0 + 0 + 2 = 4, s_2 = 0 − 1 + 0 = −1 < 0 (stop):
        // ESS = 5 / (1 + 2·4/10) = 25/9.
        assertThat(Ess.tfp(new double[] {1, 2, 3, 4, 5})).isCloseTo(25.0 / 9, within(1e-12));
        // 1,1,1,1,0,0,0,0: y = ±½, in units of ½: s_0 = 8, s_1 = 6 − 1 = 5, s_2 = 4 − 2 = 2, s_3 = 2 − 3 = −1:
        // ESS = 8 / (1 + 2·(5 + 2)/8) = 32/11. (tfp's ρ̂_1 = (5/7)/1, ρ̂_2 = (2/6)/1, ρ̂_3 = −1/5.)
        assertThat(Ess.tfp(new double[] {1, 1, 1, 1, 0, 0, 0, 0})).isCloseTo(32.0 / 11, within(1e-12));
        // 0,0,1,1,1,0,0,0: mean 3/8, 8y = (−3, −3, 5, 5, 5, −3, −3, −3), Σ(8y)² = 120,
        // s_1 = 9 − 15 + 25 + 25 − 15 + 9 + 9 = 47, s_2 = −15 − 15 + 25 − 15 − 15 + 9 = −26:
        // ESS = 8 / (1 + 2·47/120) = 480/107.
        assertThat(Ess.tfp(new double[] {0, 0, 1, 1, 1, 0, 0, 0})).isCloseTo(480.0 / 107, within(1e-12));
        // Alternating: s_1 < 0 at once, ESS = N (tfp never reports super-efficiency).
        assertThat(Ess.tfp(new double[] {1, -1, 1, -1})).isCloseTo(4, within(1e-12));
        // Constant: tfp gives 0/0 = NaN, which the GWG and DISCS code replace by 1.
        assertThat(Ess.tfp(new double[] {2, 2, 2})).isEqualTo(1);
        assertThat(Ess.tfp(new double[] {7})).isEqualTo(1);
    }

    /** The direct sums and the FFT path agree with a transcription of tfp's masked formula on long series. */
    @Test
    void fftPathMatchesTfpFormulaTranscribed() {
        SplittableRandom r = new SplittableRandom(3);
        for (double rho : new double[] {0.0, 0.6, 0.97, 0.995}) {
            double[] x = ar1(rho, 3000, r);
            assertThat(Ess.tfp(x)).as("rho %s", rho).isCloseTo(tfpReference(x), within(1e-8 * x.length));
        }
    }

    /**
     * Chains are batched two to a complex FFT; the result is the same as one series at a time, whatever the mix of
     * fast (direct) and slow (FFT) series and lengths.
     */
    @Test
    void batchedChainsMatchOneAtATime() {
        SplittableRandom r = new SplittableRandom(4);
        double[][] chains = {ar1(0.99, 2000, r), ar1(0.1, 2000, r), ar1(0.995, 2000, r), ar1(0.98, 1500, r),
            ar1(0.99, 1500, r), new double[] {3, 3, 3}, ar1(0.97, 2000, r)};
        double[] batch = Ess.tfp(chains);
        for (int c = 0; c < chains.length; c++) {
            assertThat(batch[c]).as("chain %d", c).isCloseTo(Ess.tfp(chains[c]), within(1e-9));
            if (c != 5) {
                assertThat(batch[c]).as("chain %d", c).isCloseTo(tfpReference(chains[c]),
                        within(1e-8 * chains[c].length));
            }
        }
        // tfp gives NaN for the constant chain (0/0), reported as 1.
        assertThat(tfpReference(chains[5])).isNaN();
        assertThat(batch[5]).isEqualTo(1);
    }

    /** FFT lag sums, whole or truncated to fewer lags, alone or paired, equal the direct sums. */
    @Test
    void fftLagSumsEqualDirectSums() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 3, 100, 1000, 1023, 1025}) {
            double[] a = Autocovariance.centred(ar1(0.9, n, r), 0, n);
            double[] b = Autocovariance.centred(ar1(0.3, n, r), 0, n);
            double[] whole = Autocovariance.all(a);
            double[][] pair = Autocovariance.allPair(a, b, n / 4);
            assertThat(whole).hasSize(n);
            assertThat(pair[0].length).isGreaterThan(n / 4).isLessThanOrEqualTo(n);
            for (int k = 0; k < n; k++) {
                double scale = 1e-9 * (1 + Autocovariance.direct(a, 0));
                assertThat(whole[k]).isCloseTo(Autocovariance.direct(a, k), within(scale));
                if (k < pair[0].length) {
                    assertThat(pair[0][k]).isCloseTo(Autocovariance.direct(a, k), within(scale));
                    assertThat(pair[1][k]).isCloseTo(Autocovariance.direct(b, k),
                            within(1e-9 * (1 + Autocovariance.direct(b, 0))));
                }
            }
        }
    }

    /**
     * tfp's computation literally: auto_correlation (centred, lag sums divided by N − k, normalised by lag 0),
     * mask from the first ρ̂_k &lt; 0 on, ESS = N / (−1 + 2 Σ_{k=0}^{N−1} (N − k)/N ρ̂_k).
     */
    static double tfpReference(double[] x) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            double s = 0;
            for (int t = 0; t + k < n; t++) {
                s += (x[t] - mean) * (x[t + k] - mean);
            }
            r[k] = s / (n - k);
        }
        double r0 = r[0];
        boolean masked = false;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double rho = r[k] / r0;
            masked |= rho < 0;
            if (!masked) {
                sum += (n - k) / (double) n * rho;
            }
        }
        return n / (-1 + 2 * sum);
    }

    /**
     * AR(1) x_t = ρ x_{t−1} + √(1−ρ²) ε_t started in stationarity has ρ_k = ρ^k, so ESS/N → (1 − ρ)/(1 + ρ).
     * Bounds: by Madras & Sokal (1988) the windowed estimate of τ = (1+ρ)/(1−ρ) has relative sd ≈ √(2(2M+1)/N)
     * for a window M; the first negative ρ̂_k comes where ρ^k falls to the noise √(τ/N), M ≈ 10–20 for ρ = 0.5 and
     * 40–100 for ρ = 0.9 at N = 10⁵. Averaging 8 chains gives relative sd ≈ 1 % and 2.5 %; truncating the
     * positive tail biases ESS up by ≈ 2ρ^M/((1−ρ)τ), under 0.1 % and 2 %. Bounds: 4 sd plus the bias, 4 % and 12 %.
     */
    @Test
    void ar1MatchesClosedForm() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 100_000;
        double[][] tolerance = {{0.5, 0.04}, {0.9, 0.12}};
        for (double[] c : tolerance) {
            double rho = c[0];
            double[][] chains = new double[8][];
            for (int i = 0; i < chains.length; i++) {
                chains[i] = ar1(rho, n, r);
            }
            double ratio = Ess.tfpMean(chains) / n;
            double exact = (1 - rho) / (1 + rho);
            assertThat(ratio).as("rho %s: ESS/N %.5f, closed form %.5f", rho, ratio, exact)
                    .isCloseTo(exact, within(c[1] * exact));
        }
    }

    /**
     * The bulk ESS of Vehtari et al. pools chains: for 4 stationary Gaussian AR(1) chains it is ≈ 4N(1−ρ)/(1+ρ)
     * (normal scores of a Gaussian sample are nearly the values themselves, so the autocorrelations carry over).
     * Geyer's sequence truncates later than tfp's first-negative rule, so its relative sd is larger,
     * ≈ √(2(2M+1)/(4N)) with M up to ≈ 40 at ρ = 0.5: 1.4 %; bound 6 %.
     */
    @Test
    void bulkEssOfAr1MatchesClosedForm() {
        SplittableRandom r = new SplittableRandom(12);
        int n = 25_000;
        double rho = 0.5;
        double[][] chains = new double[4][];
        for (int i = 0; i < chains.length; i++) {
            chains[i] = ar1(rho, n, r);
        }
        double exact = 4.0 * n * (1 - rho) / (1 + rho);
        assertThat(Ess.bulk(chains)).isCloseTo(exact, within(0.06 * exact));
    }

    /** For independent draws the bulk ESS is about the number of draws, above tfp's cap of N when antithetic. */
    @Test
    void bulkEssOfIndependentDrawsIsAboutTheirNumber() {
        SplittableRandom r = new SplittableRandom(13);
        double[][] chains = new double[4][2000];
        for (double[] c : chains) {
            for (int t = 0; t < c.length; t++) {
                c[t] = r.nextDouble();
            }
        }
        // Relative sd of an ESS estimate of iid draws ≈ √(2(2M+1)/8000) with M of a few lags: < 5 %; bound 20 %.
        assertThat(Ess.bulk(chains)).isCloseTo(8000, within(1600.0));
        assertThat(Ess.bulk(new double[][] {{1, 1, 1, 1}, {1, 1, 1, 1}})).isNaN();
        assertThat(Ess.bulk(new double[][] {{1, 2, 3}})).isNaN();
    }

    @Test
    void nonFiniteInputIsAnError() {
        assertThatThrownBy(() -> Ess.tfp(new double[] {1, Double.NaN, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> Ess.bulk(new double[][] {{1, 2, 3, Double.POSITIVE_INFINITY}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> Ess.tfp(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    /** A stationary AR(1) series with unit marginal variance. */
    static double[] ar1(double rho, int n, SplittableRandom r) {
        double[] x = new double[n];
        double s = Math.sqrt(1 - rho * rho);
        x[0] = gaussian(r);
        for (int t = 1; t < n; t++) {
            x[t] = rho * x[t - 1] + s * gaussian(r);
        }
        return x;
    }

    static double gaussian(SplittableRandom r) {
        // Box–Muller; 1 − u keeps the logarithm finite.
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
