package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Straight-through Gumbel-softmax (Jang, Gu and Poole, ICLR 2017, §2.2): a {@link RelaxedOneHotCategorical} draw y
 * quantised to {@code one_hot(argmax y)} in the forward pass, with the gradient of y in the backward pass,
 * {@code one_hot(argmax y) + (y − sg(y))}. The forward value is an exact categorical draw (argmax y is the Gumbel-max
 * of the logits) and is one-hot even at high temperature.
 *
 * <p>As in Pyro, {@link #logProb} of a value this distribution drew is the relaxed density of the unquantised soft
 * draw behind it ({@link #unquantized}); any other value is taken to be a point of the simplex.
 */
public final class RelaxedOneHotCategoricalStraightThrough implements Distribution {

    private final RelaxedOneHotCategorical relaxed;
    private final Unquantized soft = new Unquantized();

    private RelaxedOneHotCategoricalStraightThrough(RelaxedOneHotCategorical relaxed) {
        this.relaxed = relaxed;
    }

    public static RelaxedOneHotCategoricalStraightThrough ofLogits(NDArray logits, double temperature) {
        return new RelaxedOneHotCategoricalStraightThrough(RelaxedOneHotCategorical.ofLogits(logits, temperature));
    }

    public static RelaxedOneHotCategoricalStraightThrough ofLogits(NDArray logits, NDArray temperature) {
        return new RelaxedOneHotCategoricalStraightThrough(RelaxedOneHotCategorical.ofLogits(logits, temperature));
    }

    public static RelaxedOneHotCategoricalStraightThrough ofProbs(NDArray probs, double temperature) {
        return new RelaxedOneHotCategoricalStraightThrough(RelaxedOneHotCategorical.ofProbs(probs, temperature));
    }

    /** The relaxed distribution of the soft draws. */
    public RelaxedOneHotCategorical relaxed() {
        return relaxed;
    }

    public NDArray logits() {
        return relaxed.logits();
    }

    public NDArray temperature() {
        return relaxed.temperature();
    }

    /** The soft draw y behind a value returned by {@link #sample} or {@link #rsample}, or {@code value} itself. */
    public NDArray unquantized(NDArray value) {
        return soft.of(value);
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

    private NDArray quantize(NDArray y) {
        return y.argMax(-1).oneHot(relaxed.numClasses()).toType(y.getDataType(), false);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "RelaxedOneHotCategoricalStraightThrough.logProb");
        return relaxed.logProb(soft.of(value));
    }
}
