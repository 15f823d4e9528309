package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import org.discrete4j.autograd.Scalars;

/**
 * DisARM (Dong, Mnih and Tucker, "DisARM: An antithetic gradient estimator for binary latent variables", NeurIPS
 * 2020, its multivariate estimator): ARM with u integrated out given the pair (b, b̃), which can only lower
 * the variance. For each coordinate v,
 *
 * <pre>g_v = ½ (f(b) − f(b̃)) (−1)^{b̃_v} 1[b_v ≠ b̃_v] σ(|θ_v|),</pre>
 *
 * with b = 1[θ + ε > 0], b̃ = 1[θ − ε > 0], ε logistic (see {@link AntitheticBernoulli}). A coordinate whose two
 * draws agree gets no gradient from this pair. Bernoulli only; unbiased.
 */
public final class DisArm extends AntitheticBernoulli {

    public DisArm(int pairs) {
        super(pairs);
    }

    @Override
    public String name() {
        return "disarm";
    }

    @Override
    NDArray weight(NDArray eps, NDArray theta, NDArray b, NDArray bTilde) {
        // (−1)^{b̃}·1[b ≠ b̃] = b − b̃ for 0/1 values: +1 when (b, b̃) = (1, 0), −1 when (0, 1), else 0.
        NDArray sign = b.sub(bTilde);
        return Scalars.mul(sign.mul(theta.abs().getNDArrayInternal().sigmoid()), 0.5); // not mul(0.5): see Scalars
    }
}
