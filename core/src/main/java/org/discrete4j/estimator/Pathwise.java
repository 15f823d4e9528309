package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;

/**
 * The surrogate of every estimator that differentiates f through a differentiable stand-in for the draw
 * (straight-through, Gumbel-softmax and their refinements): f at the stand-in, averaged over the draws.
 */
final class Pathwise {

    private Pathwise() {}

    /** f at the n draws {@code z} of shape {@code (n) + batch + event}, whose gradient flows back through z. */
    static Estimate estimate(NDArray z, Cost f, Distribution q) {
        NDArray cost = Surrogates.checkCost(f.apply(z), z.getShape().get(0), q);
        return new Estimate(cost.mean(new int[] {0}).sum(), cost.stopGradient());
    }

    /** Whether q is one of the two families the relaxed estimators are defined for. */
    static boolean relaxable(Distribution q) {
        return q instanceof Bernoulli || q instanceof OneHotCategorical;
    }

    /** The logits of a Bernoulli or one-hot categorical, or an exception naming the estimator that needs them. */
    static NDArray logits(Distribution q, String estimator) {
        if (q instanceof Bernoulli) {
            return ((Bernoulli) q).logits();
        }
        if (q instanceof OneHotCategorical) {
            return ((OneHotCategorical) q).logits();
        }
        throw new IllegalArgumentException(estimator + " applies to Bernoulli and OneHotCategorical distributions, got "
                + (q == null ? "null" : q.getClass().getSimpleName()));
    }
}
