package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatProductTest {

    /**
     * The engine path (BLAS, one tensor kept over the input buffer per batch size) agrees with the Java loops for
     * batches that grow, shrink and come back, each with new inputs: a stale or mis-sized input tensor would show.
     */
    @Test
    void enginePathMatchesJavaLoopsAcrossBatchSizes() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 300;
        int m = 200;
        double[][] w = new double[n][m];
        for (double[] row : w) {
            for (int j = 0; j < m; j++) {
                row[j] = rng.nextGaussian() * 0.1;
            }
        }
        FloatProduct product = new FloatProduct(w);
        for (int count : new int[] {100, 100, 70, 150, 100}) {
            assertThat((long) count * n * m).isGreaterThanOrEqualTo(FloatProduct.ENGINE_MACS);
            float[][] s = new float[count][n];
            for (float[] row : s) {
                for (int j = 0; j < n; j++) {
                    row[j] = (float) rng.nextDouble();
                }
            }
            float[][] engine = new float[count][m];
            float[][] java = new float[count][m];
            product.multiply(s, count, engine, false);
            product.multiply(s, count, java, true);
            for (int r = 0; r < count; r++) {
                for (int j = 0; j < m; j++) {
                    assertThat(engine[r][j]).as("batch %d row %d col %d", count, r, j).isCloseTo(java[r][j],
                            within(1e-4f));
                }
            }
        }
    }
}
