package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/** The array-side pieces the count distributions share: value checks, support masks, enumerated supports. */
final class Counts {

    private Counts() {}

    /** Checks a value's shape and dtype against the batch and returns it in the parameters' float dtype. */
    static NDArray values(NDArray value, Shape batchShape, DataType dtype, String who) {
        Checks.sampleShapeOf(value, batchShape, new Shape(), who);
        return value.toType(dtype, false);
    }

    /**
     * The log-pmf of a distribution on all counts 0, 1, 2, ... at {@code value} (checked as by {@link #values}):
     * {@code logPmf} where the value is a count, -inf elsewhere.
     */
    static NDArray logProb(NDArray value, Shape batchShape, DataType dtype, String who,
            UnaryOperator<NDArray> logPmf) {
        NDArray k = values(value, batchShape, dtype, who);
        NDArray in = isCount(k);
        return mask(in, logPmf.apply(safe(k, in)));
    }

    /** Where {@code k} is a count: an integer ≥ 0 (NaN is not). */
    static NDArray isCount(NDArray k) {
        return k.gte(0).logicalAnd(k.floor().eq(k));
    }

    /**
     * {@code k} where {@code inSupport}, else 0: the log-pmf is then evaluated only at support points, so neither
     * its value nor its gradient can be NaN where the result is masked to -inf afterwards.
     */
    static NDArray safe(NDArray k, NDArray inSupport) {
        return NDArrays.where(inSupport, k, k.zerosLike());
    }

    /** {@code logp} where {@code inSupport}, else -inf (a constant, so no gradient flows through it). */
    static NDArray mask(NDArray inSupport, NDArray logp) {
        NDArray minusInf = logp.getManager().full(logp.getShape(), Float.NEGATIVE_INFINITY, logp.getDataType());
        return NDArrays.where(inSupport, logp, minusInf);
    }

    /** The values {@code 0..k} in {@code like}'s dtype and manager, shape {@code (k+1)}. */
    static NDArray range(NDArray like, long k) {
        return like.getManager().arange(0, k + 1, 1, like.getDataType());
    }

    /** The values {@code 0..k} broadcast over the batch, shape {@code (k+1) + batchShape}. */
    static NDArray rangeOverBatch(NDArray like, long k, Shape batchShape) {
        long[] dims = new long[1 + batchShape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = k + 1;
        return range(like, k).reshape(new Shape(dims)).broadcast(new Shape(k + 1).addAll(batchShape));
    }

    /**
     * {@code −Σ_k p_k log p_k} over axis 0 of finite log-probabilities (support points only), shape of the rest.
     * Terms whose probability underflows to 0 contribute 0.
     */
    static NDArray entropy(NDArray logp) {
        return logp.exp().mul(logp).sum(new int[] {0}).neg();
    }
}
