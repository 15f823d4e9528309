package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MmdTest {

    /** Every packing width (1, 2, 4, 8 bits a site, and unpacked) against the double loop of the definition. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 16, 17, 256, 300})
    void matchesBruteForce(int k) {
        SplittableRandom r = new SplittableRandom(k);
        int dim = 70; // more than one 64-bit word at every width
        int n = 23;
        int m = 17;
        int[] x = random(n * dim, k, r);
        int[] y = random(m * dim, k, r);
        for (boolean u : new boolean[] {false, true}) {
            assertThat(Mmd.squared(x, n, y, m, dim, u)).as("K %d, U %s", k, u)
                    .isCloseTo(bruteForce(x, n, y, m, dim, u), within(1e-12));
        }
    }

    @Test
    void zeroForIdenticalSetsPositiveForDifferentOnes() {
        SplittableRandom r = new SplittableRandom(1);
        int dim = 30;
        int[] x = random(40 * dim, 2, r);
        assertThat(Mmd.squared(x, 40, x.clone(), 40, dim)).isCloseTo(0, within(1e-14));
        // Sets drawn from Bernoulli(0.2) and Bernoulli(0.8) sites: clearly apart.
        int[] a = new int[40 * dim];
        int[] b = new int[40 * dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() < 0.2 ? 1 : 0;
            b[i] = r.nextDouble() < 0.8 ? 1 : 0;
        }
        double apart = Mmd.squared(a, 40, b, 40, dim);
        // E k within a set: sites differ w.p. 2·0.2·0.8 = 0.32; across: 0.68. MMD² ≈ 2e^−0.32 − 2e^−0.68 ≈ 0.44.
        assertThat(apart).isCloseTo(2 * Math.exp(-0.32) - 2 * Math.exp(-0.68), within(0.05));
        // Two samples of the same distribution: MMD² ≈ (2/n)(1 − E k) on the V-statistic, small.
        int[] c = new int[40 * dim];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble() < 0.2 ? 1 : 0;
        }
        assertThat(Mmd.squared(a, 40, c, 40, dim)).isPositive().isLessThan(apart / 10);
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> Mmd.squared(new int[] {0, 1}, 1, new int[] {0}, 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mmd.squared(new int[] {0, -1}, 1, new int[] {0, 1}, 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mmd.squared(new int[] {0, 1}, 1, new int[] {0, 1}, 1, 2, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static double bruteForce(int[] x, int n, int[] y, int m, int dim, boolean unbiased) {
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (!unbiased || i != j) {
                    xx += kernel(x, i, x, j, dim);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (!unbiased || i != j) {
                    yy += kernel(y, i, y, j, dim);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                xy += kernel(x, i, y, j, dim);
            }
        }
        double nx = unbiased ? n * (n - 1.0) : n * (double) n;
        double ny = unbiased ? m * (m - 1.0) : m * (double) m;
        return xx / nx + yy / ny - 2 * xy / ((double) n * m);
    }

    static double kernel(int[] a, int i, int[] b, int j, int dim) {
        double diff = 0;
        for (int s = 0; s < dim; s++) {
            if (a[i * dim + s] != b[j * dim + s]) {
                diff++;
            }
        }
        return Math.exp(-diff / dim);
    }

    static int[] random(int n, int k, SplittableRandom r) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            // Skewed toward 0 so that equal values (and so partial matches) are common.
            v[i] = r.nextDouble() < 0.5 ? 0 : r.nextInt(k);
        }
        return v;
    }
}
