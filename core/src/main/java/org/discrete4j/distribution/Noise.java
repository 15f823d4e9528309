package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The noise behind every discrete and relaxed draw, from the engine's generator.
 *
 * <p>Uniforms are clamped to {@code [eps, 1 - eps]} (eps = machine epsilon of the dtype) before any logarithm, so
 * Gumbel and logistic noise are always finite: the NaN reports against torch's gumbel_softmax (pytorch#22442,
 * #101620) came from {@code log(0)}.
 */
public final class Noise {

    private Noise() {}

    /** Machine epsilon of a floating dtype, the clamp used by torch's {@code clamp_probs}. */
    public static double eps(DataType dtype) {
        return dtype == DataType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
    }

    /** Uniform(0, 1) clamped to {@code [eps, 1 - eps]}. */
    public static NDArray uniform(NDManager manager, Shape shape, DataType dtype) {
        double e = eps(dtype);
        NDArray u = manager.randomUniform(0f, 1f, shape, dtype);
        return u.clip(e, 1.0 - e);
    }

    /** Standard Gumbel noise {@code -log(-log U)}. */
    public static NDArray gumbel(NDManager manager, Shape shape, DataType dtype) {
        return negativeGumbel(manager, shape, dtype).neg();
    }

    /**
     * Minus standard Gumbel noise, {@code log(-log U)} (the log of an Exp(1) draw): {@code θ − this} is θ plus Gumbel
     * noise bit for bit, one engine call fewer.
     */
    public static NDArray negativeGumbel(NDManager manager, Shape shape, DataType dtype) {
        return uniform(manager, shape, dtype).log().neg().log();
    }

    /** Standard logistic noise {@code log U - log(1 - U)}. */
    public static NDArray logistic(NDManager manager, Shape shape, DataType dtype) {
        NDArray u = uniform(manager, shape, dtype);
        return u.log().sub(u.neg().add(1).log());
    }
}
