package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link OneHotCategorical} whose {@link #rsample} is the straight-through estimator (Bengio, Léonard and
 * Courville, "Estimating or Propagating Gradients Through Stochastic Neurons", arXiv:1308.3432, 2013): the value is an
 * exact one-hot draw D, the gradient that of the class probabilities, {@code D + (π − sg(π))}.
 *
 * <p>With a temperature τ the backward pass uses {@code π = softmax(logits/τ)} while D is still drawn from
 * {@code softmax(logits)}: the tempered straight-through of Liu et al. (NeurIPS 2023, Algorithm 1) and the
 * slope-annealed ST of Chung, Ahn and Bengio (ICLR 2017); τ = 1 is plain ST. Everything but rsample is the
 * categorical's.
 */
public final class OneHotCategoricalStraightThrough implements Enumerable {

    private final OneHotCategorical categorical;
    private final double temperature;

    private OneHotCategoricalStraightThrough(OneHotCategorical categorical, double temperature) {
        this.categorical = categorical;
        this.temperature = Checks.temperature(temperature);
    }

    /** Straight-through one-hot categorical with {@code P(k) = softmax(logits)_k}, backward through the probs. */
    public static OneHotCategoricalStraightThrough ofLogits(NDArray logits) {
        return ofLogits(logits, 1.0);
    }

    /** As {@link #ofLogits(NDArray)}, backward through {@code softmax(logits/τ)}. */
    public static OneHotCategoricalStraightThrough ofLogits(NDArray logits, double temperature) {
        return new OneHotCategoricalStraightThrough(OneHotCategorical.ofLogits(logits), temperature);
    }

    public static OneHotCategoricalStraightThrough ofProbs(NDArray probs) {
        return new OneHotCategoricalStraightThrough(OneHotCategorical.ofProbs(probs), 1.0);
    }

    public NDArray logits() {
        return categorical.logits();
    }

    public NDArray probs() {
        return categorical.probs();
    }

    public double temperature() {
        return temperature;
    }

    public int numClasses() {
        return categorical.numClasses();
    }

    @Override
    public Shape batchShape() {
        return categorical.batchShape();
    }

    @Override
    public Shape eventShape() {
        return categorical.eventShape();
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return categorical.sample(sampleShape);
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    @Override
    public NDArray rsample(Shape sampleShape) {
        NDArray hard = categorical.sample(sampleShape);
        NDArray soft = temperature == 1.0 ? probs() : logits().div(temperature).softmax(-1);
        return hard.add(soft.sub(soft.stopGradient()));
    }

    @Override
    public NDArray logProb(NDArray value) {
        return categorical.logProb(value);
    }

    @Override
    public NDArray entropy() {
        return categorical.entropy();
    }

    @Override
    public NDArray mean() {
        return categorical.mean();
    }

    @Override
    public NDArray enumerateSupport() {
        return categorical.enumerateSupport();
    }
}
