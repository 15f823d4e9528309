package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The Concrete or Gumbel-softmax distribution on the simplex (Jang, Gu and Poole, "Categorical Reparameterization
 * with Gumbel-Softmax", ICLR 2017; Maddison, Mnih and Teh, ICLR 2017): {@code y = softmax((logits + G)/τ)}, the
 * exponential of an {@link ExpRelaxedOneHotCategorical} draw. Event shape {@code (K)}.
 *
 * <p>Its density with respect to Lebesgue measure on {@code (y_1, …, y_{K−1})} is Jang et al.'s (appendix B)
 * <pre>
 *   p(y) = Γ(K) τ^{K−1} (Σ_i π_i / y_i^τ)^{−K} Π_i π_i / y_i^{τ+1},
 * </pre>
 * computed as the ExpConcrete log density at {@code log y} minus {@code Σ_i log y_i} (the Jacobian of exp).
 *
 * <p>Boundary: at low temperature, coordinates of y underflow to exactly 0 in floating point. {@link #logProb}
 * clamps y from below at the smallest normal number of its dtype (about 1.2e-38 in float32) before the logarithm,
 * so it stays finite; for a point with underflowed coordinates it is the density at the nearest representable
 * interior point, not the exact density of the draw. Where log densities matter (relaxed ELBOs, KL terms), use
 * {@link ExpRelaxedOneHotCategorical}, which never underflows.
 */
public final class RelaxedOneHotCategorical extends Transformed<ExpRelaxedOneHotCategorical> {

    private RelaxedOneHotCategorical(ExpRelaxedOneHotCategorical base) {
        super(base);
    }

    /** Concrete with class probabilities {@code softmax(logits)} along the last axis and temperature τ. */
    public static RelaxedOneHotCategorical ofLogits(NDArray logits, double temperature) {
        return new RelaxedOneHotCategorical(ExpRelaxedOneHotCategorical.ofLogits(logits, temperature));
    }

    /** Concrete with a temperature array of shape {@code ()} or {@code batchShape}, possibly with a gradient. */
    public static RelaxedOneHotCategorical ofLogits(NDArray logits, NDArray temperature) {
        return new RelaxedOneHotCategorical(ExpRelaxedOneHotCategorical.ofLogits(logits, temperature));
    }

    /** Concrete with class probabilities proportional to {@code probs}; zeros are clamped to machine epsilon. */
    public static RelaxedOneHotCategorical ofProbs(NDArray probs, double temperature) {
        return new RelaxedOneHotCategorical(ExpRelaxedOneHotCategorical.ofProbs(probs, temperature));
    }

    /** The ExpConcrete distribution of {@code log y}. */
    public ExpRelaxedOneHotCategorical exp() {
        return base;
    }

    public int numClasses() {
        return base.numClasses();
    }

    @Override
    NDArray forward(NDArray x) {
        return x.exp();
    }

    /** softmax((θ + G)/τ) in one call: the draw exp(log-softmax) of the ExpConcrete one, one call fewer each way. */
    @Override
    public NDArray rsample(Shape sampleShape) {
        return base.rsampleExp(sampleShape);
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return base.sampleExp(sampleShape);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "RelaxedOneHotCategorical.logProb");
        NDArray y = value.toType(logits().getDataType(), false);
        NDArray logY = y.clip(smallestNormal(y), 1).log();
        return base.logProb(logY).sub(logY.sum(new int[] {-1}));
    }

    /** The smallest positive normal number of a float array's dtype: the floor of y before its logarithm. */
    static double smallestNormal(NDArray y) {
        return y.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
    }
}
