package org.discrete4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam's per-step temporaries (gradient handle, denominator, update) must not stay on the parameters' manager. */
class AdamMemoryTest {

    @Test
    void stepsLeaveNoArraysOnTheParametersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1f, 2f});
            NDArray b = m.create(new float[] {-1f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Adam adam = new Adam(List.of(a, b), 0.01);
            int before = m.getManagedArrays().size();
            for (int t = 0; t < 50; t++) {
                try (NDManager step = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray sa = a.square(); // created on m: move each into the step's manager
                        NDArray sb = b.square();
                        sa.attach(step);
                        sb.attach(step);
                        gc.backward(sa.sum().add(sb.sum()));
                    }
                }
                adam.step();
            }
            // One array left per parameter and step would add 100.
            assertThat(m.getManagedArrays().size()).isEqualTo(before);
        }
    }
}
