package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.distribution.RelaxedBernoulliStraightThrough;
import org.discrete4j.distribution.RelaxedOneHotCategoricalStraightThrough;

/**
 * Straight-through Gumbel-softmax (Jang, Gu and Poole, ICLR 2017, §2.2): f is evaluated at the exact draw
 * {@code D = one_hot(argmax y)} of a Gumbel-softmax draw y and differentiated through y, {@code D + (y − sg(y))};
 * for a Bernoulli, {@code 1[y > 1/2]} of a binary Concrete draw. Biased; the cost reported is f at D. See
 * {@link RelaxedOneHotCategoricalStraightThrough}, {@link RelaxedBernoulliStraightThrough}; {@link GumbelRao} reduces
 * its variance without changing its mean.
 */
public final class StraightThroughGumbelSoftmax extends Pathwise {

    public StraightThroughGumbelSoftmax(double tau) {
        super(tau);
    }

    @Override
    public String name() {
        return "st-gumbel-softmax";
    }

    @Override
    NDArray bernoulli(Bernoulli q) {
        return RelaxedBernoulliStraightThrough.ofLogits(q.logits(), tau).rsample(new Shape(1));
    }

    @Override
    NDArray categorical(OneHotCategorical q) {
        return RelaxedOneHotCategoricalStraightThrough.ofLogits(q.logits(), tau).rsample(new Shape(1));
    }
}
