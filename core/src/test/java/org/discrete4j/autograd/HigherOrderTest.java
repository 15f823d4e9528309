package org.discrete4j.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HigherOrderTest {

    @Test
    void hessianVectorProductOfSumOfCubes() {
        // f(x) = Σ x_i³ (w·x): ∇f = 3x², H = diag(6x), so H·v = 6 x ⊙ v exactly.
        try (NDManager m = NDManager.newBaseManager(); GradMode r = GradMode.enabled()) {
            NDArray x = m.create(new double[] {1, 2, -3, 0.5});
            x.setRequiresGradient(true);
            NDArray v = m.create(new double[] {1, -1, 2, 4});
            NDArray f = x.pow(3).sum();
            NDArray g = HigherOrder.grad(f, true, x)[0];
            assertThat(g.toDoubleArray()).containsExactly(3, 12, 27, 0.75);
            NDArray hv = HigherOrder.grad(g.mul(v).sum(), false, x)[0];
            assertThat(hv.toDoubleArray()).containsExactly(6, -12, -36, 12);
            // Nothing accumulated into the leaf's .grad.
            assertThat(x.getGradient().abs().sum().getFloat()).isZero(); // zeros: no .grad was ever set
        }
    }

    @Test
    void mixedSecondDerivativeAndUnusedInput() {
        // f = Σ w_i x_i²: ∂f/∂x = 2 w x, and ∂/∂w Σ_i (∂f/∂x_i) = 2x; an input f does not reach gets zeros.
        try (NDManager m = NDManager.newBaseManager(); GradMode r = GradMode.enabled()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            NDArray w = m.create(new float[] {0.5f, -1, 2});
            NDArray unused = m.create(new float[] {7, 7});
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            unused.setRequiresGradient(true);
            NDArray g = HigherOrder.grad(x.square().mul(w).sum(), true, x)[0];
            assertThat(g.toFloatArray()).containsExactly(1, -4, 12);
            NDArray[] second = HigherOrder.grad(g.sum(), false, w, unused);
            assertThat(second[0].toFloatArray()).containsExactly(2, 4, 6);
            assertThat(second[1].toFloatArray()).containsExactly(0, 0);
        }
    }

    @Test
    void leavesOtherLeavesGradientsAndNamesUntouchedInsideAnOpenCollector() {
        // The usual situation: an estimator runs while the caller's collector is open, and the caller's parameter
        // w already holds a gradient from an earlier backward. Neither second-order pass may change w.grad, and
        // the caller's own backward must then add exactly its gradient.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2});
            w.setRequiresGradient(true);
            w.setName("w");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.mul(3).sum());
            }
            assertThat(w.getGradient().toFloatArray()).containsExactly(3, 3);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = m.create(new float[] {0.5f, -1});
                x.setRequiresGradient(true);
                NDArray f = x.square().mul(w).sum(); // reaches both x and the caller's w
                NDArray g = HigherOrder.grad(f, true, x)[0]; // 2 w x
                NDArray dw = HigherOrder.grad(g.square().sum(), false, w)[0]; // ∂/∂w Σ 4w²x² = 8 w x²
                assertThat(dw.toFloatArray()).containsExactly(2, 16);
                assertThat(w.getGradient().toFloatArray()).containsExactly(3, 3);
                assertThat(x.getGradient().toFloatArray()).containsExactly(0, 0);
                assertThat(w.getName()).isEqualTo("w");
                gc.backward(f); // ∂f/∂w = x², accumulated onto the earlier 3
            }
            assertThat(w.getGradient().toFloatArray()).containsExactly(3.25f, 4);
        }
    }

    @Test
    void worksInFloat64AndOnNonLeafInputs() {
        try (NDManager m = NDManager.newBaseManager(); GradMode r = GradMode.enabled()) {
            NDArray x = m.create(new double[] {0.3, -0.7});
            x.setRequiresGradient(true);
            NDArray y = x.mul(2); // an interior array of the graph
            NDArray g = HigherOrder.grad(y.exp().sum(), false, y)[0];
            assertThat(g.getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(g.getDouble(0)).isCloseTo(Math.exp(0.6), offset(1e-12));
            assertThat(g.getDouble(1)).isCloseTo(Math.exp(-1.4), offset(1e-12));
        }
    }

    @Test
    void rejectsNonScalarOutputsAndOutputsWithoutGraph() {
        try (NDManager m = NDManager.newBaseManager(); GradMode r = GradMode.enabled()) {
            NDArray x = m.create(new float[] {1, 2});
            x.setRequiresGradient(true);
            assertThatThrownBy(() -> HigherOrder.grad(x.mul(2), false, x))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scalar");
            assertThatThrownBy(() -> HigherOrder.grad(m.create(1f), false, x))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("graph");
        }
    }

    @Test
    void gradModeSwitchesRecordingAndRestoresIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2});
            x.setRequiresGradient(true);
            boolean outside = GradMode.isEnabled();
            try (GradMode r = GradMode.enabled()) {
                assertThat(HigherOrder.grad(x.square().sum(), false, x)[0].toFloatArray()).containsExactly(2, 4);
                try (GradMode off = GradMode.disabled()) {
                    assertThat(GradMode.isEnabled()).isFalse();
                    x.addi(1); // in place on a leaf that requires gradient: allowed only without recording
                }
                assertThat(GradMode.isEnabled()).isTrue();
            }
            assertThat(GradMode.isEnabled()).isEqualTo(outside);
            // Outside a collector the main thread records nothing, so there is no graph to differentiate.
            NDArray y = x.square().sum();
            assertThatThrownBy(() -> HigherOrder.grad(y, false, x)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void memoryStaysFlatOverTwoThousandSecondOrderPasses() throws IOException {
        // The loop that grew by ~2 MB per iteration on 10⁵ floats with JniUtils.backward(createGraph = true), here
        // on 2·10⁴ floats (80 kB per array): a gradient with a graph, then a gradient of a function of it. A leak
        // of a single array per iteration would add 160 MB over the loop; libtorch's leaked cycle holds about five.
        Engine.getInstance().setRandomSeed(3);
        try (NDManager base = NDManager.newBaseManager(); GradMode r = GradMode.enabled()) {
            long before = 0;
            for (int it = 0; it < 2000; it++) {
                try (NDManager m = base.newSubManager()) {
                    NDArray x = m.randomUniform(0, 1, new Shape(20_000));
                    NDArray v = m.randomUniform(0, 1, new Shape(20_000));
                    x.setRequiresGradient(true);
                    v.setRequiresGradient(true);
                    NDArray g = HigherOrder.grad(x.pow(3).mul(v).sum(), true, x)[0];
                    NDArray[] second = HigherOrder.grad(g.mul(v).sum(), false, x, v);
                    assertThat(second).hasSize(2);
                }
                if (it == 200) {
                    System.gc(); // so that the Java heap's growth does not count
                    before = rssMegabytes();
                }
            }
            assertThat(base.getManagedArrays()).isEmpty();
            System.gc();
            assertThat(rssMegabytes() - before).isLessThan(100);
        }
    }

    static long rssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
