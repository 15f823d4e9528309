package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.numbers.gamma.RegularizedBeta;

/**
 * Binomial distributions: the number of successes in n independent trials with success probability
 * {@code p = sigmoid(logits)}, {@code P(k) = C(n, k) p^k (1 − p)^{n−k}} on {@code 0..n}; values in the logits'
 * float dtype. The number of trials is one integer for the whole batch or an array of the logits' shape.
 *
 * <p>{@link #logProb} uses {@code log p = logSigmoid(l)} and {@code log(1 − p) = logSigmoid(−l)}, so it is exact
 * and finite at logits of ±1e4. Draws invert the CDF (the regularized incomplete beta function) exactly.
 */
public final class Binomial extends BinaryLogits {

    private final NDArray totalCount;
    private final double[] n;
    private final Laws laws;

    private Binomial(NDArray totalCount, NDArray logits) {
        super(logits);
        this.totalCount = totalCount;
        double[] n = InverseCdf.values(totalCount);
        double[] l = InverseCdf.values(logits);
        this.n = n;
        this.laws = new Laws(n.length, i -> new Law(n[i], InverseCdf.sigmoid(l[i]), InverseCdf.sigmoid(-l[i])),
                "Binomial");
    }

    /** Binomial with {@code trials} trials for every batch element and success probability sigmoid(logits). */
    public static Binomial ofLogits(int trials, NDArray logits) {
        Checks.finiteFloat(logits, "logits");
        return new Binomial(fill(trials, logits), logits);
    }

    /** Binomial with per-element numbers of trials (an integer-valued array of the logits' shape). */
    public static Binomial ofLogits(NDArray trials, NDArray logits) {
        Checks.finiteFloat(logits, "logits");
        return new Binomial(checkTrials(trials, logits), logits);
    }

    /** Binomial with success probabilities in [0, 1]; 0 and 1 are clamped by machine epsilon, as in Bernoulli. */
    public static Binomial ofProbs(int trials, NDArray probs) {
        NDArray logits = clampedLogits(probs);
        return new Binomial(fill(trials, logits), logits);
    }

    /** Binomial with per-element numbers of trials and success probabilities in [0, 1]. */
    public static Binomial ofProbs(NDArray trials, NDArray probs) {
        NDArray logits = clampedLogits(probs);
        return new Binomial(checkTrials(trials, logits), logits);
    }

    private static NDArray fill(int trials, NDArray logits) {
        if (trials < 0) {
            throw new IllegalArgumentException("trials must be >= 0, got " + trials);
        }
        return logits.zerosLike().add(trials);
    }

    private static NDArray checkTrials(NDArray trials, NDArray logits) {
        if (trials == null) {
            throw new IllegalArgumentException("trials must not be null");
        }
        if (!trials.getShape().equals(logits.getShape())) {
            throw new IllegalArgumentException("trials of shape " + trials.getShape()
                    + " does not match the shape of the logits " + logits.getShape());
        }
        NDArray t = trials.getDataType().isFloating() ? Checks.finiteFloat(trials, "trials")
                : trials.toType(logits.getDataType(), false);
        if (t.lt(0).any().getBoolean() || t.floor().neq(t).any().getBoolean()) {
            throw new IllegalArgumentException("trials must be integers >= 0");
        }
        return t.toType(logits.getDataType(), false);
    }

    /** The numbers of trials, in the logits' dtype and shape. */
    public NDArray totalCount() {
        return totalCount;
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return laws.sample(logits, batchShape(), sampleShape);
    }

    @Override
    public NDArray logProb(NDArray value) {
        NDArray k = Counts.values(value, batchShape(), logits.getDataType(), "Binomial.logProb");
        NDArray in = Counts.isCount(k).logicalAnd(k.lte(totalCount));
        return Counts.mask(in, logPmf(Counts.safe(k, in)));
    }

    /** The log-pmf at counts {@code 0 ≤ k ≤ n} (no support check). */
    private NDArray logPmf(NDArray k) {
        NDArray nk = totalCount.sub(k);
        return totalCount.add(1).gammaln().sub(k.add(1).gammaln()).sub(nk.add(1).gammaln())
                .add(logSuccess().mul(k)).add(logFailure().mul(nk));
    }

    /** The entropy, summed exactly over the finite support. */
    @Override
    public NDArray entropy() {
        NDArray k = Counts.rangeOverBatch(logits, maxTrials(), batchShape());
        NDArray in = k.lte(totalCount);
        NDArray lp = logPmf(Counts.safe(k, in));
        NDArray terms = lp.exp().mul(lp);
        return NDArrays.where(in, terms, terms.zerosLike()).sum(new int[] {0}).neg();
    }

    @Override
    public NDArray mean() {
        return probs().mul(totalCount);
    }

    /** The values {@code 0..max n}; values above an element's own n have log-probability -inf. */
    @Override
    public NDArray enumerateSupport() {
        return Counts.range(logits, maxTrials());
    }

    private long maxTrials() {
        double m = 0;
        for (double v : n) {
            m = Math.max(m, v);
        }
        if (m >= InverseCdf.MAX_SUPPORT) {
            throw new IllegalArgumentException("Binomial: enumerating " + (long) m + " trials exceeds the limit "
                    + InverseCdf.MAX_SUPPORT);
        }
        return (long) m;
    }

    /** P(X ≤ k) = I_{1−p}(n − k, k + 1) and P(X > k) = I_p(k + 1, n − k), regularized incomplete beta functions. */
    private record Law(double n, double p, double q) implements InverseCdf.Law {
        @Override
        public double cdf(double k) {
            return k >= n ? 1 : RegularizedBeta.value(q, n - k, k + 1);
        }

        @Override
        public double sf(double k) {
            return k >= n ? 0 : RegularizedBeta.value(p, k + 1, n - k);
        }

        @Override
        public double start() {
            return n * p;
        }

        @Override
        public double max() {
            return n;
        }
    }
}
