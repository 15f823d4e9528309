package org.discrete4j.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusedAdamTest {

    static final Shape[] SHAPES = {new Shape(7, 5), new Shape(5), new Shape(3, 2, 4), new Shape(1)};

    /** Two copies of the same random parameters. */
    static List<List<NDArray>> twins(NDManager m) {
        List<NDArray> a = new ArrayList<>();
        List<NDArray> b = new ArrayList<>();
        for (Shape s : SHAPES) {
            NDArray p = m.randomNormal(s);
            NDArray q = p.duplicate();
            p.setRequiresGradient(true);
            q.setRequiresGradient(true);
            a.add(p);
            b.add(q);
        }
        return List.of(a, b);
    }

    /** Gradients of a loss that changes with the step, so the moments see varied gradients of varied scale. */
    static void gradients(List<NDArray> params, int step) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                NDArray l = p.sub(0.3f * i).square().mul(1 + step % 3).add(p.mul(0.01f * step).sin()).sum();
                loss = loss == null ? l : loss.add(l);
            }
            gc.backward(loss);
        }
    }

    /**
     * 30 steps of FusedAdam and train.Adam from the same start on the same losses agree to float32 rounding: the two
     * order the arithmetic differently, so each step differs by a few units in the last place of the update, which
     * is about lr; the bound 1e-6 absolute is a hundredth of the learning rate.
     */
    @Test
    void followsTrainAdam() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            List<List<NDArray>> t = twins(m);
            Adam reference = new Adam(t.get(0), 1e-3);
            FusedAdam fused = new FusedAdam(t.get(1), 1e-3);
            for (int step = 0; step < 30; step++) {
                gradients(t.get(0), step);
                gradients(t.get(1), step);
                reference.step();
                fused.step();
            }
            assertThat(fused.steps()).isEqualTo(30);
            double moved = 0;
            for (int i = 0; i < SHAPES.length; i++) {
                float[] a = t.get(0).get(i).toFloatArray();
                float[] b = t.get(1).get(i).toFloatArray();
                for (int j = 0; j < a.length; j++) {
                    assertThat((double) b[j]).as("parameter %d[%d]", i, j).isCloseTo(a[j],
                            org.assertj.core.api.Assertions.within(1e-6));
                }
                // the gradients were reset to zero
                assertThat(t.get(1).get(i).getGradient().abs().sum().getFloat()).isZero();
                moved += t.get(1).get(i).sub(t.get(0).get(i)).abs().sum().getFloat();
            }
            assertThat(moved).isLessThan(1e-4);
        }
    }

    /** A checkpoint of either optimiser resumes the other, and the two then go on as one. */
    @Test
    void checkpointsAreInterchangeableWithTrainAdam(@TempDir Path dir) {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            List<List<NDArray>> t = twins(m);
            FusedAdam fused = new FusedAdam(t.get(1), 1e-2);
            Adam reference = new Adam(t.get(0), 1e-2);
            for (int step = 0; step < 5; step++) {
                gradients(t.get(1), step);
                fused.step();
            }
            Path file = dir.resolve("adam.bin");
            Map<String, NDArray> arrays = new LinkedHashMap<>(fused.state("opt"));
            for (int i = 0; i < SHAPES.length; i++) {
                arrays.put("p" + i, t.get(1).get(i));
            }
            Checkpoint.save(file, arrays, Map.of());
            Checkpoint c = Checkpoint.load(file, m);
            for (int i = 0; i < SHAPES.length; i++) {
                c.restore("p" + i, t.get(0).get(i));
            }
            reference.load(c, "opt");
            assertThat(reference.steps()).isEqualTo(5);
            FusedAdam again = new FusedAdam(t.get(1), 1e-2);
            again.load(c, "opt");
            for (int step = 5; step < 10; step++) {
                gradients(t.get(0), step);
                gradients(t.get(1), step);
                reference.step();
                again.step();
            }
            for (int i = 0; i < SHAPES.length; i++) {
                float[] a = t.get(0).get(i).toFloatArray();
                float[] b = t.get(1).get(i).toFloatArray();
                for (int j = 0; j < a.length; j++) {
                    assertThat((double) b[j]).isCloseTo(a[j], org.assertj.core.api.Assertions.within(1e-5));
                }
            }
        }
    }

    @Test
    void rejectsNonFiniteGradientsAndOtherArrays() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.ones(new Shape(40));
            p.setRequiresGradient(true);
            FusedAdam adam = new FusedAdam(List.of(p), 0.1);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.mul(m.create(new float[] {1, Float.POSITIVE_INFINITY}).tile(20)).sum());
            }
            assertThatThrownBy(adam::step).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("non-finite gradient").hasMessageContaining("(40)")
                    .hasMessageContaining("step 1");
            // nothing was written: not the parameter (whose finite half is updated by the other lane) nor the step
            assertThat(p.toFloatArray()).containsOnly(1f);
            assertThat(adam.steps()).isZero();
            NDArray d = m.ones(new Shape(3), DataType.FLOAT64);
            d.setRequiresGradient(true);
            assertThatThrownBy(() -> new FusedAdam(List.of(d), 0.1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("float32");
            assertThatThrownBy(() -> new FusedAdam(List.of(m.ones(new Shape(2))), 0.1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradient");
        }
    }
}
