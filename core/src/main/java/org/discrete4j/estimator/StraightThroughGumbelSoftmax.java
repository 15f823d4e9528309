package org.discrete4j.estimator;

import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Checks;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.RelaxedBernoulliStraightThrough;
import org.discrete4j.distribution.RelaxedOneHotCategoricalStraightThrough;

/**
 * Straight-through Gumbel-softmax (Jang, Gu and Poole, ICLR 2017, §2.2): f is evaluated at the exact draw
 * {@code D = one_hot(argmax y)} of a Gumbel-softmax draw y and differentiated through y, {@code D + (y − sg(y))};
 * for a Bernoulli, {@code 1[y > 1/2]} of a binary Concrete draw. Biased; the cost reported is f at D. See
 * {@link RelaxedOneHotCategoricalStraightThrough}, {@link RelaxedBernoulliStraightThrough}; {@link GumbelRao} reduces
 * its variance without changing its mean.
 */
public final class StraightThroughGumbelSoftmax implements GradientEstimator {

    private final double tau;

    public StraightThroughGumbelSoftmax(double tau) {
        this.tau = Checks.temperature(tau);
    }

    @Override
    public String name() {
        return "st-gumbel-softmax";
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
        Distribution st = q instanceof Bernoulli
                ? RelaxedBernoulliStraightThrough.ofLogits(Pathwise.logits(q, name()), tau)
                : RelaxedOneHotCategoricalStraightThrough.ofLogits(Pathwise.logits(q, name()), tau);
        return Pathwise.estimate(st.rsample(new Shape(1)), f, q);
    }
}
