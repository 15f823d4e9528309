package org.discrete4j.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pieces of deep-EBM training that have exact answers: replay buffer draws, the EMA, the warm-up. */
class ReplayBufferEmaTest {

    @Test
    void bufferStartsFromTheBernoulliMean() {
        double[] mean = {0.1, 0.5, 0.9};
        int n = 20_000;
        ReplayBuffer b = new ReplayBuffer(n, mean, 0, new SplittableRandom(1));
        byte[] s = b.bytes();
        for (int i = 0; i < 3; i++) {
            int on = 0;
            for (int k = 0; k < n; k++) {
                on += s[k * 3 + i];
            }
            // Binomial(n, p): 4.5 standard deviations, a false alarm about once in 150,000 runs per pixel.
            double sd = Math.sqrt(n * mean[i] * (1 - mean[i]));
            assertThat((double) on).as("pixel %d", i).isCloseTo(n * mean[i], within(4.5 * sd));
        }
    }

    @Test
    void reinitialisationHappensAtItsRateAndOnlyToTakenSlots() {
        int dim = 5;
        double rate = 0.3;
        ReplayBuffer b = new ReplayBuffer(200, new double[dim], rate, new SplittableRandom(2)); // starts all zero
        int[] ones = new int[200 * dim];
        Arrays.fill(ones, 1);
        int[] all = new int[200];
        Arrays.setAll(all, i -> i);
        SplittableRandom rng = new SplittableRandom(3);
        int taken = 0;
        int reinitialised = 0;
        int[] hits = new int[200];
        for (int t = 0; t < 2000; t++) {
            b.write(all, ones);
            ReplayBuffer.Draw d = b.draw(20, rng);
            assertThat(d.slots()).isSorted().doesNotHaveDuplicates();
            int zeroRows = 0;
            for (int r = 0; r < 20; r++) {
                hits[d.slots()[r]]++;
                int sum = 0;
                for (int i = 0; i < dim; i++) {
                    sum += d.states()[r * dim + i];
                }
                assertThat(sum).isIn(0, dim); // a fresh draw from the all-zero mean, or the written ones
                zeroRows += sum == 0 ? 1 : 0;
            }
            // Exactly the reinitialised states came back fresh, and the buffer holds them too.
            assertThat(zeroRows).isEqualTo(d.reinitialised());
            int zerosInBuffer = 0;
            byte[] s = b.bytes();
            for (int slot = 0; slot < 200; slot++) {
                zerosInBuffer += s[slot * dim] == 0 ? 1 : 0;
            }
            assertThat(zerosInBuffer).isEqualTo(d.reinitialised());
            taken += 20;
            reinitialised += d.reinitialised();
        }
        // Binomial(40,000, 0.3): sd ≈ 91.7; 4.5 sd.
        double sd = Math.sqrt(taken * rate * (1 - rate));
        assertThat((double) reinitialised).isCloseTo(taken * rate, within(4.5 * sd));
        // Uniform slots: each is taken Binomial(2000, 0.1) times, sd ≈ 13.4; 5 sd over 200 slots.
        for (int h : hits) {
            assertThat((double) h).isCloseTo(200, within(5 * 13.42));
        }
    }

    @Test
    void bufferWithoutReinitialisationNeverReinitialisesAndRoundTrips() {
        ReplayBuffer b = new ReplayBuffer(50, new double[] {0.5, 0.5}, 0, new SplittableRandom(4));
        byte[] saved = b.bytes();
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 100; t++) {
            assertThat(b.draw(10, rng).reinitialised()).isZero();
        }
        assertThat(b.bytes()).isEqualTo(saved); // drawing alone changes nothing
        ReplayBuffer c = new ReplayBuffer(50, new double[] {0.5, 0.5}, 0, new SplittableRandom(99));
        c.restore(saved);
        assertThat(c.draw(10, new SplittableRandom(6)).states()).containsExactly(b.draw(10,
                new SplittableRandom(6)).states());
        assertThatThrownBy(() -> b.write(new int[] {0}, new int[] {0, 2})).hasMessageContaining("binary");
        assertThatThrownBy(() -> b.draw(51, rng)).hasMessageContaining("batch");
        assertThatThrownBy(() -> new ReplayBuffer(5, new double[] {0.5}, 1.5, rng)).hasMessageContaining("[0, 1]");
    }

    /** After n updates towards a fixed θ from θ̄₀: θ̄_n = dⁿ θ̄₀ + (1 − dⁿ) θ. */
    @Test
    void emaFollowsItsClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray avg = m.create(new float[] {1f, -2f});
            NDArray src = m.create(new float[] {3f, 0.5f});
            src.setRequiresGradient(true);
            Ema ema = new Ema(List.of(avg), List.of(src), 0.9);
            int before = m.getManagedArrays().size();
            for (int n = 0; n < 25; n++) {
                ema.update();
            }
            double w = Math.pow(0.9, 25);
            assertThat((double) avg.getFloat(0)).isCloseTo(w * 1 + (1 - w) * 3, within(1e-5));
            assertThat((double) avg.getFloat(1)).isCloseTo(w * -2 + (1 - w) * 0.5, within(1e-5));
            assertThat(m.getManagedArrays().size()).isEqualTo(before); // no temporaries left behind
            assertThatThrownBy(() -> new Ema(List.of(avg), List.of(m.zeros(new ai.djl.ndarray.types.Shape(3))), 0.9))
                    .hasMessageContaining("shape");
            assertThatThrownBy(() -> new Ema(List.of(avg), List.of(src), 1.0)).hasMessageContaining("decay");
        }
    }

    @Test
    void warmUpIsLinearThenConstant() {
        assertThat(EbmTrainer.learningRate(1e-3, 10, 0)).isCloseTo(1e-4, within(1e-15));
        assertThat(EbmTrainer.learningRate(1e-3, 10, 4)).isCloseTo(5e-4, within(1e-15));
        assertThat(EbmTrainer.learningRate(1e-3, 10, 9)).isEqualTo(1e-3);
        assertThat(EbmTrainer.learningRate(1e-3, 10, 50_000)).isEqualTo(1e-3);
        assertThat(EbmTrainer.learningRate(1e-3, 0, 0)).isEqualTo(1e-3);
        for (int t = 1; t < 10; t++) {
            assertThat(EbmTrainer.learningRate(1e-3, 10, t)).isGreaterThan(EbmTrainer.learningRate(1e-3, 10, t - 1));
        }
    }
}
