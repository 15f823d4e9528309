package org.discrete4j.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.discrete4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A quantizer saved to a checkpoint and loaded into another continues exactly as the original would. */
class VectorQuantizerStateTest {

    @TempDir
    Path dir;

    @Test
    void emaStatisticsAndDeadCodeCountersSurviveACheckpoint() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            VectorQuantizer a = ema(m);
            // Inputs far from the initial codes: most codes stay unused, so counters grow and restarts happen.
            for (int t = 0; t < 3; t++) {
                a.update(a.quantize(m.randomNormal(new Shape(6, 2)).add(2)));
            }
            assertThat(a.unusedFor(0) + a.unusedFor(1) + a.unusedFor(2) + a.unusedFor(3) + a.unusedFor(4))
                    .as("some code has been unused for a while").isPositive();
            Path file = dir.resolve("vq.ckpt");
            Checkpoint.save(file, a.state("vq"), Map.of());

            Engine.getInstance().setRandomSeed(99); // a different initial codebook
            VectorQuantizer b = ema(m);
            b.load(Checkpoint.load(file, m), "vq");
            for (int k = 0; k < 5; k++) {
                assertThat(b.unusedFor(k)).isEqualTo(a.unusedFor(k));
            }
            assertThat(b.codebook().toFloatArray()).containsExactly(a.codebook().toFloatArray());

            // The same further updates (same engine seed for the restarts) give the same codebooks.
            NDArray x = m.randomNormal(new Shape(6, 2)).add(2);
            Engine.getInstance().setRandomSeed(5);
            a.update(a.quantize(x));
            a.update(a.quantize(x.mul(-1)));
            Engine.getInstance().setRandomSeed(5);
            b.update(b.quantize(x));
            b.update(b.quantize(x.mul(-1)));
            assertThat(b.codebook().toFloatArray()).containsExactly(a.codebook().toFloatArray());
        }
    }

    @Test
    void codebookLossVariantSavesItsCodebookAndRejectsAnotherSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer a = VectorQuantizer.builder().setSize(4).setDimension(3).build(m);
            assertThat(a.state("q").keySet()).containsExactly("q.codebook", "q.unused");
            Path file = dir.resolve("q.ckpt");
            Checkpoint.save(file, a.state("q"), Map.of());
            VectorQuantizer b = VectorQuantizer.builder().setSize(4).setDimension(3).build(m);
            b.load(Checkpoint.load(file, m), "q");
            assertThat(b.codebook().toFloatArray()).containsExactly(a.codebook().toFloatArray());
            assertThat(b.codebook().hasGradient()).isTrue();
            VectorQuantizer c = VectorQuantizer.builder().setSize(5).setDimension(3).build(m);
            assertThatThrownBy(() -> c.load(Checkpoint.load(file, m), "q")).hasMessageContaining("shape");
        }
    }

    private static VectorQuantizer ema(NDManager m) {
        return VectorQuantizer.builder().setSize(5).setDimension(2).optExponentialMovingAverage(0.9)
                .optDeadCodeLimit(2).build(m);
    }
}
