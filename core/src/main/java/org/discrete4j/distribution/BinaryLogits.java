package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * What the Bernoulli family ({@link Bernoulli}, {@link Binomial}, {@link NegativeBinomial}, {@link Geometric})
 * shares: one success logit per batch element, event shape {@code ()}, success probability {@code sigmoid(logits)},
 * and the conversion of probabilities to logits. Each subclass validates its own parameters.
 */
abstract class BinaryLogits implements Enumerable {

    final NDArray logits;

    BinaryLogits(NDArray logits) {
        this.logits = logits;
    }

    /** Logits of probabilities in [0, 1]; 0 and 1 are clamped by machine epsilon so the logits stay finite. */
    static NDArray clampedLogits(NDArray probs) {
        Checks.probabilities(probs, "probs");
        double e = Noise.eps(probs.getDataType());
        return logit(probs.clip(e, 1 - e));
    }

    /** {@code log p − log(1 − p)} of probabilities the caller has already kept inside (0, 1). */
    static NDArray logit(NDArray p) {
        return p.log().sub(p.neg().add(1).log());
    }

    /** {@code log p = logSigmoid(l)}, exact at any logit. */
    NDArray logSuccess() {
        return LogSpace.logSigmoid(logits);
    }

    /** {@code log(1 − p) = logSigmoid(−l)}, exact at any logit. */
    NDArray logFailure() {
        return LogSpace.logSigmoid(logits.neg());
    }

    public NDArray logits() {
        return logits;
    }

    public NDArray probs() {
        return logits.getNDArrayInternal().sigmoid();
    }

    @Override
    public Shape batchShape() {
        return logits.getShape();
    }

    @Override
    public Shape eventShape() {
        return new Shape();
    }
}
