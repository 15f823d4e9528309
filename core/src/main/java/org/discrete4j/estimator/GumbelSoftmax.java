package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.distribution.RelaxedBernoulli;
import org.discrete4j.distribution.RelaxedOneHotCategorical;

/**
 * Gumbel-softmax / Concrete (Jang, Gu and Poole, ICLR 2017, eq. 1; Maddison, Mnih and Teh, ICLR 2017): f is evaluated
 * at the relaxed draw {@code y = softmax((θ + G)/τ)} (binary Concrete {@code sigmoid((θ + Λ)/τ)} for a Bernoulli) and
 * differentiated by reparameterisation. It is an unbiased estimate of {@code ∇E[f(y)]}, which differs from
 * {@code ∇E[f(D)]}: the bias vanishes as τ → 0 while the variance grows (Jang et al. §2.1). The cost reported is f at
 * the relaxed points. Needs f defined and differentiable on the simplex (on (0, 1)).
 */
public final class GumbelSoftmax extends Pathwise {

    public GumbelSoftmax(double tau) {
        super(tau);
    }

    @Override
    public String name() {
        return "gumbel-softmax";
    }

    @Override
    NDArray bernoulli(Bernoulli q) {
        return RelaxedBernoulli.ofLogits(q.logits(), tau).rsample(new Shape(1));
    }

    @Override
    NDArray categorical(OneHotCategorical q) {
        return RelaxedOneHotCategorical.ofLogits(q.logits(), tau).rsample(new Shape(1));
    }
}
