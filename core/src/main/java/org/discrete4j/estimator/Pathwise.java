package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Checks;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;

/**
 * What the estimators that differentiate f through a differentiable stand-in for a draw of a Bernoulli or one-hot
 * categorical share (straight-through, Gumbel-softmax and their refinements): a temperature τ, the two families,
 * and the surrogate, f at the stand-in averaged over the draws. Each is biased; they differ only in the stand-in.
 */
abstract class Pathwise implements GradientEstimator {

    final double tau;

    Pathwise(double tau) {
        this.tau = Checks.temperature(tau);
    }

    /** One stand-in draw for a Bernoulli, shape {@code (1) + batch}, differentiable in its logits. */
    abstract NDArray bernoulli(Bernoulli q);

    /** One stand-in draw for a one-hot categorical, shape {@code (1) + batch + (C)}, differentiable in its logits. */
    abstract NDArray categorical(OneHotCategorical q);

    @Override
    public final boolean unbiased() {
        return false;
    }

    @Override
    public final boolean supports(Distribution q) {
        return q instanceof Bernoulli || q instanceof OneHotCategorical;
    }

    @Override
    public final Estimate estimate(Distribution q, Cost f) {
        if (q instanceof Bernoulli) {
            return surrogate(bernoulli((Bernoulli) q), f, q);
        }
        if (q instanceof OneHotCategorical) {
            return surrogate(categorical((OneHotCategorical) q), f, q);
        }
        throw new IllegalArgumentException(name() + " applies to Bernoulli and OneHotCategorical distributions, got "
                + (q == null ? "null" : q.getClass().getSimpleName()));
    }

    /** f at the n draws {@code z} of shape {@code (n) + batch + event}, whose gradient flows back through z. */
    static Estimate surrogate(NDArray z, Cost f, Distribution q) {
        NDArray cost = Surrogates.checkCost(f.apply(z), z.getShape().get(0), q);
        return new Estimate(cost.mean(new int[] {0}).sum(), cost.stopGradient());
    }

    /** The value d forward and the gradient of s backward: {@code d + (s − sg(s))}. */
    static NDArray straightThrough(NDArray d, NDArray s) {
        return d.add(s.sub(s.stopGradient()));
    }

    /** A Bernoulli's logits θ as the logits {@code (0, θ)} of the two-class categorical, in a last dimension. */
    static NDArray twoClassLogits(NDArray theta) {
        return NDArrays.stack(new NDList(theta.zerosLike(), theta), -1);
    }

    /** A Bernoulli draw b as the one-hot draw {@code (1 − b, b)} of the two-class categorical, in a last dimension. */
    static NDArray twoClassOneHot(NDArray b) {
        return NDArrays.stack(new NDList(b.neg().add(1), b), -1);
    }
}
