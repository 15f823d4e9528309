package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;

/**
 * Straight-through Gumbel-softmax (Jang, Gu and Poole, ICLR 2017, §2.2): a {@link RelaxedOneHotCategorical} draw y
 * quantised to {@code one_hot(argmax y)} in the forward pass, with the gradient of y in the backward pass,
 * {@code one_hot(argmax y) + (y − sg(y))}. The forward value is an exact categorical draw (argmax y is the Gumbel-max
 * of the logits) and is one-hot even at high temperature.
 *
 * <p>As in Pyro, {@link #logProb} of a value this distribution drew is the relaxed density of the unquantised soft
 * draw behind it ({@link #unquantized}); any other value is taken to be a point of the simplex.
 */
public final class RelaxedOneHotCategoricalStraightThrough extends RelaxedStraightThrough<RelaxedOneHotCategorical> {

    private RelaxedOneHotCategoricalStraightThrough(RelaxedOneHotCategorical relaxed) {
        super(relaxed);
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

    @Override
    NDArray quantize(NDArray y) {
        return y.argMax(-1).oneHot(relaxed.numClasses()).toType(y.getDataType(), false);
    }
}
