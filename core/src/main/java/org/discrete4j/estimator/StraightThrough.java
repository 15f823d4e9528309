package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.BernoulliStraightThrough;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.distribution.OneHotCategoricalStraightThrough;

/**
 * Straight-through (Bengio, Léonard and Courville, arXiv:1308.3432, 2013): f is evaluated at an exact draw D and
 * differentiated as if D were its probabilities, {@code ∇ ≈ ∂f/∂D · ∂π/∂θ}, a first-order (forward Euler)
 * approximation of the gradient (Liu et al., NeurIPS 2023, §3). Biased; needs f differentiable in z.
 *
 * <p>τ = 1 backpropagates through {@code π = softmax(θ)} (or {@code sigmoid(θ)}); another τ through
 * {@code softmax(θ/τ)}, the tempered ST of Liu et al. (Algorithm 1). See
 * {@link OneHotCategoricalStraightThrough} and {@link BernoulliStraightThrough}.
 */
public final class StraightThrough extends Pathwise {

    public StraightThrough(double tau) {
        super(tau);
    }

    @Override
    public String name() {
        return "st";
    }

    @Override
    NDArray bernoulli(Bernoulli q) {
        return BernoulliStraightThrough.ofLogits(q.logits(), tau).rsample(new Shape(1));
    }

    @Override
    NDArray categorical(OneHotCategorical q) {
        return OneHotCategoricalStraightThrough.ofLogits(q.logits(), tau).rsample(new Shape(1));
    }
}
