package org.discrete4j.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.model.NeuralEnergy;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.GibbsWithGradients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyNetworkTest {

    @TempDir
    Path dir;

    /** With the network's weights at zero, log p̃ is exactly the data-mean Bernoulli log-likelihood. */
    @Test
    void energyIsTheNetworkPlusTheBernoulliBase() {
        Engine.getInstance().setRandomSeed(3);
        double[] mean = EnergyNetwork.squeeze(new double[] {0, 0.25, 0.5, 0.75, 1, 0.1});
        assertThat(mean[0]).isEqualTo(0.01);
        assertThat(mean[4]).isCloseTo(0.99, within(1e-12));
        try (NDManager m = NDManager.newBaseManager()) {
            EnergyNetwork net = new EnergyNetwork("mlp", 2, 3, 8, mean, m);
            NeuralEnergy e = net.model(m);
            int[] x = new int[20 * 6];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(2);
            }
            double[] before = new double[20];
            e.logProb(x, 20, before);
            try (GradMode off = GradMode.disabled()) {
                for (NDArray p : net.trainable()) {
                    p.muli(0);
                }
            }
            double[] lp = new double[20];
            e.logProb(x, 20, lp);
            for (int c = 0; c < 20; c++) {
                double base = 0;
                for (int i = 0; i < 6; i++) {
                    base += x[c * 6 + i] == 1 ? Math.log(mean[i]) : Math.log1p(-mean[i]);
                }
                assertThat(lp[c]).isCloseTo(base, within(1e-4));
                assertThat(before[c]).isNotEqualTo(lp[c]); // the network did contribute before
            }
            // Only the network is trained: the base's two arrays are not among the trainable ones.
            assertThat(net.trainable()).hasSize(8);
        }
        assertThatThrownBy(() -> new EnergyNetwork("cnn", 2, 3, 8, mean, null)).hasMessageContaining("unknown");
        assertThatThrownBy(() -> new EnergyNetwork("mlp", 2, 2, 8, mean, null)).hasMessageContaining("pixels");
    }

    /** The residual network trains, samples and saves like the MLP (tiny: 8×8 images, 4 channels). */
    @Test
    void resnetTrainsSamplesAndRoundTrips() {
        SplittableRandom r = new SplittableRandom(2);
        byte[] px = new byte[60 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (r.nextDouble() < 0.3 ? 255 : 0);
        }
        ImageSet images = new ImageSet("noise", 60, 8, 8, px, new int[60]);
        EbmData data = EbmData.prepare("noise", images, images.subset(0, 10), Binarization.STATIC, 10, 1);
        EbmTrainer.Settings s = new EbmTrainer.Settings("resnet", 4, 2, 5, 2, "gwg", 20, 0, 1e-3, 0, 0.9, 2, 1, 2, 3,
                4, "gwg", 9);
        try (NDManager m = NDManager.newBaseManager()) {
            EbmTrainer t = EbmTrainer.start(s, data, dir, m);
            t.runChunk();
            assertThat(t.done()).isTrue();
            assertThat(t.curve()).hasSize(2);
            assertThat(t.curve().get(1)[5]).isBetween(0.0, 1.0); // acceptance
            assertThat(Double.isFinite(t.bestValidation())).isTrue();
            EnergyNetwork loaded = EbmFiles.network(dir, m);
            assertThat(loaded.kind()).isEqualTo("resnet");
            assertThat(loaded.width()).isEqualTo(4);
            assertThat(EbmFiles.isEbm(dir)).isTrue();
            assertThat(EbmFiles.isEbm(dir.resolve(EbmTrainer.CHECKPOINT))).isFalse();
            assertThat(EbmFiles.about(dir)).containsEntry("data", "noise").containsEntry("binarization", "static")
                    .containsEntry("dataSeed", 1L).containsEntry("energy", "resnet").containsEntry("steps", 2L)
                    .containsEntry("learningRate", 1e-3).containsEntry("validationImages", 10L);
            NeuralEnergy a = loaded.model(m);
            NeuralEnergy b = t.ema().model(m);
            int[] x = java.util.Arrays.copyOf(data.test(), 3 * 64);
            double[] la = new double[3];
            double[] lb = new double[3];
            a.logProb(x, 3, la);
            b.logProb(x, 3, lb);
            assertThat(la).containsExactly(lb);
            ChainState state = new ChainState(a, x, 3, 4);
            GibbsWithGradients k = new GibbsWithGradients();
            k.init(state);
            assertThat(k.step(state).acceptance()).isBetween(0.0, 1.0);
        }
    }
}
