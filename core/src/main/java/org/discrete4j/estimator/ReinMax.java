package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Checks;
import org.discrete4j.distribution.Distribution;

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
public final class ReinMax implements GradientEstimator {

    private final double tau;

    public ReinMax(double tau) {
        this.tau = Checks.temperature(tau);
    }

    @Override
    public String name() {
        return "reinmax";
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
        NDArray theta = Pathwise.logits(q, name());
        NDArray d = q.sample(new Shape(1));
        if (q instanceof Bernoulli) {
            NDArray pi2 = pi2(NDArrays.stack(new NDList(theta.zerosLike(), theta), -1),
                    NDArrays.stack(new NDList(d.neg().add(1), d), -1)).get("..., 1");
            return Pathwise.estimate(d.add(pi2.sub(pi2.stopGradient())), f, q);
        }
        NDArray pi2 = pi2(theta, d);
        return Pathwise.estimate(d.add(pi2.sub(pi2.stopGradient())), f, q);
    }

    /** π2 of Algorithm 2, carrying the ReinMax gradient; {@code theta} is {@code batch + (C)}, d one-hot. */
    private NDArray pi2(NDArray theta, NDArray d) {
        NDArray pi0 = theta.softmax(-1);
        NDArray pi1 = d.add(theta.stopGradient().div(tau).softmax(-1)).div(2);
        double floor = pi1.getDataType() == DataType.FLOAT64 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
        NDArray logPi1 = pi1.clip(floor, 1).log();
        pi1 = logPi1.sub(theta).stopGradient().add(theta).softmax(-1);
        return pi1.mul(2).sub(pi0.div(2));
    }
}
