package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.Noise;

/**
 * What ARM and DisARM share: for independent z_v ~ Bernoulli(σ(θ_v)) and logistic noise ε, the antithetic pair
 * {@code b = 1[θ + ε > 0]} and {@code b̃ = 1[θ − ε > 0]} (each a draw from q), f evaluated at both as a black box,
 * and the gradient with respect to the logits {@code (f(b) − f(b̃))·w_v}, with a per-coordinate weight w that is
 * all the two estimators differ in. The gradient is injected into the logits; the surrogate's value is the mean
 * of the two costs, which also gives f's parameters the unbiased {@code ½(∇f(b) + ∇f(b̃))}.
 */
abstract class AntitheticBernoulli implements GradientEstimator {

    private final int pairs;

    AntitheticBernoulli(int pairs) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be >= 1, got " + pairs);
        }
        this.pairs = pairs;
    }

    /**
     * The weight w_v of each coordinate, shape {@code (pairs) + batchShape}.
     *
     * @param eps the logistic noise
     * @param theta the logits, detached
     */
    abstract NDArray weight(NDArray eps, NDArray theta, NDArray b, NDArray bTilde);

    @Override
    public final boolean unbiased() {
        return true;
    }

    @Override
    public final boolean supports(Distribution q) {
        return q instanceof Bernoulli;
    }

    @Override
    public final Estimate estimate(Distribution q, Cost f) {
        if (!(q instanceof Bernoulli)) {
            throw new IllegalArgumentException(name() + " applies to Bernoulli variables only (its antithetic pair "
                    + "is built from logistic noise on the logits), got " + q.getClass().getSimpleName());
        }
        NDArray logits = ((Bernoulli) q).logits();
        NDArray theta = logits.stopGradient();
        Shape shape = new Shape(pairs).addAll(q.batchShape());
        NDArray eps = Noise.logistic(theta.getManager(), shape, theta.getDataType());
        NDArray b = theta.add(eps).gt(0).toType(theta.getDataType(), false);
        NDArray bTilde = theta.sub(eps).gt(0).toType(theta.getDataType(), false);
        NDArray cost = Surrogates.checkCost(f.apply(NDArrays.concat(new NDList(b, bTilde))), 2L * pairs, q);
        NDArray diff = cost.get(new NDIndex("0:" + pairs)).sub(cost.get(new NDIndex(pairs + ":"))).stopGradient();
        // The cost has shape (pairs) + a prefix of the batch: broadcast it over the coordinates it reduced.
        NDArray g = Surrogates.expandTo(diff, shape.dimension()).mul(weight(eps, theta, b, bTilde))
                .mean(new int[] {0});
        NDArray surrogate = cost.mean(new int[] {0}).sum().add(Surrogates.inject(g, logits));
        return new Estimate(surrogate, cost.stopGradient());
    }
}
