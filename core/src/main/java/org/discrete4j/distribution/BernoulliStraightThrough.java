package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;

/**
 * A {@link Bernoulli} whose {@link #rsample} is the straight-through estimator (Bengio, Léonard and Courville,
 * arXiv:1308.3432, 2013): the value is an exact 0/1 draw z, the gradient that of the probability,
 * {@code z + (p − sg(p))}.
 *
 * <p>With a temperature τ the backward pass uses {@code p = sigmoid(logits/τ)} while z is still drawn with
 * probability {@code sigmoid(logits)} (slope-annealed ST, Chung, Ahn and Bengio, ICLR 2017); τ = 1 is plain ST.
 * Everything but rsample is the Bernoulli's.
 */
public final class BernoulliStraightThrough extends DiscreteStraightThrough<Bernoulli> {

    private BernoulliStraightThrough(Bernoulli bernoulli, double temperature) {
        super(bernoulli, temperature);
    }

    /** Straight-through Bernoulli with {@code P(1) = sigmoid(logits)}, backward through the probability. */
    public static BernoulliStraightThrough ofLogits(NDArray logits) {
        return ofLogits(logits, 1.0);
    }

    /** As {@link #ofLogits(NDArray)}, backward through {@code sigmoid(logits/τ)}. */
    public static BernoulliStraightThrough ofLogits(NDArray logits, double temperature) {
        return new BernoulliStraightThrough(Bernoulli.ofLogits(logits), temperature);
    }

    public static BernoulliStraightThrough ofProbs(NDArray probs) {
        return new BernoulliStraightThrough(Bernoulli.ofProbs(probs), 1.0);
    }

    public NDArray logits() {
        return discrete.logits();
    }

    public NDArray probs() {
        return discrete.probs();
    }

    @Override
    NDArray soft(double temperature) {
        return temperature == 1.0 ? probs() : logits().div(ExpRelaxedOneHotCategorical.constant(logits(), temperature))
                .getNDArrayInternal().sigmoid();
    }
}
