package org.discrete4j.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.discrete4j.distribution.LogSpace;
import org.junit.jupiter.api.Test;

/**
 * Gradients through operations with Java constants survive a garbage collection between the forward and the backward
 * pass. With DJL's own {@code x.mul(3.0)} the same check fails every time (the gradient reads a reclaimed buffer).
 */
class ScalarsTest {

    /** The gradient of sum(op(x)) at x, with a collection and fresh direct buffers between forward and backward. */
    static float[] gradientAfterCollection(NDManager manager, float[] x0, UnaryOperator<NDArray> op) {
        NDArray x = manager.create(x0);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = op.apply(x).sum();
            System.gc();
            List<ByteBuffer> reuse = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(8);
                b.putDouble(0, Double.NaN);
                reuse.add(b);
            }
            gc.backward(y);
        }
        return x.getGradient().toFloatArray();
    }

    @Test
    void constantsOutliveACollection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] x = {-2f, 0.5f, 3f};
            for (int trial = 0; trial < 3; trial++) {
                assertThat(gradientAfterCollection(manager, x, a -> Scalars.mul(a, 3.0))).containsExactly(3f, 3f, 3f);
                assertThat(gradientAfterCollection(manager, x, a -> Scalars.div(a, 4.0)))
                        .containsExactly(0.25f, 0.25f, 0.25f);
                assertThat(gradientAfterCollection(manager, x, a -> Scalars.maximum(a, 1.0)))
                        .containsExactly(0f, 0f, 1f);
                float[] g = gradientAfterCollection(manager, x, LogSpace::softplus); // d softplus = sigmoid
                for (int i = 0; i < x.length; i++) {
                    assertThat((double) g[i]).isCloseTo(1 / (1 + Math.exp(-x[i])),
                            org.assertj.core.data.Offset.offset(1e-6));
                }
            }
            NDArray d = manager.create(new double[] {1e-300});
            assertThat(Scalars.maximum(d, Double.MIN_NORMAL).getDouble()).isEqualTo(1e-300);
            assertThat(Scalars.mul(manager.create(new float[] {2f}), 0.5).getDataType())
                    .isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
            assertThat(Scalars.mul(manager.zeros(new Shape()), 2).getShape()).isEqualTo(new Shape());
        }
    }
}
