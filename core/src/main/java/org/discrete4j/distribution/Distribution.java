package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A batch of independent probability distributions over arrays.
 *
 * <p>Shapes follow torch.distributions: a draw has shape {@code sampleShape + batchShape + eventShape}, and
 * {@link #logProb} reduces the event dimensions, returning {@code sampleShape + batchShape}. Randomness comes
 * from the engine's generator: seed it with {@code Engine.getInstance().setRandomSeed(seed)}.
 *
 * <p>Arrays returned are attached to the manager of the distribution's parameters, so create the parameters
 * (or the distribution's inputs) inside a per-step manager or {@code NDScope} in long loops.
 */
public interface Distribution {

    /** The shape of the batch of independent distributions. */
    Shape batchShape();

    /** The shape of one draw of one distribution ({@code ()} for scalar values, {@code (K)} for one-hot). */
    Shape eventShape();

    /** Draws without gradient, shape {@code sampleShape + batchShape + eventShape}. */
    NDArray sample(Shape sampleShape);

    /** Log-probability (mass or density) of {@code value}, whose trailing dimensions match batch + event. */
    NDArray logProb(NDArray value);

    /** Whether {@link #rsample} gives draws differentiable with respect to the parameters. */
    default boolean hasRsample() {
        return false;
    }

    /** Reparameterised draws, differentiable through DJL autograd. */
    default NDArray rsample(Shape sampleShape) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no rsample");
    }

    /** Entropy of each distribution in the batch, shape {@code batchShape}. */
    default NDArray entropy() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no closed-form entropy");
    }

    /** Mean of each distribution, shape {@code batchShape + eventShape}. */
    default NDArray mean() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no closed-form mean");
    }

    /** {@code sampleShape + batchShape + eventShape}. */
    default Shape extendedShape(Shape sampleShape) {
        return sampleShape.addAll(batchShape()).addAll(eventShape());
    }
}
