package org.discrete4j.estimator;

import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Checks;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.RelaxedBernoulli;
import org.discrete4j.distribution.RelaxedOneHotCategorical;

/**
 * Gumbel-softmax / Concrete (Jang, Gu and Poole, ICLR 2017, eq. 1; Maddison, Mnih and Teh, ICLR 2017): f is evaluated
 * at the relaxed draw {@code y = softmax((θ + G)/τ)} (binary Concrete {@code sigmoid((θ + Λ)/τ)} for a Bernoulli) and
 * differentiated by reparameterisation. It is an unbiased estimate of {@code ∇E[f(y)]}, which differs from
 * {@code ∇E[f(D)]}: the bias vanishes as τ → 0 while the variance grows (Jang et al. §2.1). The cost reported is f at
 * the relaxed points. Needs f defined and differentiable on the simplex (on (0, 1)).
 */
public final class GumbelSoftmax implements GradientEstimator {

    private final double tau;

    public GumbelSoftmax(double tau) {
        this.tau = Checks.temperature(tau);
    }

    @Override
    public String name() {
        return "gumbel-softmax";
    }

    @Override
    public boolean unbiased() {
        return false;
    }

    @Override
    public boolean supports(Distribution q) {
        return Pathwise.relaxable(q);
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        Distribution relaxed = q instanceof Bernoulli
                ? RelaxedBernoulli.ofLogits(Pathwise.logits(q, name()), tau)
                : RelaxedOneHotCategorical.ofLogits(Pathwise.logits(q, name()), tau);
        return Pathwise.estimate(relaxed.rsample(new Shape(1)), f, q);
    }
}
