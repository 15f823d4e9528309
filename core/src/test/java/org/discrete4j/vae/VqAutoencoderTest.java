package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.schedule.Exponential;
import org.discrete4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VqAutoencoderTest {

    static final ImageSet DATA = Datasets.load(Datasets.MNIST_10K, Datasets.Split.TEST);
    static final ImageSet TRAIN = DATA.subset(0, 256);
    static final ImageSet TEST = DATA.subset(1000, 1128);

    @TempDir
    Path dir;

    /** Small enough for a test: 4 positions of dimension 8, K = 16, hidden 64; dead codes restart after 2 steps. */
    static VqAutoencoder.Settings small() {
        return new VqAutoencoder.Settings(TRAIN.pixelMeans(), 64, 4, 8, 16, 3e-3, 0.25, 0.9, 2, VqAutoencoder.pixelVariance(TRAIN),
                new Exponential(1.0, 1e-2, 0.5, 1), 2);
    }

    @Test
    void codeUsageCountsPerplexityAndDeadCodes() {
        try (NDManager m = NDManager.newBaseManager()) {
            CodeUsage u = new CodeUsage(4);
            assertThat(u.perplexity()).isNaN();
            u.add(m.create(new long[] {0, 1, 0, 1}));
            assertThat(u.perplexity()).isCloseTo(2.0, offset(1e-12));
            assertThat(u.used()).isEqualTo(2);
            assertThat(u.unused()).isEqualTo(2);
            u.add(m.create(new int[] {2, 2, 3, 3}).reshape(2, 2));
            assertThat(u.perplexity()).isCloseTo(4.0, offset(1e-12));
            assertThat(u.counts()).containsExactly(2, 2, 2, 2);
            u.add(m.create(new long[] {0, 0, 0, 0, 0, 0, 0, 0}));
            // p = (10, 2, 2, 2)/16
            double h = -(10 / 16.0 * Math.log(10 / 16.0) + 3 * (2 / 16.0) * Math.log(2 / 16.0));
            assertThat(u.perplexity()).isCloseTo(Math.exp(h), offset(1e-12));
            assertThat(u.total()).isEqualTo(16);
            assertThatThrownBy(() -> u.add(m.create(new long[] {4}))).hasMessageContaining("outside [0, 4)");
        }
    }

    @Test
    void bitsPixelVarianceAndMethodNames() {
        assertThat(small().bits()).isCloseTo(16.0, offset(1e-12)); // 4 positions × log2 16
        ImageSet two = new ImageSet("t", 2, 1, 2, new byte[] {0, (byte) 255, (byte) 255, (byte) 255}, new int[2]);
        assertThat(VqAutoencoder.pixelVariance(two)).isCloseTo(0.75 - 0.5625, offset(1e-12));
        VqAutoencoder.checkMethod("VQ-EMA");
        VqAutoencoder.checkMethod("st-gumbel-softmax");
        assertThatThrownBy(() -> VqAutoencoder.checkMethod("reinforce")).hasMessageContaining("unknown method");
        assertThatThrownBy(() -> VqAutoencoder.checkMethod("nope")).hasMessageContaining("vq-ema");
    }

    /**
     * Eight random 8 × 8 prototype images, each pixel 25 or 230, plus uniform noise of ±20 grey levels: an
     * autoencoder with 4 positions of 16 codes can tell them apart, so its error can fall far below that of the mean
     * image, down to the noise (about 0.002).
     */
    static ImageSet prototypes(int count, long seed) {
        SplittableRandom r = new SplittableRandom(7);
        byte[][] prototypes = new byte[8][64];
        for (byte[] p : prototypes) {
            for (int j = 0; j < 64; j++) {
                p[j] = (byte) (r.nextBoolean() ? 230 : 25);
            }
        }
        SplittableRandom noise = new SplittableRandom(seed);
        byte[] pixels = new byte[count * 64];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = noise.nextInt(8);
            for (int j = 0; j < 64; j++) {
                pixels[i * 64 + j] = (byte) ((prototypes[labels[i]][j] & 0xff) + noise.nextInt(-20, 21));
            }
        }
        return new ImageSet("prototypes", count, 8, 8, pixels, labels);
    }

    /** The test error of predicting every image by the training set's mean image. */
    static double meanImageMse(ImageSet train, ImageSet test) {
        double[] mean = train.pixelMeans();
        double s = 0;
        for (int i = 0; i < test.count(); i++) {
            for (int j = 0; j < test.dim(); j++) {
                double d = test.pixel(i, j) / 255.0 - mean[j];
                s += d * d;
            }
        }
        return s / ((double) test.count() * test.dim());
    }

    static VqAutoencoder.Settings forPrototypes(ImageSet train) {
        return new VqAutoencoder.Settings(train.pixelMeans(), 64, 4, 8, 16, 3e-3, 0.25, 0.9, 4,
                VqAutoencoder.pixelVariance(train), new Exponential(1.0, 1e-2, 0.5, 1), 2);
    }

    /**
     * Every method learns to use its codes: after 160 steps on the prototypes its test error is below 3/4 of the
     * mean image's (about 0.14; a model whose codes carry nothing cannot beat it). With seed 1 the methods reach
     * 0.003–0.06, straight-through Gumbel-softmax being the slowest.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vq-ema", "vq-ema-no-restart", "vq-codebook-loss", "gumbel-softmax", "st-gumbel-softmax"})
    void everyMethodLearnsToReconstruct(String method) {
        ImageSet train = prototypes(256, 1);
        ImageSet test = prototypes(64, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            VqAutoencoder model = VqAutoencoder.create(method, forPrototypes(train), m, 1);
            VqAutoencoder.EpochStats last = null;
            for (int epoch = 0; epoch < 10; epoch++) {
                last = model.trainEpoch(train, 16, 1, epoch);
            }
            VqAutoencoder.Evaluation after = model.evaluate(test, 50);
            assertThat(model.steps()).isEqualTo(10 * 16);
            assertThat(after.usage().total()).isEqualTo(64 * 4);
            assertThat(last.usage().total()).isEqualTo(256 * 4);
            assertThat(Double.isNaN(last.temperature())).isEqualTo(method.startsWith("vq"));
            assertThat(after.mse()).isLessThan(0.75 * meanImageMse(train, test));
            assertThat(model.reconstruct(test, 0, 3)).hasDimensions(3, 64);
        }
    }

    /** Restarting codes unused for 4 steps keeps all 16 in use; without restarts some die (9 of 16 used here). */
    @Test
    void deadCodeRestartKeepsMoreCodesInUse() {
        ImageSet train = prototypes(256, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            int[] used = new int[2];
            String[] methods = {"vq-ema", "vq-ema-no-restart"};
            for (int i = 0; i < 2; i++) {
                VqAutoencoder model = VqAutoencoder.create(methods[i], forPrototypes(train), m, 1);
                model.trainEpoch(train, 16, 1, 0);
                used[i] = model.trainEpoch(train, 16, 1, 1).usage().used();
            }
            assertThat(used[0]).isEqualTo(16);
            assertThat(used[1]).isLessThan(16);
        }
    }

    @Test
    void everyMethodStartsFromTheSameEncoderAndDecoder() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> a = VqAutoencoder.create("vq-ema", small(), m, 5).state();
            Map<String, NDArray> b = VqAutoencoder.create("gumbel-softmax", small(), m, 5).state();
            int shared = 0;
            for (String name : a.keySet()) {
                if (name.startsWith("encoder.") || name.startsWith("decoder.")) {
                    assertThat(b.get(name).toFloatArray()).as(name).containsExactly(a.get(name).toFloatArray());
                    shared++;
                }
            }
            assertThat(shared).isEqualTo(12); // 3 layers × (weight, bias) × 2
        }
    }

    /** Training, evaluation, reconstruction and checkpoint state (in a scope) leave nothing on the model's manager: memory stays flat. */
    @ParameterizedTest
    @ValueSource(strings = {"vq-ema", "vq-codebook-loss", "gumbel-softmax"})
    void epochsLeaveNoArraysBehind(String method) {
        try (NDManager m = NDManager.newBaseManager()) {
            VqAutoencoder model = VqAutoencoder.create(method, small(), m, 4);
            model.trainEpoch(TRAIN, 64, 4, 0);
            model.evaluate(TEST, 64);
            int before = m.getManagedArrays().size();
            for (int epoch = 1; epoch < 3; epoch++) {
                model.trainEpoch(TRAIN, 64, 4, epoch);
                model.evaluate(TEST, 64);
                model.reconstruct(TEST, 0, 4);
                try (NDScope scope = new NDScope()) {
                    assertThat(model.state()).isNotEmpty();
                }
            }
            assertThat(m.getManagedArrays().size()).isEqualTo(before);
        }
    }

    /** Two epochs straight equal one epoch, a checkpoint loaded into a differently seeded model, and one more. */
    @ParameterizedTest
    @ValueSource(strings = {"vq-ema", "vq-codebook-loss", "gumbel-softmax"})
    void resumingFromACheckpointRepeatsTheUninterruptedRun(String method) {
        try (NDManager m = NDManager.newBaseManager()) {
            VqAutoencoder straight = VqAutoencoder.create(method, small(), m, 7);
            straight.trainEpoch(TRAIN, 64, 7, 0);
            VqAutoencoder.EpochStats s1 = straight.trainEpoch(TRAIN, 64, 7, 1);

            VqAutoencoder first = VqAutoencoder.create(method, small(), m, 7);
            first.trainEpoch(TRAIN, 64, 7, 0);
            Path file = dir.resolve(method + ".ckpt");
            Checkpoint.save(file, first.state(), Map.of());
            VqAutoencoder resumed = VqAutoencoder.create(method, small(), m, 8);
            resumed.load(Checkpoint.load(file, m));
            VqAutoencoder.EpochStats r1 = resumed.trainEpoch(TRAIN, 64, 7, 1);

            assertThat(r1.loss()).isEqualTo(s1.loss());
            assertThat(r1.usage().counts()).containsExactly(s1.usage().counts());
            assertThat(resumed.steps()).isEqualTo(straight.steps());
            Map<String, NDArray> want = straight.state();
            Map<String, NDArray> got = resumed.state();
            assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
            for (String name : want.keySet()) {
                assertThat(got.get(name).toByteArray()).as(name).isEqualTo(want.get(name).toByteArray());
            }
            assertThat(resumed.evaluate(TEST, 64).mse()).isEqualTo(straight.evaluate(TEST, 64).mse());
        }
    }
}
