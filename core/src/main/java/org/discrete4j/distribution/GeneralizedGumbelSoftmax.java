package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.autograd.Scalars;

/**
 * The generalized Gumbel-softmax relaxation of a count distribution (Joo, Kim, Shin, Moon, "Generalized
 * Gumbel-Softmax Gradient Estimator for Generic Discrete Random Variables", arXiv:2003.01847, 2020): truncate the
 * support to {@code c = (0, 1, ..., n−1)}, relax the truncated categorical with the Gumbel-softmax, and map the
 * relaxed one-hot {@code w} back to a value by the linear map {@code z = Σ_k w_k c_k}. As τ → 0, z becomes a draw
 * of the truncated distribution; z is differentiable in the base distribution's parameters through its log-pmf.
 *
 * <p>Truncation (the paper's Sec. 3): {@code π_k = p(k)} for {@code k < n−1} and the remaining mass {@code 1 −
 * Σ_{k<n−1} π_k} on the last category. That remainder is computed as the tail sum {@code Σ_{k ≥ n−1} p(k)} by
 * log-sum-exp over the base's enumerated support (which leaves out less than 1e-10), so it keeps its precision when it
 * is tiny instead of cancelling in {@code 1 − Σ}. Log-probabilities are floored at the log of the smallest normal
 * number of the dtype (about −87 in float32), so categories without mass (a binomial count above n, a remainder that
 * underflows) get a negligible mass instead of −∞, and no gradient can be NaN. When the base's support is too long to
 * enumerate (a mean beyond ~1e7), a fixed level uses the paper's {@code log(1 − Σ_{k<n−1} π_k)} directly, which is then
 * accurate because the remainder is far from 0. The level n is fixed or the smallest n whose CDF {@code P(X ≤ n−1)}
 * reaches a cut-off η, over the batch, and at least 2.
 *
 * <p>The base must be an {@link Enumerable} with scalar events whose support is the counts 0, 1, 2, ...
 * ({@link Poisson}, {@link Binomial}, {@link NegativeBinomial}, {@link Geometric}).
 */
public final class GeneralizedGumbelSoftmax implements Distribution {

    /**
     * How the support is truncated: at a fixed level {@code n} (values 0..n−1), or at the smallest n whose
     * cumulative mass reaches {@code eta}. Exactly one of the two is set (the other is 0).
     */
    public record Truncation(int level, double mass) {

        public Truncation {
            if ((level == 0) == (mass == 0)) {
                throw new IllegalArgumentException("truncation needs exactly one of a level or a mass");
            }
            if (level != 0 && level < 2) {
                throw new IllegalArgumentException("truncation level must be >= 2, got " + level);
            }
            if (level == 0 && !(mass > 0 && mass < 1)) {
                throw new IllegalArgumentException("truncation mass must lie in (0, 1), got " + mass);
            }
        }

        /** Values {@code 0..n−1}. */
        public static Truncation fixed(int n) {
            return new Truncation(n, 0);
        }

        /** The smallest {@code n} with {@code P(X ≤ n−1) ≥ eta} for every batch element. */
        public static Truncation cumulative(double eta) {
            return new Truncation(0, eta);
        }
    }

    private final Enumerable base;
    private final double tau;
    private final boolean straightThrough;
    private final int n;
    private final NDArray logProbs;

    /**
     * @param base the count distribution to relax
     * @param truncation where to cut its support
     * @param tau the temperature τ &gt; 0
     * @param straightThrough whether {@link #rsample} returns the value of the argmax category in the forward pass
     *     (with the relaxed value's gradient)
     */
    public GeneralizedGumbelSoftmax(Enumerable base, Truncation truncation, double tau, boolean straightThrough) {
        if (base == null || truncation == null) {
            throw new IllegalArgumentException("base distribution and truncation must not be null");
        }
        if (base.eventShape().dimension() != 0) {
            throw new IllegalArgumentException("the generalized Gumbel-softmax needs scalar counts, got event shape "
                    + base.eventShape());
        }
        this.base = base;
        this.tau = Checks.temperature(tau);
        this.straightThrough = straightThrough;
        NDArray support;
        try {
            support = base.enumerateSupport();
        } catch (IllegalArgumentException tooLong) {
            if (truncation.level() == 0) {
                throw new IllegalArgumentException("a cumulative-mass truncation needs the support enumerated: "
                        + tooLong.getMessage(), tooLong);
            }
            support = null; // a mean beyond ~1e7: the remainder is far from 0, and 1 − Σ is accurate
        }
        this.n = truncation.level() != 0 ? truncation.level() : levelForMass(support, truncation.mass());
        this.logProbs = support == null ? truncateByComplement()
                : truncate(support, Math.max(n - 1, support.getShape().get(0) - 1));
    }

    /** The smallest n (at least 2) with P(X ≤ n−1) ≥ eta for every batch element. */
    private int levelForMass(NDArray support, double eta) {
        int s = Math.toIntExact(support.getShape().get(0));
        NDArray values = Counts.rangeOverBatch(support, s - 1, base.batchShape());
        double[] lp = InverseCdf.values(base.logProb(values)); // (S) + batch, row-major
        int batch = lp.length / s;
        int level = 2;
        for (int b = 0; b < batch; b++) {
            double cdf = 0;
            int k = 0;
            while (k < s - 1) {
                cdf += Math.exp(lp[k * batch + b]);
                if (cdf >= eta) {
                    break;
                }
                k++;
            }
            level = Math.max(level, k + 1);
        }
        return level;
    }

    /** log π, shape batch + (n): p(k) for k &lt; n−1, then log Σ_{k=n−1..m} p(k). */
    private NDArray truncate(NDArray support, long m) {
        NDArray lp = Scalars.maximum(logPmfUpTo(support, m), floor(support.getDataType()));
        NDArray head = lp.get("..., :{}", n - 1);
        NDArray rest = LogSpace.logSumExp(lp.get("..., {}:", n - 1), -1, true);
        return head.concat(rest, -1);
    }

    /**
     * log π when the support is too long to enumerate (the mean is beyond ~1e7, so the mass at or above n−1 is far
     * from 0): the paper's {@code log(1 − Σ_{k<n−1} π_k)}, floored so that rounding can never make it NaN.
     */
    private NDArray truncateByComplement() {
        NDArray like = base.mean();
        DataType dtype = like.getDataType();
        NDArray head = Scalars.maximum(logPmfUpTo(like, n - 2), floor(dtype));
        double tiny = dtype == DataType.FLOAT64 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
        NDArray rest = Scalars.maximum(LogSpace.logSumExp(head, -1, true).exp().neg().add(1), tiny).log();
        return head.concat(rest, -1);
    }

    /** The base's log-pmf at 0..m, shape batch + (m+1); {@code like} gives the dtype and manager. */
    private NDArray logPmfUpTo(NDArray like, long m) {
        NDArray lp = base.logProb(Counts.rangeOverBatch(like, m, base.batchShape())); // (m+1) + batch
        int rank = lp.getShape().dimension();
        int[] axes = new int[rank];
        for (int i = 0; i < rank - 1; i++) {
            axes[i] = i + 1;
        }
        axes[rank - 1] = 0;
        return lp.transpose(axes);
    }

    /** The log of the smallest normal number: the floor of every log π. */
    private static double floor(DataType dtype) {
        return Math.log(dtype == DataType.FLOAT64 ? Double.MIN_NORMAL : Float.MIN_NORMAL);
    }

    /** The distribution being relaxed. */
    public Enumerable base() {
        return base;
    }

    /** The truncation level n: the relaxed categorical has categories 0..n−1. */
    public int level() {
        return n;
    }

    public double temperature() {
        return tau;
    }

    public boolean straightThrough() {
        return straightThrough;
    }

    /** Log-probabilities of the truncated categorical, shape {@code batchShape + (n)}. */
    public NDArray logProbs() {
        return logProbs;
    }

    @Override
    public Shape batchShape() {
        return base.batchShape();
    }

    @Override
    public Shape eventShape() {
        return new Shape();
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    private NDArray perturbed(Shape sampleShape) {
        Shape shape = sampleShape.addAll(logProbs.getShape());
        return logProbs.add(Noise.gumbel(logProbs.getManager(), shape, logProbs.getDataType()));
    }

    /** Draws of the truncated distribution by the Gumbel-max trick, as counts in the parameters' dtype. */
    @Override
    public NDArray sample(Shape sampleShape) {
        return perturbed(sampleShape).stopGradient().argMax(-1).toType(logProbs.getDataType(), false);
    }

    /**
     * Relaxed values {@code Σ_k w_k·k} with {@code w = softmax((log π + g)/τ)}, shape {@code sampleShape + batchShape}.
     * Straight-through: {@code hard + (soft − sg(soft))}, whose forward value is exactly the argmax count.
     */
    @Override
    public NDArray rsample(Shape sampleShape) {
        NDArray y = perturbed(sampleShape);
        NDArray c = logProbs.getManager().arange(0, n, 1, logProbs.getDataType());
        NDArray soft = Scalars.div(y, tau).softmax(-1).mul(c).sum(new int[] {-1});
        if (!straightThrough) {
            return soft;
        }
        NDArray hard = y.stopGradient().argMax(-1).toType(logProbs.getDataType(), false);
        return hard.add(soft.sub(soft.stopGradient()));
    }

    /** Log-probability of counts under the truncated categorical; -inf outside 0..n−1. */
    @Override
    public NDArray logProb(NDArray value) {
        NDArray k = Counts.values(value, batchShape(), logProbs.getDataType(), "GeneralizedGumbelSoftmax.logProb");
        NDArray in = Counts.isCount(k).logicalAnd(k.lt(n));
        NDArray oneHot = Counts.safe(k, in).toType(DataType.INT64, false).oneHot(n).toType(logProbs.getDataType(),
                false);
        return Counts.mask(in, oneHot.mul(logProbs).sum(new int[] {-1}));
    }
}
