package org.discrete4j.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every distribution in {@link DistributionExamples} must keep. */
class DistributionContractTest {

    static java.util.List<DistributionExamples.Example> examples() {
        return DistributionExamples.all();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void sampleHasExtendedShapeAndFiniteLogProb(DistributionExamples.Example ex) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution d = ex.build().apply(m);
            Shape sampleShape = new Shape(5, 2);
            NDArray x = d.sample(sampleShape);
            assertThat(x.getShape()).isEqualTo(d.extendedShape(sampleShape));
            NDArray lp = d.logProb(x);
            assertThat(lp.getShape()).isEqualTo(sampleShape.addAll(d.batchShape()));
            for (float v : lp.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()) {
                assertThat(v).isFinite().isLessThanOrEqualTo(d.hasRsample() ? Float.MAX_VALUE : 0f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void sameSeedSameDraws(DistributionExamples.Example ex) {
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution d = ex.build().apply(m);
            Engine.getInstance().setRandomSeed(11);
            float[] a = d.sample(new Shape(7)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            Engine.getInstance().setRandomSeed(11);
            float[] b = d.sample(new Shape(7)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            assertThat(a).containsExactly(b);
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void enumerableSupportHasTotalMassOne(DistributionExamples.Example ex) {
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution d = ex.build().apply(m);
            if (!(d instanceof Enumerable)) {
                return;
            }
            Enumerable e = (Enumerable) d;
            NDArray support = e.enumerateSupport();
            long s = support.getShape().get(0);
            // Broadcast the support over the batch: values of shape (S) + batch + event.
            Shape full = new Shape(s).addAll(d.batchShape()).addAll(d.eventShape());
            long[] dims = new long[full.dimension()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = s;
            for (int i = 0; i < d.eventShape().dimension(); i++) {
                dims[1 + d.batchShape().dimension() + i] = d.eventShape().get(i);
            }
            NDArray values = support.reshape(new Shape(dims)).broadcast(full);
            float[] total = d.logProb(values).exp().sum(new int[] {0}).toType(ai.djl.ndarray.types.DataType.FLOAT32,
                    false).toFloatArray();
            for (float t : total) {
                assertThat((double) t).isCloseTo(1.0 - 0.5 * e.tailMass(),
                        org.assertj.core.data.Offset.offset(1e-5 + e.tailMass()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void wrongValueShapeIsAClearError(DistributionExamples.Example ex) {
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution d = ex.build().apply(m);
            if (d.batchShape().addAll(d.eventShape()).dimension() == 0) {
                // Scalar batch and event: every shape is a valid sample shape, so only the dtype can be wrong.
                NDArray bad = m.zeros(new Shape(13)).toType(ai.djl.ndarray.types.DataType.BOOLEAN, false);
                assertThatThrownBy(() -> d.logProb(bad)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("boolean");
                return;
            }
            NDArray bad = m.zeros(new Shape(13));
            assertThatThrownBy(() -> d.logProb(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shape");
        }
    }
}
