package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.estimator.Exact;
import org.discrete4j.estimator.GumbelSoftmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The VAE's bounds on a model small enough that log p(x) is a sum over every latent configuration: 3 Bernoulli units
 * (8 configurations) or 2 categorical variables of 3 classes (9), 6 pixels.
 */
class VaeTest {

    static final int PIXELS = 6;

    static Latent layer(String name) {
        return name.equals("bernoulli") ? new BernoulliLatent(3) : new CategoricalLatent(2, 3);
    }

    /** Every configuration of the latent layer as draws of shape (S, rows, ...). */
    static NDArray configurations(NDManager m, Latent layer, int rows) {
        if (layer instanceof BernoulliLatent) {
            float[] z = new float[8 * 3];
            for (int c = 0; c < 8; c++) {
                for (int u = 0; u < 3; u++) {
                    z[c * 3 + u] = (c >> u) & 1;
                }
            }
            return m.create(z, new Shape(8, 1, 3)).broadcast(new Shape(8, rows, 3));
        }
        float[] z = new float[9 * 6];
        for (int c = 0; c < 9; c++) {
            z[c * 6 + c / 3] = 1;
            z[c * 6 + 3 + c % 3] = 1;
        }
        return m.create(z, new Shape(9, 1, 2, 3)).broadcast(new Shape(9, rows, 2, 3));
    }

    /** {@code log p(x) = logsumexp_z log p(x | z) + log p(z)} per row. */
    static double[] logMarginal(NDManager m, Vae vae, NDArray x) {
        int rows = Math.toIntExact(x.getShape().get(0));
        NDArray z = configurations(m, vae.latent(), rows);
        NDArray joint = vae.negativeLogLikelihood(x, z).neg()
                .add(vae.latent().prior(m, new Shape(rows)).logProb(z).sum(new int[] {-1}));
        NDArray max = joint.max(new int[] {0}, true);
        return joint.sub(max).exp().sum(new int[] {0}).log().add(max.squeeze(0))
                .toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
    }

    static NDArray images(NDManager m, int rows) {
        return m.randomUniform(0, 1, new Shape(rows, PIXELS)).lt(0.4f).toType(ai.djl.ndarray.types.DataType.FLOAT32,
                false);
    }

    /**
     * With the exact estimator, the loss is the exact negative ELBO; it lies above −log p(x) (Jensen), and the
     * importance-sampled bound falls from near the negative ELBO (m = 1) towards −log p(x) as m grows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bernoulli", "categorical"})
    void boundsOrderAndConvergeToTheEnumeratedLikelihood(String name) {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            Vae vae = new Vae(m, layer(name), PIXELS, 8);
            NDArray x = images(m, 1);
            double nll = -logMarginal(m, vae, x)[0];
            double negElbo = vae.loss(x, new Exact()).getFloat();
            assertThat(negElbo).isGreaterThan(nll);

            // The same image as many rows: the mean bound over rows estimates E[bound_m], its stderr from the rows.
            int rows = 2000;
            NDArray repeated = x.broadcast(new Shape(rows, PIXELS));
            double[] previous = null;
            double last = Double.POSITIVE_INFINITY;
            for (int samples : new int[] {1, 10, 100}) {
                Evaluation e = vae.evaluate(repeated, samples, 50_000);
                double mean = e.meanNllBound();
                double stderr = stderr(e.nllBound());
                // E[bound_m] >= −log p(x), and E[bound_1] = −ELBO (one draw: −log p(x|z) − log p(z) + log q(z)).
                assertThat(mean).as("m = %d", samples).isGreaterThan(nll - 4.5 * stderr - 1e-6);
                if (samples == 1) {
                    assertThat(mean).isCloseTo(negElbo, within(4.5 * stderr));
                }
                System.out.printf(java.util.Locale.ROOT, "VaeTest %s: -log p(x) %.4f, -ELBO %.4f, mean bound m=%d %.4f"
                        + " (stderr %.4f)%n", name, nll, negElbo, samples, mean, stderr);
                assertThat(mean).as("m = %d decreases", samples).isLessThan(last);
                last = mean;
                // The negative ELBO figure averages the same draws' likelihoods and adds the KL in closed form.
                assertThat(Evaluation.mean(e.negativeElbo())).isCloseTo(negElbo, within(4.5 * stderr(e
                        .negativeElbo()) + 1e-4));
                previous = e.nllBound();
            }
            assertThat(previous).isNotNull();
            // With 100 draws of 8 or 9 configurations, the bound is within a few hundredths of −log p(x).
            assertThat(last).isCloseTo(nll, within(0.05));
        }
    }

    @Test
    void evaluationInChunksAgreesWithOneChunk() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            Vae vae = new Vae(m, layer("categorical"), PIXELS, 8);
            NDArray x = images(m, 7);
            Engine.getInstance().setRandomSeed(9);
            Evaluation whole = vae.evaluate(x, 40, 1_000_000);
            // Chunks of 3 rows and 40 draws, and of 1 row and 8 draws: different draws, the same target, so the
            // figures agree to Monte Carlo error; the per-row log-mean-exp over chunks must be exact, which the
            // LogMeanExp test checks.
            Evaluation rows = vae.evaluate(x, 40, 120);
            Evaluation draws = vae.evaluate(x, 40, 8);
            assertThat(rows.nllBound()).hasSize(7);
            assertThat(draws.nllBound()).hasSize(7);
            for (int r = 0; r < 7; r++) {
                assertThat(rows.nllBound()[r]).isCloseTo(whole.nllBound()[r], within(0.5));
                assertThat(draws.nllBound()[r]).isCloseTo(whole.nllBound()[r], within(0.5));
            }
        }
    }

    @Test
    void logMeanExpOverChunksEqualsOneChunk() {
        float[] w = {-3f, 1f, 0.5f, -700f, 2f, -1f, 4f, 0f}; // (4 samples, 2 rows)
        LogMeanExp all = new LogMeanExp(2);
        all.add(w, 4);
        LogMeanExp parts = new LogMeanExp(2);
        parts.add(java.util.Arrays.copyOfRange(w, 0, 2), 1);
        parts.add(java.util.Arrays.copyOfRange(w, 2, 8), 3);
        double row0 = Math.log((Math.exp(-3) + Math.exp(0.5) + Math.exp(2) + Math.exp(4)) / 4);
        assertThat(all.value()[0]).isCloseTo(row0, within(1e-6));
        assertThat(parts.value()[0]).isCloseTo(row0, within(1e-6));
        assertThat(parts.value()[1]).isCloseTo(all.value()[1], within(1e-9));
    }

    @Test
    void lossIsDifferentiableThroughTheEstimatorAndTheKl() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            Vae vae = new Vae(m, layer("categorical"), PIXELS, 8);
            NDArray x = images(m, 4);
            try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = vae.loss(x, List.of(new GumbelSoftmax(0.7)));
                gc.backward(loss);
                assertThat(loss.getShape()).isEqualTo(new Shape());
                assertThat(Double.isFinite(loss.getFloat())).isTrue();
            }
            for (NDArray p : vae.parameters().values()) {
                assertThat(p.getGradient().abs().sum().getFloat()).as(p.getShape().toString()).isPositive();
            }
            assertThatThrownBy(() -> vae.loss(x, List.of())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void reconstructionsAndSamplesAreProbabilities() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            Vae vae = new Vae(m, new PoissonLatent(3, 1.0), PIXELS, 8);
            float[][] r = vae.reconstruct(images(m, 3));
            float[][] s = vae.sample(m, 5);
            assertThat(r).hasNumberOfRows(3);
            assertThat(s).hasNumberOfRows(5);
            for (float[] row : s) {
                assertThat(row).hasSize(PIXELS);
                for (float v : row) {
                    assertThat(v).isBetween(0f, 1f);
                }
            }
            Distribution q = vae.posterior(images(m, 2));
            assertThat(q.batchShape()).isEqualTo(new Shape(2, 3));
        }
    }

    static double stderr(double[] x) {
        double mean = Evaluation.mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (x.length - 1) / x.length);
    }
}
