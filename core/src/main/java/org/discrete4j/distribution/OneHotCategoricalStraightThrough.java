package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import org.discrete4j.autograd.Scalars;

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
public final class OneHotCategoricalStraightThrough extends DiscreteStraightThrough<OneHotCategorical> {

    private OneHotCategoricalStraightThrough(OneHotCategorical categorical, double temperature) {
        super(categorical, temperature);
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
        return discrete.logits();
    }

    public NDArray probs() {
        return discrete.probs();
    }

    public int numClasses() {
        return discrete.numClasses();
    }

    @Override
    NDArray soft(double temperature) {
        return temperature == 1.0 ? probs() : Scalars.div(logits(), temperature).softmax(-1);
    }
}
