package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A distribution whose draws are a fixed elementwise map of a base distribution's draws, with the base's parameters,
 * shapes and reparameterised draws: {@link RelaxedBernoulli} ({@code sigmoid} of a {@link LogitRelaxedBernoulli} draw) and
 * {@link RelaxedOneHotCategorical} ({@code exp} of an {@link ExpRelaxedOneHotCategorical} draw). Each subclass
 * supplies the map and its own log density (with the map's Jacobian).
 *
 * @param <B> the base distribution
 */
abstract class Transformed<B extends Concrete> implements Concrete {

    final B base;

    Transformed(B base) {
        this.base = base;
    }

    /** The map applied to a base draw. */
    abstract NDArray forward(NDArray x);

    @Override
    public NDArray logits() {
        return base.logits();
    }

    @Override
    public NDArray temperature() {
        return base.temperature();
    }

    @Override
    public Shape batchShape() {
        return base.batchShape();
    }

    @Override
    public Shape eventShape() {
        return base.eventShape();
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    @Override
    public NDArray rsample(Shape sampleShape) {
        return forward(base.rsample(sampleShape));
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return forward(base.sample(sampleShape));
    }
}
