package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * What the straight-through relaxed distributions ({@link RelaxedBernoulliStraightThrough},
 * {@link RelaxedOneHotCategoricalStraightThrough}) share: a relaxed draw y is quantised in the forward pass and keeps
 * the gradient of y in the backward pass, {@code quantize(y) + (y − sg(y))}; the soft draw behind each returned value
 * is remembered so that {@link #logProb} is the relaxed density of it, as in Pyro. Subclasses say how to quantise.
 *
 * @param <D> the relaxed distribution of the soft draws
 */
abstract class RelaxedStraightThrough<D extends Concrete> implements Concrete {

    final D relaxed;
    private final Unquantized soft = new Unquantized();

    RelaxedStraightThrough(D relaxed) {
        this.relaxed = relaxed;
    }

    /** The hard value of a soft draw y, in y's dtype. */
    abstract NDArray quantize(NDArray y);

    /** The soft draw y behind a value returned by {@link #sample} or {@link #rsample}, or {@code value} itself. */
    public NDArray unquantized(NDArray value) {
        return soft.of(value);
    }

    @Override
    public NDArray logits() {
        return relaxed.logits();
    }

    @Override
    public NDArray temperature() {
        return relaxed.temperature();
    }

    @Override
    public Shape batchShape() {
        return relaxed.batchShape();
    }

    @Override
    public Shape eventShape() {
        return relaxed.eventShape();
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    @Override
    public NDArray rsample(Shape sampleShape) {
        NDArray y = relaxed.rsample(sampleShape);
        return soft.remember(quantize(y).add(y.sub(y.stopGradient())), y);
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        NDArray y = relaxed.sample(sampleShape);
        return soft.remember(quantize(y), y);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), getClass().getSimpleName() + ".logProb");
        return relaxed.logProb(soft.of(value));
    }
}
