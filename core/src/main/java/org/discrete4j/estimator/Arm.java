package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;

/**
 * ARM (Yin and Zhou, "ARM: Augment-REINFORCE-merge gradient for stochastic binary networks", ICLR 2019, Theorem 1
 * in its multivariate form): for z_v ~ Bernoulli(σ(θ_v)) independent and one uniform vector u,
 *
 * <pre>∇_θ E[f(z)] = E_u[(f(1[u > σ(−θ)]) − f(1[u < σ(θ)])) (u − ½)].</pre>
 *
 * <p>With ε = logit(u), {@code 1[u > σ(−θ)] = 1[θ + ε > 0]} and {@code 1[u < σ(θ)] = 1[θ − ε > 0]}: the pair
 * of {@link AntitheticBernoulli}, with weight {@code σ(ε) − ½ = u − ½}. Bernoulli only; unbiased; two evaluations
 * of f per pair, averaged over {@code pairs} independent pairs.
 */
public final class Arm extends AntitheticBernoulli {

    public Arm(int pairs) {
        super(pairs);
    }

    @Override
    public String name() {
        return "arm";
    }

    @Override
    NDArray weight(NDArray eps, NDArray theta, NDArray b, NDArray bTilde) {
        return eps.getNDArrayInternal().sigmoid().sub(0.5);
    }
}
