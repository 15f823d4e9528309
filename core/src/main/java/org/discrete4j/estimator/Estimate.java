package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;

/**
 * What an estimator returns.
 *
 * @param surrogate a scalar to call {@code backward} on: its gradient with respect to the distribution's
 *     parameters (and to the parameters of f) is the estimator, and its value is the cost, averaged over the n
 *     draws and summed over the remaining cost elements
 * @param cost the costs of the draws, detached, shape {@code (n) + costShape}; for relaxed estimators the costs
 *     at the relaxed points
 */
public record Estimate(NDArray surrogate, NDArray cost) {}
