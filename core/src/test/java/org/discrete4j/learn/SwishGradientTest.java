package org.discrete4j.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwishGradientTest {

    /**
     * The energy networks' swish keeps its exact gradient σ(x)(1 + x(1 − σ(x))) when the garbage collector runs
     * between the forward and the backward pass and new direct buffers (filled with NaN) take the freed memory. DJL's
     * {@code Activation.swish(x, 1f)} failed this every time: its β lived in a buffer closed right after the product.
     */
    @Test
    void gradientSurvivesCollectionsBetweenForwardAndBackward() {
        Block swish = EnergyNetwork.swish();
        float[] xs = {-6f, -2f, -0.5f, 0f, 0.3f, 1.7f, 8f};
        try (NDManager m = NDManager.newBaseManager()) {
            swish.initialize(m, DataType.FLOAT32, new Shape(xs.length));
            ParameterStore store = new ParameterStore(m, false);
            for (int round = 0; round < 5; round++) {
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = sub.create(xs);
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = swish.forward(store, new NDList(x), true).singletonOrThrow();
                        List<ByteBuffer> taken = new ArrayList<>();
                        for (int r = 0; r < 5; r++) {
                            System.gc();
                            for (int i = 0; i < 2000; i++) {
                                ByteBuffer b = ByteBuffer.allocateDirect(4);
                                b.putFloat(0, Float.NaN);
                                taken.add(b);
                            }
                        }
                        gc.backward(y.sum());
                    }
                    float[] g = x.getGradient().toFloatArray();
                    for (int i = 0; i < xs.length; i++) {
                        double s = 1 / (1 + Math.exp(-xs[i]));
                        assertThat((double) g[i]).as("round %d, x = %s", round, xs[i])
                                .isCloseTo(s * (1 + xs[i] * (1 - s)), within(1e-5));
                    }
                }
            }
        }
    }
}
