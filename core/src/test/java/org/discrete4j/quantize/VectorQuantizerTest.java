package org.discrete4j.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.discrete4j.estimator.Estimators;
import org.junit.jupiter.api.Test;

class VectorQuantizerTest {

    /** argmin_k ‖x − e_k‖² by brute force in double precision. */
    static int[] bruteForce(float[] x, float[] e, int d) {
        int n = x.length / d;
        int k = e.length / d;
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x[i * d + c] - e[j * d + c];
                    s += diff * diff;
                }
                if (s < bestDistance) {
                    bestDistance = s;
                    best[i] = j;
                }
            }
        }
        return best;
    }

    @Test
    void nearestAssignmentMatchesBruteForce() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = VectorQuantizer.builder().setSize(7).setDimension(3).build(m);
            // Spread the codes out, then quantise a batch of shape (4, 5, 3).
            vq.codebook().set(new NDIndex(":"), m.randomNormal(new Shape(7, 3)));
            NDArray z = m.randomNormal(new Shape(4, 5, 3));
            VectorQuantizer.Quantized q = vq.quantize(z);
            float[] e = vq.codebook().toFloatArray();
            int[] want = bruteForce(z.toFloatArray(), e, 3);
            assertThat(q.indices().getShape()).isEqualTo(new Shape(4, 5));
            long[] got = q.indices().toLongArray();
            float[] quantized = q.quantized().toFloatArray();
            float[] output = q.output().toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isEqualTo(want[i]);
                for (int c = 0; c < 3; c++) {
                    assertThat(quantized[i * 3 + c]).isEqualTo(e[want[i] * 3 + c]);
                    assertThat(output[i * 3 + c]).isCloseTo(e[want[i] * 3 + c], offset(1e-6f));
                }
            }
        }
    }

    @Test
    void straightThroughGradientPassesUnchangedAndSkipsTheCodebook() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = VectorQuantizer.builder().setSize(5).setDimension(2).build(m);
            NDArray z = m.randomNormal(new Shape(6, 2));
            NDArray w = m.randomNormal(new Shape(6, 2));
            z.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(vq.quantize(z).output().mul(w).sum());
            }
            assertThat(z.getGradient().toFloatArray()).containsExactly(w.toFloatArray());
            assertThat(vq.codebook().getGradient().abs().sum().getFloat()).isZero();
        }
    }

    /**
     * With n vectors of dimension d and mean squared errors: ∂/∂e_k of the codebook loss is
     * (2 / nd) Σ_{i→k} (e_k − z_i) and it gives z nothing; ∂/∂z_i of the commitment loss is (2β / nd)(z_i − e_k(i))
     * and it gives the codebook nothing.
     */
    @Test
    void codebookLossMovesOnlyTheCodebookAndCommitmentOnlyTheEncoder() {
        Engine.getInstance().setRandomSeed(3);
        int n = 8;
        int d = 2;
        int k = 3;
        double beta = 0.4;
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = VectorQuantizer.builder().setSize(k).setDimension(d).optCommitmentCost(beta).build(m);
            NDArray z = m.randomNormal(new Shape(n, d));
            z.setRequiresGradient(true);
            VectorQuantizer.Quantized q;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                q = vq.quantize(z);
                gc.backward(q.codebookLoss());
            }
            float[] x = z.toFloatArray();
            float[] e = vq.codebook().toFloatArray();
            long[] idx = q.indices().toLongArray();
            double[] want = new double[k * d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    want[(int) idx[i] * d + c] += 2.0 / (n * d) * (e[(int) idx[i] * d + c] - x[i * d + c]);
                }
            }
            float[] codebookGrad = vq.codebook().getGradient().toFloatArray();
            for (int j = 0; j < k * d; j++) {
                assertThat((double) codebookGrad[j]).isCloseTo(want[j], offset(1e-6));
            }
            assertThat(z.getGradient().abs().sum().getFloat()).isZero();
            assertThat(q.loss().getFloat()).isCloseTo(q.codebookLoss().getFloat() + q.commitmentLoss().getFloat(),
                    offset(1e-6f));
            assertThat(q.commitmentLoss().getFloat()).isCloseTo((float) beta * q.codebookLoss().getFloat(),
                    offset(1e-6f));

            VectorQuantizer fresh = VectorQuantizer.builder().setSize(k).setDimension(d).optCommitmentCost(beta)
                    .build(m);
            NDArray z2 = z.stopGradient().duplicate();
            z2.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                q = fresh.quantize(z2);
                gc.backward(q.commitmentLoss());
            }
            e = fresh.codebook().toFloatArray();
            idx = q.indices().toLongArray();
            float[] encoderGrad = z2.getGradient().toFloatArray();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    double g = 2 * beta / (n * d) * (x[i * d + c] - e[(int) idx[i] * d + c]);
                    assertThat((double) encoderGrad[i * d + c]).isCloseTo(g, offset(1e-6));
                }
            }
            assertThat(fresh.codebook().getGradient().abs().sum().getFloat()).isZero();
        }
    }

    /**
     * One EMA step by hand: N = γ·1 + (1 − γ)n, m = γe₀ + (1 − γ)Σ_{i→k} z_i, Ñ = (N + ε)/(ΣN + Kε)·ΣN, e = m/Ñ. The
     * EMA quantizer's loss is the commitment loss alone and its codebook takes no gradient.
     */
    @Test
    void emaUpdateMatchesAHandComputation() {
        Engine.getInstance().setRandomSeed(4);
        int k = 3;
        int d = 2;
        double gamma = 0.9;
        double eps = 1e-3;
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = VectorQuantizer.builder().setSize(k).setDimension(d)
                    .optExponentialMovingAverage(gamma, eps).build(m);
            assertThat(vq.isEma()).isTrue();
            assertThat(vq.codebook().hasGradient()).isFalse();
            float[] e0 = vq.codebook().toFloatArray();
            // Vectors near codes 0 and 2 only, so code 1 keeps its statistics decaying.
            float[] data = new float[10 * d];
            for (int i = 0; i < 10; i++) {
                int code = i < 7 ? 0 : 2;
                for (int c = 0; c < d; c++) {
                    data[i * d + c] = e0[code * d + c] + 1e-4f * (i + 1) * (c == 0 ? 1 : -1);
                }
            }
            NDArray z = m.create(data, new Shape(10, d));
            VectorQuantizer.Quantized q = vq.quantize(z);
            assertThat(q.loss().getFloat()).isEqualTo(q.commitmentLoss().getFloat());
            int[] idx = bruteForce(data, e0, d);
            vq.update(q);

            double[] size = new double[k];
            double[] sum = new double[k * d];
            for (int j = 0; j < k; j++) {
                size[j] = gamma;
                for (int c = 0; c < d; c++) {
                    sum[j * d + c] = gamma * e0[j * d + c];
                }
            }
            for (int i = 0; i < 10; i++) {
                size[idx[i]] += 1 - gamma;
                for (int c = 0; c < d; c++) {
                    sum[idx[i] * d + c] += (1 - gamma) * data[i * d + c];
                }
            }
            double total = 0;
            for (double s : size) {
                total += s;
            }
            float[] e1 = vq.codebook().toFloatArray();
            for (int j = 0; j < k; j++) {
                double smoothed = (size[j] + eps) / (total + k * eps) * total;
                for (int c = 0; c < d; c++) {
                    assertThat((double) e1[j * d + c]).as("code %d", j).isCloseTo(sum[j * d + c] / smoothed,
                            offset(1e-6));
                }
            }
        }
    }

    @Test
    void deadCodesAreRestartedAtEncoderOutputs() {
        Engine.getInstance().setRandomSeed(5);
        int k = 4;
        int d = 2;
        for (boolean ema : new boolean[] {false, true}) {
            try (NDManager m = NDManager.newBaseManager()) {
                VectorQuantizer.Builder b = VectorQuantizer.builder().setSize(k).setDimension(d).optDeadCodeLimit(2);
                if (ema) {
                    b.optExponentialMovingAverage(0.99);
                }
                VectorQuantizer vq = b.build(m);
                float[] e0 = vq.codebook().toFloatArray();
                // Every vector sits on code 0, far from the others: codes 1-3 go unused.
                float[] data = new float[6 * d];
                for (int i = 0; i < 6; i++) {
                    data[i * d] = e0[0] + 0.001f * i;
                    data[i * d + 1] = e0[1];
                }
                NDArray z = m.create(data, new Shape(6, d));
                vq.update(vq.quantize(z));
                assertThat(vq.unusedFor(0)).isZero();
                assertThat(vq.unusedFor(1)).isEqualTo(1);
                float[] e1 = vq.codebook().toFloatArray();
                // Not yet restarted (EMA smoothing moves an unused code a little).
                assertThat(e1[2]).isCloseTo(e0[2], offset(1e-4f));
                vq.update(vq.quantize(z));
                float[] e2 = vq.codebook().toFloatArray();
                for (int j = 1; j < k; j++) {
                    assertThat(vq.unusedFor(j)).isZero();
                    boolean found = false;
                    for (int i = 0; i < 6; i++) {
                        found |= e2[j * d] == data[i * d] && e2[j * d + 1] == data[i * d + 1];
                    }
                    assertThat(found).as("ema %s: code %d restarted at a batch vector", ema, j).isTrue();
                }
                if (!ema) {
                    assertThat(vq.codebook().hasGradient()).isTrue(); // still a trainable parameter
                }
            }
        }
    }

    /**
     * Quantising and updating in a per-step manager leaves nothing behind in the quantizer's own manager: results of
     * operations attach to their first operand's manager, and many start from the codebook.
     */
    @Test
    void nothingAccumulatesInTheQuantizersManager() {
        Engine.getInstance().setRandomSeed(7);
        for (boolean ema : new boolean[] {false, true}) {
            try (NDManager model = NDManager.newBaseManager()) {
                VectorQuantizer.Builder b = VectorQuantizer.builder().setSize(8).setDimension(3).optDeadCodeLimit(1);
                if (ema) {
                    b.optExponentialMovingAverage(0.99);
                }
                VectorQuantizer vq = b.build(model);
                int arrays = model.getManagedArrays().size();
                for (int step = 0; step < 5; step++) {
                    try (NDManager m = model.newSubManager()) {
                        NDArray z = m.randomNormal(new Shape(16, 3));
                        z.setRequiresGradient(true);
                        VectorQuantizer.Quantized q;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            q = vq.quantize(z);
                            gc.backward(q.loss().add(q.output().sum()));
                        }
                        vq.update(q);
                    }
                    assertThat(model.getManagedArrays()).as("ema %s, step %d", ema, step).hasSize(arrays);
                }
            }
        }
    }

    @Test
    void perplexityCountsTheCodesInUse() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = VectorQuantizer.builder().setSize(4).setDimension(2)
                    .optExponentialMovingAverage(0.99).build(m);
            NDArray book = m.create(new float[] {0, 0, 10, 0, 0, 10, 10, 10}, new Shape(4, 2));
            vq.codebook().set(new NDIndex(":"), book);
            NDArray one = m.create(new float[] {0.1f, 0, -0.1f, 0.2f, 0, 0}, new Shape(3, 2));
            assertThat(vq.quantize(one).perplexity().getFloat()).isCloseTo(1f, offset(1e-5f));
            NDArray all = m.create(new float[] {0, 0, 10, 0, 0, 10, 10, 10, 9, 9, 1, 1, 9, 1, 1, 9}, new Shape(8, 2));
            assertThat(vq.quantize(all).perplexity().getFloat()).isCloseTo(4f, offset(1e-5f));
        }
    }

    @Test
    void rejectsBadInputAndIsNotAnEstimator() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = VectorQuantizer.builder().setSize(4).setDimension(2).build(m);
            assertThatThrownBy(() -> vq.quantize(m.zeros(new Shape(3, 3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 2");
            assertThatThrownBy(() -> vq.quantize(m.create(new float[] {Float.NaN, 0})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
            assertThatThrownBy(() -> VectorQuantizer.builder().setSize(0).setDimension(2).build(m))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> VectorQuantizer.builder().setSize(2).setDimension(2)
                    .optExponentialMovingAverage(1.0).build(m)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> VectorQuantizer.builder().setSize(2).setDimension(2).optDeadCodeLimit(-1)
                    .build(m)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Estimators.create("vq-st", Estimators.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an estimator")
                .hasMessageContaining("VectorQuantizer");
    }
}
