package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerTest {

    /** 60 random grey 4×4 images. */
    static ImageSet images() {
        SplittableRandom r = new SplittableRandom(5);
        byte[] p = new byte[60 * 16];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) r.nextInt(256);
        }
        return new ImageSet("random", 60, 4, 4, p, new int[60]);
    }

    static Trainer.Settings settings(String estimator, int epochs, Binarization b) {
        // tau changes every 2 steps, so the tempered estimators are rebuilt inside and across epochs
        return new Trainer.Settings(estimator, 3, 1.0, 0.5, 0.1, 2, epochs, 10, 1e-2, 9, b);
    }

    static Trainable model(NDManager m, String latent) {
        Engine.getInstance().setRandomSeed(1);
        if (latent.equals("sbn")) {
            return new Sbn(m, new BernoulliLatent(3), 8, 8);
        }
        return new Vae(m, Latent.of(latent, 3, 3), 16, 8);
    }

    static List<float[]> snapshot(Trainable t) {
        List<float[]> out = new ArrayList<>();
        for (NDArray p : t.parameters().values()) {
            out.add(p.toFloatArray());
        }
        return out;
    }

    /**
     * Three epochs in one go and one epoch then a resume to three give bit-identical parameters and learning curves
     * (apart from the timings), for estimators with and without state and with a changing temperature.
     */
    @ParameterizedTest
    @CsvSource({"bernoulli,gumbel-softmax,static", "categorical,nvil,dynamic", "bernoulli,reinforce-ma,static",
        "sbn,muprop,static", "poisson,rloo,static"})
    void resumeContinuesBitIdentically(String latent, String estimator, String binarization, @TempDir Path dir) {
        Binarization b = Binarization.parse(binarization);
        Path whole = dir.resolve("whole.bin");
        Path part = dir.resolve("part.bin");
        List<float[]> expected;
        List<double[]> expectedCurve;
        try (NDManager m = NDManager.newBaseManager()) {
            Trainable t = model(m, latent);
            Trainer trainer = new Trainer(m, t, settings(estimator, 3, b), images());
            trainer.run(whole, false, evaluator(), null);
            expected = snapshot(t);
            expectedCurve = trainer.curve();
            assertThat(trainer.steps()).isEqualTo(18);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            new Trainer(m, model(m, latent), settings(estimator, 1, b), images()).run(part, false, evaluator(), null);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Trainable t = model(m, latent);
            // A different initialisation, which the checkpoint must overwrite.
            Engine.getInstance().setRandomSeed(77);
            Trainer trainer = new Trainer(m, t, settings(estimator, 3, b), images());
            trainer.run(part, true, evaluator(), null);
            List<float[]> actual = snapshot(t);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).as("parameter %d", i).containsExactly(expected.get(i));
            }
            List<double[]> curve = trainer.curve();
            assertThat(curve).hasSize(3);
            for (int e = 0; e < 3; e++) {
                double[] a = curve.get(e).clone();
                double[] x = expectedCurve.get(e).clone();
                a[4] = 0; // seconds differ
                x[4] = 0;
                assertThat(a).as("epoch %d", e + 1).containsExactly(x);
            }
            assertThat(trainer.epochsDone()).isEqualTo(3);
        }
    }

    static Trainer.Evaluator evaluator() {
        return new Trainer.Evaluator() {
            @Override
            public List<String> columns() {
                return List.of("draw");
            }

            @Override
            public double[] evaluate(int epoch) {
                // A draw of the engine's generator: the curve then also checks that the generator is reseeded.
                try (NDManager m = NDManager.newBaseManager()) {
                    return new double[] {m.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(1)).getFloat()};
                }
            }
        };
    }

    @Test
    void resumeRefusesOtherSettingsAndMissingCheckpoints(@TempDir Path dir) {
        Path file = dir.resolve("c.bin");
        try (NDManager m = NDManager.newBaseManager()) {
            new Trainer(m, model(m, "bernoulli"), settings("gumbel-softmax", 1, Binarization.STATIC), images())
                    .run(file, false, null, null);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Trainer other = new Trainer(m, model(m, "bernoulli"), settings("st", 2, Binarization.STATIC), images());
            assertThatThrownBy(() -> other.run(file, true, null, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("other settings");
            assertThatThrownBy(() -> other.run(dir.resolve("none.bin"), true, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no checkpoint");
        }
    }

    @Test
    void lossFallsOnATrainingSet() {
        try (NDManager m = NDManager.newBaseManager()) {
            Trainable t = model(m, "categorical");
            Trainer trainer = new Trainer(m, t, settings("st-gumbel-softmax", 6, Binarization.STATIC), images());
            trainer.run(null, false, null, null);
            List<double[]> c = trainer.curve();
            assertThat(c.get(5)[3]).isLessThan(c.get(0)[3]);
            assertThat(c.get(5)[2]).isEqualTo(Math.max(0.5, Math.exp(-0.1 * 34))); // tau at step 34 (of 0..35)
        }
    }
}
