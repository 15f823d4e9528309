package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.numbers.gamma.RegularizedBeta;
import org.discrete4j.autograd.Scalars;

/**
 * Negative binomial distributions as in torch.distributions: the number of successes, each with probability
 * {@code p = sigmoid(logits)}, before {@code r} failures, {@code P(k) = C(k + r − 1, k) p^k (1 − p)^r} on
 * {@code k = 0, 1, 2, ...}, for a real total count {@code r > 0}; values in the logits' float dtype.
 *
 * <p>{@link #logProb} is {@code lgamma(k + r) − lgamma(k + 1) − lgamma(r) + k·logSigmoid(l) + r·logSigmoid(−l)},
 * differentiable in the logits (and in r if it is an array that requires gradients). The mean is
 * {@code r·exp(l)}. Draws invert the CDF (a regularized incomplete beta function) exactly. The support is
 * enumerated up to a cut-off leaving less than 1e-10 of the mass.
 */
public final class NegativeBinomial extends BinaryLogits {

    private final NDArray totalCount;
    private final Laws laws;

    private NegativeBinomial(NDArray totalCount, NDArray logits) {
        super(logits);
        this.totalCount = totalCount;
        double[] r = InverseCdf.values(totalCount);
        double[] l = InverseCdf.values(logits);
        this.laws = new Laws(l.length, i -> new Law(r[i], InverseCdf.sigmoid(l[i]), InverseCdf.sigmoid(-l[i])),
                "NegativeBinomial");
    }

    /** Negative binomial with total count {@code r > 0} for every batch element and success logits. */
    public static NegativeBinomial ofLogits(double totalCount, NDArray logits) {
        Checks.finiteFloat(logits, "logits");
        return new NegativeBinomial(fill(totalCount, logits), logits);
    }

    /** Negative binomial with per-element total counts (an array of the logits' shape, every entry > 0). */
    public static NegativeBinomial ofLogits(NDArray totalCount, NDArray logits) {
        Checks.finiteFloat(logits, "logits");
        return new NegativeBinomial(checkTotal(totalCount, logits), logits);
    }

    /** Negative binomial with success probabilities in [0, 1) (0 is clamped by machine epsilon). */
    public static NegativeBinomial ofProbs(double totalCount, NDArray probs) {
        NDArray logits = logitsOf(probs);
        return new NegativeBinomial(fill(totalCount, logits), logits);
    }

    /** Negative binomial with per-element total counts and success probabilities in [0, 1). */
    public static NegativeBinomial ofProbs(NDArray totalCount, NDArray probs) {
        NDArray logits = logitsOf(probs);
        return new NegativeBinomial(checkTotal(totalCount, logits), logits);
    }

    private static NDArray logitsOf(NDArray probs) {
        Checks.probabilities(probs, "probs");
        if (probs.gte(1).any().getBoolean()) {
            throw new IllegalArgumentException("probs of a negative binomial must be < 1 (p = 1 has no mass)");
        }
        double e = Noise.eps(probs.getDataType());
        return logit(Scalars.maximum(probs, e));
    }

    private static NDArray fill(double totalCount, NDArray logits) {
        if (!(totalCount > 0) || Double.isInfinite(totalCount)) {
            throw new IllegalArgumentException("totalCount must be finite and > 0, got " + totalCount);
        }
        return logits.zerosLike().add(totalCount);
    }

    private static NDArray checkTotal(NDArray totalCount, NDArray logits) {
        Checks.finiteFloat(totalCount, "totalCount");
        if (!totalCount.getShape().equals(logits.getShape())) {
            throw new IllegalArgumentException("totalCount of shape " + totalCount.getShape()
                    + " does not match the shape of the logits " + logits.getShape());
        }
        if (totalCount.getDataType() != logits.getDataType()) {
            throw new IllegalArgumentException("totalCount must have the logits' dtype " + logits.getDataType()
                    + ", got " + totalCount.getDataType());
        }
        if (totalCount.lte(0).any().getBoolean()) {
            throw new IllegalArgumentException("totalCount must be > 0");
        }
        return totalCount;
    }

    public NDArray totalCount() {
        return totalCount;
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return laws.sample(logits, batchShape(), sampleShape);
    }

    @Override
    public NDArray logProb(NDArray value) {
        return Counts.logProb(value, batchShape(), logits.getDataType(), "NegativeBinomial.logProb", this::logPmf);
    }

    private NDArray logPmf(NDArray k) {
        return k.add(totalCount).gammaln().sub(k.add(1).gammaln()).sub(totalCount.gammaln())
                .add(logSuccess().mul(k)).add(logFailure().mul(totalCount));
    }

    /** The entropy by summing {@code −p log p} over the enumerated support; the tail left out is below 1e-10. */
    @Override
    public NDArray entropy() {
        return Counts.entropy(logPmf(Counts.rangeOverBatch(logits, laws.cutoff(), batchShape())));
    }

    @Override
    public NDArray mean() {
        return logits.exp().mul(totalCount);
    }

    @Override
    public NDArray enumerateSupport() {
        return Counts.range(logits, laws.cutoff());
    }

    @Override
    public double tailMass() {
        return laws.tailMass();
    }

    /** P(X ≤ k) = I_{1−p}(r, k + 1) and P(X > k) = I_p(k + 1, r), regularized incomplete beta functions. */
    private record Law(double r, double p, double q) implements InverseCdf.Law {
        @Override
        public double cdf(double k) {
            return RegularizedBeta.value(q, r, k + 1);
        }

        @Override
        public double sf(double k) {
            return RegularizedBeta.value(p, k + 1, r);
        }

        @Override
        public double start() {
            return r * p / q;
        }
    }
}
