package org.discrete4j.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.ExpRelaxedOneHotCategorical;
import org.discrete4j.distribution.Geometric;
import org.discrete4j.distribution.LogSpace;
import org.discrete4j.distribution.LogitRelaxedBernoulli;
import org.discrete4j.distribution.NegativeBinomial;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.distribution.OneHotCategoricalStraightThrough;
import org.discrete4j.distribution.Poisson;
import org.discrete4j.estimator.Cost;
import org.discrete4j.estimator.GumbelRao;
import org.discrete4j.estimator.ReinMax;
import org.junit.jupiter.api.Test;

/**
 * Gradients through operations with Java constants survive a garbage collection between the forward and the backward
 * pass. With DJL's own {@code x.mul(3.0)} the same check fails every time (the gradient reads a reclaimed buffer).
 */
class ScalarsTest {

    /** The gradient of sum(op(x)) at x, with a collection and fresh direct buffers between forward and backward. */
    static float[] gradientAfterCollection(NDManager manager, float[] x0, UnaryOperator<NDArray> op) {
        return gradient(manager, x0, op, true);
    }

    /** The gradient of sum(op(x)) at x; with {@code churn}, a collection and NaN-filled direct buffers in between. */
    static float[] gradient(NDManager manager, float[] x0, UnaryOperator<NDArray> op, boolean churn) {
        NDArray x = manager.create(x0);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = op.apply(x).sum();
            List<ByteBuffer> reuse = new ArrayList<>();
            if (churn) {
                System.gc();
                for (int i = 0; i < 2000; i++) {
                    ByteBuffer b = ByteBuffer.allocateDirect(8);
                    b.putDouble(0, Double.NaN);
                    reuse.add(b);
                }
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
                assertThat(gradientAfterCollection(manager, x, a -> Scalars.minimum(a, 1.0)))
                        .containsExactly(1f, 1f, 0f);
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

    /**
     * The estimators and distributions that multiply, divide or clamp differentiated arrays by Java numbers give the
     * same gradient whether or not a collection reclaims direct buffers between the forward and the backward pass.
     * Each op seeds the engine RNG first, so both runs draw the same noise and must agree exactly. Before these sites
     * used {@link Scalars}, the churned gradients were garbage (GumbelRao's came out ±∞).
     */
    @Test
    void estimatorsAndDistributionsSurviveACollection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weights = manager.create(new float[] {0f, 1f, 2f});
            NDArray target = manager.create(new float[] {1f, 0f, 1f});
            Cost categoricalCost = y -> y.mul(weights).sum(new int[] {-1}).sub(0.7).square();
            Cost bernoulliCost = y -> y.sub(target).square();
            Map<String, UnaryOperator<NDArray>> ops = new LinkedHashMap<>();
            ops.put("gumbel-rao categorical", x -> seeded(() -> new GumbelRao(0.5, 4)
                    .estimate(OneHotCategorical.ofLogits(x), categoricalCost).surrogate()));
            ops.put("gumbel-rao bernoulli", x -> seeded(() -> new GumbelRao(0.5, 4)
                    .estimate(Bernoulli.ofLogits(x), bernoulliCost).surrogate()));
            ops.put("reinmax", x -> seeded(() -> new ReinMax(0.8)
                    .estimate(OneHotCategorical.ofLogits(x), categoricalCost).surrogate()));
            ops.put("straight-through softmax", x -> seeded(() -> OneHotCategoricalStraightThrough.ofLogits(x, 0.5)
                    .rsample(new Shape(4)).mul(weights)));
            ops.put("exp-concrete logProb", x -> ExpRelaxedOneHotCategorical.ofLogits(x, 0.7)
                    .logProb(manager.create(new float[] {0.2f, -0.5f, 1f}).logSoftmax(-1)));
            ops.put("logit-concrete logProb", x -> LogitRelaxedBernoulli.ofLogits(x, 0.7)
                    .logProb(manager.create(new float[] {-1f, 0.3f, 2f})));
            ops.put("geometric entropy", x -> Geometric.ofLogits(x).entropy());
            NDArray counts = manager.create(new float[] {0f, 2f, 5f});
            ops.put("geometric of probs", x -> Geometric.ofProbs(x.getNDArrayInternal().sigmoid()).logProb(counts));
            ops.put("poisson of rate", x -> Poisson.ofRate(x.exp()).logProb(counts));
            ops.put("negative binomial of probs", x -> NegativeBinomial.ofProbs(2.0, x.getNDArrayInternal().sigmoid())
                    .logProb(counts));
            float[] x = {-4f, 0.4f, 1.3f}; // −4 takes the geometric entropy's series branch
            for (Map.Entry<String, UnaryOperator<NDArray>> op : ops.entrySet()) {
                float[] plain = gradient(manager, x, op.getValue(), false);
                assertThat(plain).as(op.getKey()).doesNotContain(Float.NaN).isNotEqualTo(new float[3]);
                for (int trial = 0; trial < 2; trial++) {
                    assertThat(gradient(manager, x, op.getValue(), true)).as(op.getKey()).containsExactly(plain);
                }
            }
        }
    }

    private static NDArray seeded(java.util.function.Supplier<NDArray> draw) {
        Engine.getInstance().setRandomSeed(11);
        return draw.get();
    }
}
