package org.discrete4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class ParametersCopyTest {

    /**
     * The values land in the target's own memory (a view taken before the copy sees them), converted to its type;
     * the source can be closed afterwards without touching the target.
     */
    @Test
    void copiesIntoTheTargetsOwnMemory() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.zeros(new Shape(2, 3));
            target.setRequiresGradient(true);
            FloatBuffer before = target.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
            try (NDArray source = m.create(new double[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3))) {
                Parameters.copyInto(target, source);
            }
            float[] seen = new float[6];
            before.get(0, seen);
            assertThat(seen).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
            assertThat(target.toFloatArray()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
            assertThat(target.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(target.hasGradient()).isTrue();
        }
    }

    @Test
    void refusesAnotherShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.zeros(new Shape(2, 3));
            NDArray source = m.zeros(new Shape(3, 2));
            assertThatThrownBy(() -> Parameters.copyInto(target, source)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(3, 2)");
            assertThat(target.toFloatArray()).containsOnly(0f);
        }
    }
}
