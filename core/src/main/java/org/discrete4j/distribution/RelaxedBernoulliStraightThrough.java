package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;

/**
 * Straight-through binary Concrete (Jang, Gu and Poole, ICLR 2017, §2.2; Maddison, Mnih and Teh, ICLR 2017): a
 * {@link RelaxedBernoulli} draw y quantised to {@code 1[y > 1/2]} in the forward pass, with the gradient of y in the
 * backward pass, {@code 1[y > 1/2] + (y − sg(y))}. The forward value is an exact Bernoulli draw.
 *
 * <p>As in Pyro, {@link #logProb} of a value this distribution drew is the relaxed density of the unquantised soft
 * draw behind it ({@link #unquantized}); any other value is taken to be a point of (0, 1).
 */
public final class RelaxedBernoulliStraightThrough extends RelaxedStraightThrough<RelaxedBernoulli> {

    private RelaxedBernoulliStraightThrough(RelaxedBernoulli relaxed) {
        super(relaxed);
    }

    public static RelaxedBernoulliStraightThrough ofLogits(NDArray logits, double temperature) {
        return new RelaxedBernoulliStraightThrough(RelaxedBernoulli.ofLogits(logits, temperature));
    }

    public static RelaxedBernoulliStraightThrough ofLogits(NDArray logits, NDArray temperature) {
        return new RelaxedBernoulliStraightThrough(RelaxedBernoulli.ofLogits(logits, temperature));
    }

    public static RelaxedBernoulliStraightThrough ofProbs(NDArray probs, double temperature) {
        return new RelaxedBernoulliStraightThrough(RelaxedBernoulli.ofProbs(probs, temperature));
    }

    /** The relaxed distribution of the soft draws. */
    public RelaxedBernoulli relaxed() {
        return relaxed;
    }

    @Override
    NDArray quantize(NDArray y) {
        return y.gt(0.5).toType(y.getDataType(), false);
    }
}
