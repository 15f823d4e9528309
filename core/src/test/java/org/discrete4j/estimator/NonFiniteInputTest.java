package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Categorical;
import org.discrete4j.distribution.OneHotCategorical;
import org.junit.jupiter.api.Test;

class NonFiniteInputTest {

    @Test
    void nanInfAndIntegerLogitsAreRejectedWithTheirName() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Bernoulli.ofLogits(m.create(new float[] {0f, Float.NaN})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits contains NaN");
            assertThatThrownBy(() -> Categorical.ofLogits(m.create(new float[] {0f, Float.POSITIVE_INFINITY})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("infinite");
            assertThatThrownBy(() -> OneHotCategorical.ofLogits(m.create(new int[] {1, 2})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32 or float64");
            assertThatThrownBy(() -> Categorical.ofLogits(m.create(1f)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
            assertThatThrownBy(() -> Bernoulli.ofProbs(m.create(new float[] {1.5f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
            assertThatThrownBy(() -> Bernoulli.ofLogits(m.create(new double[] {1}).toType(DataType.FLOAT16, false)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
