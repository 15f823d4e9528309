package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.LogSpace;
import org.discrete4j.distribution.Noise;
import org.discrete4j.distribution.OneHotCategorical;

/**
 * The continuous noise behind a discrete draw and its conditional resampling, as REBAR and RELAX use them (Tucker,
 * Mnih, Maddison, Lawson and Sohl-Dickstein, "REBAR", NeurIPS 2017, §3 and its appendix for the categorical case;
 * Grathwohl, Choi, Wu, Roeder and Duvenaud, "Backpropagation through the Void", ICLR 2018, conditional
 * reparameterisation for discrete variables).
 *
 * <p>A draw is b = H(z) with z a reparameterised function of the logits θ and uniform noise; z̃ ~ p(z | b) is a
 * second, conditional reparameterisation of θ and fresh noise that keeps H(z̃) = b. Both are written in log space so
 * that they stay finite for logits up to ±1e4 in float32.
 */
abstract class ConditionalRelaxation {

    /**
     * One draw.
     *
     * @param z the unconditional noise, differentiable in θ
     * @param b the discrete value H(z), detached, in q's value format
     * @param zTilde z̃ ~ p(z | b), differentiable in θ
     * @param score ∇_θ log q(b), per element of θ's shape with the sample dimension in front, detached
     */
    record Draw(NDArray z, NDArray b, NDArray zTilde, NDArray score) {}

    private final NDArray logits;

    ConditionalRelaxation(NDArray logits) {
        this.logits = logits;
    }

    /** The relaxation for q, or null if there is none. */
    static ConditionalRelaxation of(Distribution q) {
        if (q instanceof Bernoulli) {
            return new OfBernoulli(((Bernoulli) q).logits());
        }
        if (q instanceof OneHotCategorical) {
            return new OfCategorical(((OneHotCategorical) q).logits());
        }
        return null;
    }

    /** q's logits, the parameters the estimate is for. */
    final NDArray logits() {
        return logits;
    }

    /** n draws from q with logits {@code theta} (a copy of {@link #logits()} that the caller differentiates). */
    abstract Draw draw(NDArray theta, long n);

    /** The continuous relaxation H(z) ≈ σ(z / λ) (sigmoid, or softmax over the classes). */
    abstract NDArray relax(NDArray z, NDArray temperature);

    /**
     * Bernoulli(σ(θ)): z = θ + logistic noise, b = 1[z > 0]. Given b, u = σ(z − θ) is uniform on (1 − p, 1) or on
     * (0, 1 − p), p = σ(θ), so with v uniform: u = 1 − p(1 − v) if b = 1 and u = (1 − p)v if b = 0.
     */
    private static final class OfBernoulli extends ConditionalRelaxation {

        OfBernoulli(NDArray logits) {
            super(logits);
        }

        @Override
        Draw draw(NDArray theta, long n) {
            Shape shape = new Shape(n).addAll(theta.getShape());
            NDArray z = theta.add(Noise.logistic(theta.getManager(), shape, theta.getDataType()));
            NDArray b = z.stopGradient().gt(0).toType(theta.getDataType(), false);
            NDArray v = Noise.uniform(theta.getManager(), shape, theta.getDataType());
            // z̃ = θ + log u − log(1 − u). For b = 1: 1 − u = p(1 − v) and u = (1 − p) + pv, so with θ − log p =
            // softplus(θ): z̃ = softplus(θ) − log(1 − v) + log((1 − p) + pv). For b = 0 the same holds with θ → −θ,
            // v → 1 − v and z̃ → −z̃ (the symmetry b ↔ 1 − b).
            NDArray one = above(theta, v);
            NDArray zero = above(theta.neg(), v.neg().add(1)).neg();
            NDArray zTilde = b.mul(one).add(b.neg().add(1).mul(zero));
            NDArray score = b.sub(theta.stopGradient().getNDArrayInternal().sigmoid());
            return new Draw(z, b, zTilde, score);
        }

        /** z̃ given b = 1: softplus(θ) − log(1 − v) + logaddexp(log(1 − p), log p + log v), always > 0. */
        private static NDArray above(NDArray theta, NDArray v) {
            NDArray logP = LogSpace.logSigmoid(theta);
            NDArray log1mP = LogSpace.logSigmoid(theta.neg());
            return LogSpace.softplus(theta).sub(v.neg().add(1).log()).add(logAddExp(log1mP, logP.add(v.log())));
        }

        @Override
        NDArray relax(NDArray z, NDArray temperature) {
            return z.div(temperature).getNDArrayInternal().sigmoid();
        }
    }

    /**
     * OneHotCategorical(softmax(θ)): z = log p + Gumbel noise, b = onehot(argmax z). Given b, the maximum z_b is a
     * standard Gumbel and each other z_k a Gumbel with location log p_k truncated below it; with E_k = −log v_k:
     * z̃_b = −log E_b and z̃_k = −log(E_k / p_k + E_b) (Tucker et al., appendix).
     */
    private static final class OfCategorical extends ConditionalRelaxation {

        OfCategorical(NDArray logits) {
            super(logits);
        }

        @Override
        Draw draw(NDArray theta, long n) {
            Shape shape = new Shape(n).addAll(theta.getShape());
            NDArray logP = theta.logSoftmax(-1);
            NDArray z = logP.add(Noise.gumbel(theta.getManager(), shape, theta.getDataType()));
            int k = (int) theta.getShape().get(theta.getShape().dimension() - 1);
            NDArray b = z.stopGradient().argMax(-1).oneHot(k).toType(theta.getDataType(), false);
            NDArray logE = Noise.uniform(theta.getManager(), shape, theta.getDataType()).log().neg().log();
            NDArray logEb = logE.mul(b).sum(new int[] {-1}, true);
            NDArray others = logAddExp(logE.sub(logP), logEb).neg();
            NDArray zTilde = b.mul(logEb.neg()).add(b.neg().add(1).mul(others));
            NDArray score = b.sub(theta.stopGradient().softmax(-1));
            return new Draw(z, b, zTilde, score);
        }

        @Override
        NDArray relax(NDArray z, NDArray temperature) {
            return z.div(temperature).softmax(-1);
        }
    }

    /** log(e^a + e^b), shifted by the larger argument so that exp never overflows. */
    static NDArray logAddExp(NDArray a, NDArray b) {
        NDArray m = a.maximum(b).stopGradient();
        return a.sub(m).exp().add(b.sub(m).exp()).log().add(m);
    }
}
