package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Independent Bernoulli variables with values 0/1 (in the logits' float dtype), parameterised by logits. */
public final class Bernoulli extends BinaryLogits {

    private Bernoulli(NDArray logits) {
        super(Checks.finiteFloat(logits, "logits"));
    }

    /** Bernoulli with {@code P(1) = sigmoid(logits)}. */
    public static Bernoulli ofLogits(NDArray logits) {
        return new Bernoulli(logits);
    }

    /** Bernoulli with {@code P(1) = probs}; probabilities of exactly 0 or 1 are clamped by machine epsilon. */
    public static Bernoulli ofProbs(NDArray probs) {
        return new Bernoulli(clampedLogits(probs));
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        NDArray p = probs().stopGradient();
        NDArray u = logits.getManager().randomUniform(0f, 1f, extendedShape(sampleShape), logits.getDataType());
        return u.lt(p).toType(logits.getDataType(), false);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "Bernoulli.logProb");
        // x·l - softplus(l): the negative binary cross-entropy with logits, exact at any logit.
        return value.mul(logits).sub(LogSpace.softplus(logits));
    }

    @Override
    public NDArray entropy() {
        return LogSpace.softplus(logits).sub(logits.mul(probs()));
    }

    @Override
    public NDArray mean() {
        return probs();
    }

    @Override
    public NDArray enumerateSupport() {
        return logits.getManager().create(new float[] {0, 1}).toType(logits.getDataType(), false);
    }
}
