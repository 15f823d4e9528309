package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;

/**
 * The binary Concrete (relaxed Bernoulli) distribution on (0, 1) (Maddison, Mnih and Teh, "The Concrete
 * Distribution", ICLR 2017, Prop. 2(a); Jang, Gu and Poole, ICLR 2017): {@code y = sigmoid(L)} with L a
 * {@link LogitRelaxedBernoulli} draw, {@code L = (logits + Λ)/τ}. Event shape {@code ()}.
 *
 * <p>With {@code α = exp(logits)} the density is {@code τ α y^{−τ−1} (1−y)^{−τ−1} / (α y^{−τ} + (1−y)^{−τ})²};
 * {@link #logProb} computes it stably as the logistic log density of {@code L = log y − log(1 − y)} plus the log
 * Jacobian {@code −log y − log(1 − y)}.
 *
 * <p>Boundary: at low temperature sigmoid(L) rounds to exactly 0 or 1 in floating point. {@link #logProb} clamps y
 * into {@code [smallest normal, 1 − eps]} (eps the machine epsilon, as torch's {@code clamp_probs} does at the top)
 * so it stays finite; at a clamped point it is the density there, not the exact density of the draw. For exact log
 * densities use {@link LogitRelaxedBernoulli}.
 */
public final class RelaxedBernoulli extends Transformed<LogitRelaxedBernoulli> {

    private RelaxedBernoulli(LogitRelaxedBernoulli base) {
        super(base);
    }

    /** Binary Concrete with {@code P(y > 1/2) = sigmoid(logits)} and temperature τ. */
    public static RelaxedBernoulli ofLogits(NDArray logits, double temperature) {
        return new RelaxedBernoulli(LogitRelaxedBernoulli.ofLogits(logits, temperature));
    }

    /** Binary Concrete with a temperature array of shape {@code ()} or {@code batchShape}, possibly with a gradient. */
    public static RelaxedBernoulli ofLogits(NDArray logits, NDArray temperature) {
        return new RelaxedBernoulli(LogitRelaxedBernoulli.ofLogits(logits, temperature));
    }

    /** Binary Concrete with {@code P(y > 1/2) = probs}; probabilities of 0 or 1 are clamped by machine epsilon. */
    public static RelaxedBernoulli ofProbs(NDArray probs, double temperature) {
        return ofLogits(Bernoulli.ofProbs(probs).logits(), temperature);
    }

    /** The distribution of the logit {@code log y − log(1 − y)}. */
    public LogitRelaxedBernoulli logit() {
        return base;
    }

    @Override
    NDArray forward(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "RelaxedBernoulli.logProb");
        NDArray y = value.toType(logits().getDataType(), false);
        y = y.clip(RelaxedOneHotCategorical.smallestNormal(y), 1 - Noise.eps(y.getDataType()));
        NDArray logY = y.log();
        NDArray log1mY = y.neg().add(1).log();
        return base.logProb(logY.sub(log1mY)).sub(logY).sub(log1mY);
    }
}
