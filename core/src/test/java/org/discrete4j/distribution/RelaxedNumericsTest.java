package org.discrete4j.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No NaN or infinity from finite input: draws, log densities and their gradients (with respect to the logits and to a
 * learned temperature) for τ ∈ {0.01, 0.1, 1, 10} and float32 logits up to ±1e4.
 */
class RelaxedNumericsTest {

    /** Two rows of logits: extreme, and ordinary with a huge gap. */
    static final float[] LOGITS = {1e4f, -1e4f, 0f, 3f, -1e4f, 1e4f, -2f, 0.5f};

    record Case(String name, BiFunction<NDArray, NDArray, Distribution> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("ExpRelaxedOneHotCategorical", ExpRelaxedOneHotCategorical::ofLogits),
                new Case("RelaxedOneHotCategorical", RelaxedOneHotCategorical::ofLogits),
                new Case("LogitRelaxedBernoulli", LogitRelaxedBernoulli::ofLogits),
                new Case("RelaxedBernoulli", RelaxedBernoulli::ofLogits),
                new Case("RelaxedOneHotCategoricalStraightThrough", RelaxedOneHotCategoricalStraightThrough::ofLogits),
                new Case("RelaxedBernoulliStraightThrough", RelaxedBernoulliStraightThrough::ofLogits));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void drawsLogDensitiesAndGradientsAreFinite(Case c) {
        for (double tau : new double[] {0.01, 0.1, 1, 10}) {
            Engine.getInstance().setRandomSeed(17);
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray logits = m.create(LOGITS, new Shape(2, 4));
                logits.setRequiresGradient(true);
                org.discrete4j.schedule.Learned learned = new org.discrete4j.schedule.Learned(m, tau, 0);
                NDArray x;
                NDArray lp;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Distribution d = c.build().apply(logits, learned.temperature());
                    x = d.rsample(new Shape(64));
                    lp = d.logProb(x);
                    NDArray w = m.randomNormal(x.getShape());
                    gc.backward(lp.sum().add(x.mul(w).sum()));
                }
                String what = c.name() + " at tau " + tau;
                assertFinite(x, what + ": draws");
                assertFinite(lp, what + ": logProb");
                assertThat(lp.getDataType()).isEqualTo(DataType.FLOAT32);
                assertFinite(logits.getGradient(), what + ": gradient wrt logits");
                assertFinite(learned.parameter().getGradient(), what + ": gradient wrt temperature");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void scalarBatchKeepsFloat32(Case c) {
        try (NDManager m = NDManager.newBaseManager()) {
            // Rank-0 arithmetic with Java doubles would promote to float64; the results must stay in the logits' dtype.
            NDArray logits = c.name().contains("Bernoulli") ? m.create(0.3f) : m.create(new float[] {0.3f, -1f});
            Distribution d = c.build().apply(logits, m.create(0.5f));
            NDArray x = d.sample(new Shape());
            assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(d.logProb(x).getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }

    static void assertFinite(NDArray a, String what) {
        for (float v : a.toType(DataType.FLOAT32, false).toFloatArray()) {
            assertThat(v).as(what).isFinite();
        }
    }
}
