package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.numbers.gamma.LogGamma;
import org.discrete4j.autograd.Scalars;

/**
 * The ExpConcrete distribution (Maddison, Mnih and Teh, "The Concrete Distribution", ICLR 2017, appendix C): the
 * logarithm of a Concrete (Gumbel-softmax) point on the simplex, event shape {@code (K)}.
 *
 * <p>A draw is {@code x = s − logsumexp(s)} with {@code s = (logits + G)/τ}, G standard Gumbel. Working with x rather
 * than {@code exp(x)} keeps log densities exact where the simplex point underflows at low temperature, which is why
 * relaxed ELBO and KL terms should be computed on this distribution (Maddison et al. §C). The log density is
 * <pre>
 *   log p(x) = lgamma(K) + (K − 1) log τ + Σ_i s_i − K · logsumexp_j s_j,   s_i = log π_i − τ x_i,
 * </pre>
 * with log π the normalised logits; it is invariant to adding a constant to x, so it is evaluated exactly at the
 * point of the log-simplex that x represents. As in Maddison et al. (and torch, TFP) the density is taken with respect
 * to the base measure that makes {@code exp(x)} have Jang et al.'s Concrete density on the simplex, see
 * {@link RelaxedOneHotCategorical}.
 *
 * <p>The temperature is a number or an array of shape {@code ()} or {@code batchShape}, which may carry a gradient
 * (a learned temperature, {@code org.discrete4j.schedule.Learned}).
 */
public final class ExpRelaxedOneHotCategorical implements Concrete {

    private final NDArray logits;
    private final NDArray temperature;

    private ExpRelaxedOneHotCategorical(NDArray logits, NDArray temperature) {
        Checks.rankAtLeast(logits, 1, "logits");
        this.logits = Checks.finiteFloat(logits, "logits");
        Shape batch = logits.getShape().slice(0, logits.getShape().dimension() - 1);
        this.temperature = Checks.temperature(temperature, batch).toType(logits.getDataType(), false);
    }

    /** ExpConcrete with class probabilities {@code softmax(logits)} along the last axis and temperature τ. */
    public static ExpRelaxedOneHotCategorical ofLogits(NDArray logits, double temperature) {
        return new ExpRelaxedOneHotCategorical(logits, scalar(logits, temperature));
    }

    /** ExpConcrete with a temperature array of shape {@code ()} or {@code batchShape}, possibly with a gradient. */
    public static ExpRelaxedOneHotCategorical ofLogits(NDArray logits, NDArray temperature) {
        return new ExpRelaxedOneHotCategorical(logits, temperature);
    }

    /** ExpConcrete with class probabilities proportional to {@code probs}; zeros are clamped to machine epsilon. */
    public static ExpRelaxedOneHotCategorical ofProbs(NDArray probs, double temperature) {
        Checks.probabilities(probs, "probs");
        return ofLogits(probs.clip(Noise.eps(probs.getDataType()), 1).log(), temperature);
    }

    /** A validated temperature as a scalar array in the logits' manager and dtype. */
    static NDArray scalar(NDArray logits, double temperature) {
        Checks.temperature(temperature);
        Checks.finiteFloat(logits, "logits");
        return constant(logits, temperature);
    }

    public NDArray logits() {
        return logits;
    }

    /** The temperature, shape {@code ()} or {@code batchShape}. */
    public NDArray temperature() {
        return temperature;
    }

    /** Normalised log-probabilities of the classes. */
    public NDArray logProbs() {
        return logits.logSoftmax(-1);
    }

    public int numClasses() {
        return (int) logits.getShape().get(logits.getShape().dimension() - 1);
    }

    @Override
    public Shape batchShape() {
        return logits.getShape().slice(0, logits.getShape().dimension() - 1);
    }

    @Override
    public Shape eventShape() {
        return new Shape(numClasses());
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    @Override
    public NDArray rsample(Shape sampleShape) {
        return draw(logits, perClass(temperature), sampleShape);
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return draw(logits.stopGradient(), perClass(temperature).stopGradient(), sampleShape);
    }

    private NDArray draw(NDArray theta, NDArray tau, Shape sampleShape) {
        return perturbed(theta, tau, sampleShape).logSoftmax(-1);
    }

    /** (θ + G)/τ with G standard Gumbel of shape {@code sampleShape + θ's}: the draw before its normalisation. */
    static NDArray perturbed(NDArray theta, NDArray tau, Shape sampleShape) {
        NDArray negG = Noise.negativeGumbel(theta.getManager(), sampleShape.addAll(theta.getShape()),
                theta.getDataType());
        return theta.sub(negG).div(tau);
    }

    /** A reparameterised draw of exp(X): softmax((θ + G)/τ) in one call, for {@link RelaxedOneHotCategorical}. */
    NDArray rsampleExp(Shape sampleShape) {
        return perturbed(logits, perClass(temperature), sampleShape).softmax(-1);
    }

    /** A draw of exp(X) without gradient. */
    NDArray sampleExp(Shape sampleShape) {
        return perturbed(logits.stopGradient(), perClass(temperature).stopGradient(), sampleShape).softmax(-1);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "ExpRelaxedOneHotCategorical.logProb");
        NDArray x = value.toType(logits.getDataType(), false);
        int k = numClasses();
        NDArray s = logProbs().sub(x.mul(perClass(temperature)));
        return s.sum(new int[] {-1}).sub(Scalars.mul(LogSpace.logSumExp(s, -1, false), k))
                .add(Scalars.mul(temperature.log(), k - 1)).add(constant(s, LogGamma.value(k)));
    }

    /**
     * {@code v} as a scalar array in the dtype of {@code like}. Adding a Java double to a rank-0 float32 array
     * promotes the result to float64 in DJL's PyTorch engine (both operands are rank 0), so constants are made here.
     * Always a copy: the boxed value lives in a Java buffer that autograd must not keep (see {@code Scalars}).
     */
    static NDArray constant(NDArray like, double v) {
        try (NDArray boxed = like.getManager().create(v)) {
            return boxed.toType(like.getDataType(), true);
        }
    }

    /** The temperature shaped to broadcast against {@code sampleShape + batchShape + (K)}. */
    static NDArray perClass(NDArray temperature) {
        return temperature.getShape().dimension() == 0 ? temperature : temperature.expandDims(-1);
    }
}
