package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.discrete4j.autograd.Scalars;

/** Log-space arithmetic that stays finite for logits up to ±1e4 in float32. */
public final class LogSpace {

    private LogSpace() {}

    /** {@code log(1 + exp(x))}, computed without overflow. */
    public static NDArray softplus(NDArray x) {
        // max(x, 0) + log(1 + exp(-|x|)): exp never sees a positive argument.
        // Scalars.maximum, not x.maximum(0): DJL's number overload breaks the gradient after a garbage collection.
        return Scalars.maximum(x, 0).add(x.abs().neg().exp().add(1).log());
    }

    /** {@code log sigmoid(x) = -softplus(-x)}. */
    public static NDArray logSigmoid(NDArray x) {
        return softplus(x.neg()).neg();
    }

    /** {@code log(sum(exp(x), axis))}, stable, and {@code -inf} (not NaN) where every entry is {@code -inf}. */
    public static NDArray logSumExp(NDArray x, int axis, boolean keepDims) {
        NDArray m = x.max(new int[] {axis}, true).stopGradient();
        // A row of -inf would give -inf - (-inf) = NaN; shift such rows by 0 instead.
        m = NDArrays.where(m.isInfinite(), m.zerosLike(), m);
        NDArray s = x.sub(m).exp().sum(new int[] {axis}, true).log().add(m);
        return keepDims ? s : s.squeeze(axis);
    }

    /** {@code x - logSumExp(x, axis)}: normalised log-probabilities. */
    public static NDArray logNormalize(NDArray x, int axis) {
        return x.sub(logSumExp(x, axis, true));
    }
}
