package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.OneHotCategorical;

/**
 * ReinMax (Liu, Dong, Liu, Yu and Gao, "Bridging Discrete and Backpropagation: Straight-Through and Beyond", NeurIPS
 * 2023, Algorithm 2): the forward value is a plain draw {@code D ~ π0 = softmax(θ)}, as in straight-through; the
 * backward pass replaces ST's forward-Euler approximation of {@code f(I_i) − f(I_j)} by Heun's method, which is
 * second-order accurate and needs no Hessian:
 * <pre>
 *   π1 = (D + softmax(θ/τ))/2,   π1 ← softmax(sg(log π1 − θ) + θ),   π2 = 2π1 − π0/2,   output D + (π2 − sg(π2)),
 * </pre>
 * so the gradient is {@code 2 J(π1)ᵀ ∂f/∂D − ½ J(π0)ᵀ ∂f/∂D} with {@code J(π) = diag(π) − ππᵀ} the softmax Jacobian
 * at π. At τ = 1 its expectation is the exact gradient whenever f is quadratic in D (Heun's method is exact for
 * quadratics); otherwise it is biased. The paper recommends τ ≥ 1.
 *
 * <p>A Bernoulli is the two-class categorical with logits (0, θ). Classes whose {@code softmax(θ/τ)} underflows have
 * {@code π1 = 0}; π1 is clamped at the smallest normal number before its logarithm, which changes the gradient by
 * terms of that size only.
 */
public final class ReinMax extends Pathwise {

    public ReinMax(double tau) {
        super(tau);
    }

    @Override
    public String name() {
        return "reinmax";
    }

    @Override
    NDArray bernoulli(Bernoulli q) {
        NDArray theta = q.logits();
        NDArray d = q.sample(new Shape(1));
        return straightThrough(d, pi2(twoClassLogits(theta), twoClassOneHot(d)).get("..., 1"));
    }

    @Override
    NDArray categorical(OneHotCategorical q) {
        NDArray theta = q.logits();
        NDArray d = q.sample(new Shape(1));
        return straightThrough(d, pi2(theta, d));
    }

    /** π2 of Algorithm 2, carrying the ReinMax gradient; {@code theta} is {@code batch + (C)}, d one-hot. */
    private NDArray pi2(NDArray theta, NDArray d) {
        NDArray pi0 = theta.softmax(-1);
        NDArray pi1 = d.add(theta.stopGradient().div(tau).softmax(-1)).div(2);
        double floor = pi1.getDataType() == DataType.FLOAT64 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
        NDArray logPi1 = pi1.clip(floor, 1).log();
        pi1 = logPi1.sub(theta).stopGradient().add(theta).softmax(-1);
        return Scalars.mul(pi1, 2).sub(Scalars.div(pi0, 2));
    }
}
