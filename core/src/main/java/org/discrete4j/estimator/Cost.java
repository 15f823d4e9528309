package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;

/**
 * The cost f whose expectation E_q[f(z)] is differentiated.
 *
 * <p>{@code z} has shape {@code (n) + batchShape + eventShape}: n draws of the distribution's whole batch. The
 * result has shape {@code (n) + batchShape[0..c)} for some c: f may reduce any number of trailing batch
 * dimensions (a VAE's cost reduces the latent dimensions and keeps the data batch). Estimators that evaluate f
 * at relaxed or mean-field points (Gumbel-softmax, straight-through, MuProp, REBAR) pass continuous values, and f
 * must then be differentiable in z; black-box estimators (score function, ARM, DisARM, RELAX) only pass draws.
 */
@FunctionalInterface
public interface Cost {

    NDArray apply(NDArray z);
}
