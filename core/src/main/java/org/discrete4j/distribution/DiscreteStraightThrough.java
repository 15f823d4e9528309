package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * What the straight-through discrete distributions ({@link BernoulliStraightThrough},
 * {@link OneHotCategoricalStraightThrough}) share (Bengio, Léonard and Courville, arXiv:1308.3432, 2013): everything
 * is the wrapped distribution's but {@link #rsample}, which is an exact draw D with the gradient of a soft surrogate
 * s of the parameters, {@code D + (s − sg(s))}. Subclasses say what s is.
 *
 * @param <D> the wrapped discrete distribution
 */
abstract class DiscreteStraightThrough<D extends Enumerable> implements Enumerable {

    final D discrete;
    private final double temperature;

    DiscreteStraightThrough(D discrete, double temperature) {
        this.discrete = discrete;
        this.temperature = Checks.temperature(temperature);
    }

    /** The soft surrogate whose gradient the draws carry, at temperature τ. */
    abstract NDArray soft(double temperature);

    public double temperature() {
        return temperature;
    }

    @Override
    public Shape batchShape() {
        return discrete.batchShape();
    }

    @Override
    public Shape eventShape() {
        return discrete.eventShape();
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return discrete.sample(sampleShape);
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    @Override
    public NDArray rsample(Shape sampleShape) {
        NDArray hard = discrete.sample(sampleShape);
        NDArray soft = soft(temperature);
        return hard.add(soft.sub(soft.stopGradient()));
    }

    @Override
    public NDArray logProb(NDArray value) {
        return discrete.logProb(value);
    }

    @Override
    public NDArray entropy() {
        return discrete.entropy();
    }

    @Override
    public NDArray mean() {
        return discrete.mean();
    }

    @Override
    public NDArray enumerateSupport() {
        return discrete.enumerateSupport();
    }
}
