package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.autograd.Scalars;

/**
 * Geometric distributions as in torch.distributions: the number of failures before the first success, with success
 * probability {@code p = sigmoid(logits)}, {@code P(k) = (1 − p)^k p} on {@code k = 0, 1, 2, ...}; values in the
 * logits' float dtype.
 *
 * <p>Everything is written in the logit so that it stays finite at logits of ±1e4: {@code log P(k) = k·logSigmoid(−l) +
 * logSigmoid(l)}, mean {@code (1 − p)/p = exp(−l)}. Draws invert the CDF {@code 1 − (1 − p)^{k+1}}; draws are clamped
 * at 2^63 (reached only for p below about 1e-18). The support is enumerated up to a cut-off leaving less than 1e-10 of
 * the mass.
 */
public final class Geometric extends BinaryLogits {

    private final Laws laws;

    private Geometric(NDArray logits) {
        super(Checks.finiteFloat(logits, "logits"));
        double[] l = InverseCdf.values(logits);
        this.laws = new Laws(l.length, i -> new Law(-InverseCdf.softplus(l[i]), Math.exp(-l[i])), "Geometric");
    }

    /** Geometric with success probability sigmoid(logits). */
    public static Geometric ofLogits(NDArray logits) {
        return new Geometric(logits);
    }

    /** Geometric with success probabilities in (0, 1] (1 is clamped by machine epsilon, as in Bernoulli). */
    public static Geometric ofProbs(NDArray probs) {
        Checks.probabilities(probs, "probs");
        if (probs.lte(0).any().getBoolean()) {
            throw new IllegalArgumentException("probs of a geometric distribution must be > 0 (p = 0 has no mass)");
        }
        return new Geometric(logit(Scalars.minimum(probs, 1 - Noise.eps(probs.getDataType()))));
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return laws.sample(logits, batchShape(), sampleShape);
    }

    @Override
    public NDArray logProb(NDArray value) {
        return Counts.logProb(value, batchShape(), logits.getDataType(), "Geometric.logProb", this::logPmf);
    }

    private NDArray logPmf(NDArray k) {
        return logFailure().mul(k).add(logSuccess());
    }

    /**
     * {@code H = −log p − log(1 − p)·(1 − p)/p = softplus(−l) + softplus(l)·exp(−l)}. The second term is
     * {@code log(1 + x)/x} with {@code x = e^l}, which tends to 1 as l → −∞ while its factors underflow and
     * overflow, so below l = −3 it is taken from its series {@code 1 − x/2 + x²/3 − x³/4} (error below x⁴/5 ≈ 1e-6).
     */
    @Override
    public NDArray entropy() {
        double cut = -3;
        NDArray direct = Scalars.maximum(logits, cut);
        NDArray directTerm = LogSpace.softplus(direct).mul(direct.neg().exp());
        NDArray x = Scalars.minimum(logits, cut).exp();
        NDArray series = Scalars.mul(x, -0.25).add(1.0 / 3).mul(x).sub(0.5).mul(x).add(1);
        NDArray term = NDArrays.where(logits.gt(cut), directTerm, series);
        return LogSpace.softplus(logits.neg()).add(term);
    }

    @Override
    public NDArray mean() {
        return logits.neg().exp();
    }

    @Override
    public NDArray enumerateSupport() {
        return Counts.range(logits, laws.cutoff());
    }

    @Override
    public double tailMass() {
        return laws.tailMass();
    }

    /** P(X > k) = (1 − p)^{k+1} = exp((k + 1)·log(1 − p)); {@code logQ = log(1 − p) = −softplus(l)}. */
    private record Law(double logQ, double mean) implements InverseCdf.Law {
        @Override
        public double cdf(double k) {
            return -Math.expm1((k + 1) * logQ);
        }

        @Override
        public double sf(double k) {
            return Math.exp((k + 1) * logQ);
        }

        @Override
        public double start() {
            return mean;
        }
    }
}
