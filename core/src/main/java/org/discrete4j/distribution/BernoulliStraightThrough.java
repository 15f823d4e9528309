package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link Bernoulli} whose {@link #rsample} is the straight-through estimator (Bengio, Léonard and Courville,
 * arXiv:1308.3432, 2013): the value is an exact 0/1 draw z, the gradient that of the probability,
 * {@code z + (p − sg(p))}.
 *
 * <p>With a temperature τ the backward pass uses {@code p = sigmoid(logits/τ)} while z is still drawn with
 * probability {@code sigmoid(logits)} (slope-annealed ST, Chung, Ahn and Bengio, ICLR 2017); τ = 1 is plain ST.
 * Everything but rsample is the Bernoulli's.
 */
public final class BernoulliStraightThrough implements Enumerable {

    private final Bernoulli bernoulli;
    private final double temperature;

    private BernoulliStraightThrough(Bernoulli bernoulli, double temperature) {
        this.bernoulli = bernoulli;
        this.temperature = Checks.temperature(temperature);
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
        return bernoulli.logits();
    }

    public NDArray probs() {
        return bernoulli.probs();
    }

    public double temperature() {
        return temperature;
    }

    @Override
    public Shape batchShape() {
        return bernoulli.batchShape();
    }

    @Override
    public Shape eventShape() {
        return bernoulli.eventShape();
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return bernoulli.sample(sampleShape);
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    @Override
    public NDArray rsample(Shape sampleShape) {
        NDArray hard = bernoulli.sample(sampleShape);
        NDArray soft = temperature == 1.0 ? probs() : logits().div(ExpRelaxedOneHotCategorical.constant(logits(), temperature))
                .getNDArrayInternal().sigmoid();
        return hard.add(soft.sub(soft.stopGradient()));
    }

    @Override
    public NDArray logProb(NDArray value) {
        return bernoulli.logProb(value);
    }

    @Override
    public NDArray entropy() {
        return bernoulli.entropy();
    }

    @Override
    public NDArray mean() {
        return bernoulli.mean();
    }

    @Override
    public NDArray enumerateSupport() {
        return bernoulli.enumerateSupport();
    }
}
