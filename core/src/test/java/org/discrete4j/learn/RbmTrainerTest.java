package org.discrete4j.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.model.Rbm;
import org.junit.jupiter.api.Test;

class RbmTrainerTest {

    static final int V = 6;
    static final int H = 3;

    /** Exact model quantities of a tiny RBM by enumerating its 2^V visible states. */
    static final class Enumerated {
        final double[] p = new double[1 << V];
        /** ∂ log p̃(v)/∂θ for every state v, θ = (W as V × H row-major, b, c). */
        final double[][] grad = new double[1 << V][];

        Enumerated(Rbm rbm) {
            double logZ = rbm.logZ();
            double[] lp = new double[1];
            for (int s = 0; s < p.length; s++) {
                int[] v = state(s);
                rbm.logProb(v, 1, lp);
                p[s] = Math.exp(lp[0] - logZ);
                grad[s] = logProbGradient(rbm, v);
            }
        }

        /** E_model[∂ log p̃] per coordinate. */
        double[] mean() {
            double[] m = new double[grad[0].length];
            for (int s = 0; s < p.length; s++) {
                for (int q = 0; q < m.length; q++) {
                    m[q] += p[s] * grad[s][q];
                }
            }
            return m;
        }

        /** sd of ∂ log p̃ under the model, per coordinate. */
        double[] sd() {
            double[] m = mean();
            double[] v = new double[m.length];
            for (int s = 0; s < p.length; s++) {
                for (int q = 0; q < m.length; q++) {
                    double d = grad[s][q] - m[q];
                    v[q] += p[s] * d * d;
                }
            }
            for (int q = 0; q < v.length; q++) {
                v[q] = Math.sqrt(v[q]);
            }
            return v;
        }

        /** n exact independent draws as rows of 0/1 floats. */
        float[] draw(int n, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            float[] x = new float[n * V];
            for (int r = 0; r < n; r++) {
                double u = rng.nextDouble();
                int s = 0;
                double acc = p[0];
                while (u >= acc && s < p.length - 1) {
                    acc += p[++s];
                }
                for (int i = 0; i < V; i++) {
                    x[r * V + i] = (s >> i) & 1;
                }
            }
            return x;
        }
    }

    static int[] state(int s) {
        int[] v = new int[V];
        for (int i = 0; i < V; i++) {
            v[i] = (s >> i) & 1;
        }
        return v;
    }

    /** (v_i σ(a_j))_{ij}, v, σ(a) with a = c + Wv: the gradient of log p̃(v) = bᵀv + Σ_j softplus(a_j). */
    static double[] logProbGradient(Rbm rbm, int[] v) {
        double[] a = new double[H];
        rbm.hiddenInput(v, 0, a, 0);
        double[] g = new double[V * H + V + H];
        for (int i = 0; i < V; i++) {
            for (int j = 0; j < H; j++) {
                g[i * H + j] = v[i] / (1 + Math.exp(-a[j]));
            }
            g[V * H + i] = v[i];
        }
        for (int j = 0; j < H; j++) {
            g[V * H + V + j] = 1 / (1 + Math.exp(-a[j]));
        }
        return g;
    }

    static final double[] MEAN = {0.2, 0.7, 0.5, 0.1, 0.9, 0.4};
    static final float[] DATA = {1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1};

    /**
     * With exact independent model samples as the negatives, the PCD gradient is an unbiased estimate of the exact
     * log-likelihood gradient −(E_data[∇ log p̃] − E_model[∇ log p̃]). Its only noise is the negative mean over n
     * draws, whose standard error per coordinate is sd_model(∇ log p̃)/√n, known exactly by enumeration; 4.5 standard
     * errors on each of the 27 coordinates has a false-alarm rate under 27 · 7e-6 at any seed.
     */
    @Test
    void pcdGradientWithExactModelSamplesIsTheExactLikelihoodGradient() {
        int n = 20_000;
        try (NDManager manager = NDManager.newBaseManager();
                RbmTrainer t = new RbmTrainer(manager, settings(RbmTrainer.Method.PCD, 1, n), MEAN, 3)) {
            Enumerated e = new Enumerated(t.rbm());
            NDArray positive = manager.create(DATA, new Shape(3, V));
            NDArray negative = manager.create(e.draw(n, 11), new Shape(n, V));
            t.gradient(positive, negative);
            assertAgreesWithExact(t, e, n);
        }
    }

    /**
     * The trainer's k block-Gibbs steps leave the model invariant: started from exact draws they end at exact draws
     * (each chain independently), so the gradient from them meets the same bound.
     */
    @Test
    void blockGibbsNegativesFromExactSamplesStayExact() {
        int n = 20_000;
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager();
                RbmTrainer t = new RbmTrainer(manager, settings(RbmTrainer.Method.CD, 3, n), MEAN, 4);
                NDManager step = manager.newSubManager()) {
            Enumerated e = new Enumerated(t.rbm());
            NDArray exact = step.create(e.draw(n, 12), new Shape(n, V));
            NDArray negative = t.negatives(step, exact);
            assertThat(negative.toFloatArray()).isNotEqualTo(exact.toFloatArray());
            t.gradient(step.create(DATA, new Shape(3, V)), negative);
            assertAgreesWithExact(t, e, n);
        }
    }

    private static RbmTrainer.Settings settings(RbmTrainer.Method method, int k, int batch) {
        // Weights of sd 1 make the hidden units matter, so the check is not of a near-independent model.
        return new RbmTrainer.Settings(H, method, k, batch, 1e-3, 1.0);
    }

    private static void assertAgreesWithExact(RbmTrainer t, Enumerated e, int n) {
        double[] model = e.mean();
        double[] sd = e.sd();
        double[] data = new double[model.length];
        Rbm rbm = t.rbm();
        for (int r = 0; r < 3; r++) {
            int[] v = new int[V];
            for (int i = 0; i < V; i++) {
                v[i] = (int) DATA[r * V + i];
            }
            double[] g = logProbGradient(rbm, v);
            for (int q = 0; q < g.length; q++) {
                data[q] += g[q] / 3;
            }
        }
        float[][] got = t.gradients();
        double[] flat = new double[model.length];
        int o = 0;
        for (float[] part : got) {
            for (float x : part) {
                flat[o++] = x;
            }
        }
        assertThat(o).isEqualTo(model.length);
        double worst = 0;
        for (int q = 0; q < flat.length; q++) {
            double exact = -(data[q] - model[q]);
            double se = sd[q] / Math.sqrt(n);
            double z = Math.abs(flat[q] - exact) / Math.max(se, 1e-7);
            worst = Math.max(worst, z);
            assertThat(z).as("coordinate %d: gradient %.5f, exact %.5f, se %.5f", q, flat[q], exact, se)
                    .isLessThan(4.5);
        }
        System.out.printf("RBM %dx%d gradient vs exact: worst |z| = %.2f over %d coordinates (n = %d)%n", V, H, worst,
                flat.length, n);
    }

    /**
     * 4×4 bars and stripes (MacKay 2003): the 30 images whose rows, or whose columns, are each all on or all off.
     * Independent pixels give −16 log 2 = −11.09 nats; the uniform distribution over the 30 patterns −3.40. PCD-5
     * must learn most of the gap: after 50 epochs the exact log-likelihood of a 16 × 8 RBM beats the independent
     * model by more than 4 nats (it reaches about −5.7 at this seed; PCD-1 or a larger step size learn less).
     */
    @Test
    void pcdLearnsBarsAndStripes() {
        ImageSet bas = barsAndStripes(10);
        int[] x = RbmEvaluation.binary(bas);
        double[] first = train(bas, x);
        System.out.printf("bars and stripes: exact LL %.3f -> %.3f (independent pixels %.3f, optimum %.3f)%n",
                first[0], first[1], -16 * Math.log(2), -Math.log(30));
        assertThat(first[0]).isCloseTo(-16 * Math.log(2), org.assertj.core.data.Offset.offset(0.2));
        assertThat(first[1]).isGreaterThan(-16 * Math.log(2) + 4);
    }

    private static double[] train(ImageSet bas, int[] x) {
        try (NDManager manager = NDManager.newBaseManager();
                RbmTrainer t = new RbmTrainer(manager, new RbmTrainer.Settings(8, RbmTrainer.Method.PCD, 5, 30, 0.03,
                        0.01), bas.pixelMeans(), 9)) {
            double before = AisLikelihood.meanLogProb(t.rbm(), x, bas.count())[0] - t.rbm().logZ();
            int arrays = t.managedArrays();
            for (int epoch = 0; epoch < 50; epoch++) {
                RbmTrainer.Epoch e = t.epoch(bas, Binarization.STATIC, epoch);
                assertThat(e.updates()).isEqualTo(bas.count() / 30);
                // Memory stays flat: every update's arrays go with its scratch manager.
                assertThat(t.managedArrays()).isEqualTo(arrays);
            }
            Rbm rbm = t.rbm();
            return new double[] {before, AisLikelihood.meanLogProb(rbm, x, bas.count())[0] - rbm.logZ()};
        }
    }

    /** Each of the 30 bars-and-stripes patterns {@code copies} times, as a 4 × 4 image set with pixels 0 or 255. */
    static ImageSet barsAndStripes(int copies) {
        java.util.List<byte[]> patterns = new java.util.ArrayList<>();
        for (int m = 0; m < 16; m++) {
            byte[] rows = new byte[16];
            byte[] cols = new byte[16];
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    rows[r * 4 + c] = (byte) (((m >> r) & 1) * 255);
                    cols[r * 4 + c] = (byte) (((m >> c) & 1) * 255);
                }
            }
            patterns.add(rows);
            if (m != 0 && m != 15) { // all-off and all-on are both bars and stripes
                patterns.add(cols);
            }
        }
        int n = patterns.size() * copies;
        byte[] pixels = new byte[n * 16];
        for (int i = 0; i < n; i++) {
            System.arraycopy(patterns.get(i % patterns.size()), 0, pixels, i * 16, 16);
        }
        return new ImageSet("bars and stripes", n, 4, 4, pixels, new int[n]);
    }

    @Test
    void rejectsBadSettingsAndData() {
        assertThatThrownBy(() -> new RbmTrainer.Settings(0, RbmTrainer.Method.PCD, 1, 10, 1e-3, 0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden");
        assertThatThrownBy(() -> new RbmTrainer.Settings(5, RbmTrainer.Method.PCD, 1, 10, -1, 0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> RbmTrainer.Method.parse("sgd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cd or pcd");
        assertThatThrownBy(() -> RbmTrainer.clip(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        try (NDManager manager = NDManager.newBaseManager();
                RbmTrainer t = new RbmTrainer(manager, new RbmTrainer.Settings(2, RbmTrainer.Method.CD, 1, 400, 1e-3,
                        0.01), new double[16], 1)) {
            ImageSet bas = barsAndStripes(1);
            assertThatThrownBy(() -> t.epoch(bas, Binarization.STATIC, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than a batch");
            ImageSet wrong = new ImageSet("3x3", 500, 3, 3, new byte[500 * 9], new int[500]);
            assertThatThrownBy(() -> t.epoch(wrong, Binarization.STATIC, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9 pixels");
        }
    }
}
