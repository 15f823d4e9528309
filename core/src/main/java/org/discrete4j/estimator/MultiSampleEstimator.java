package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import org.discrete4j.distribution.Distribution;

/**
 * A gradient estimator for a multi-sample objective {@code L = E_{z_1..z_K ~ q}[log (1/K) Σ_k exp ℓ(z_k)]} (the
 * importance-weighted bound when ℓ = log p(x, z) − log q(z)), which is not an expectation of a per-draw cost and so
 * does not fit {@link GradientEstimator}.
 */
public interface MultiSampleEstimator {

    /** The log-weight ℓ of each draw. */
    @FunctionalInterface
    interface LogWeight {

        /**
         * Maps K draws, shape {@code (K) + batchShape + eventShape}, to their log-weights, shape {@code (K) + a
         * prefix of batchShape}; may depend differentiably on parameters (of p, and of q through log q(z)).
         */
        NDArray apply(NDArray z);
    }

    /** The name used in results, e.g. {@code vimco}. */
    String name();

    /** Whether this estimator applies to q. */
    boolean supports(Distribution q);

    /**
     * Estimates the gradient of L from K draws.
     *
     * @return a surrogate whose value is the K-sample estimate of L (summed over the remaining elements of ℓ) and
     *     whose gradient estimates ∇L with respect to q's parameters and ℓ's; and the detached log-weights as cost
     * @throws IllegalArgumentException if K is too small or the estimator does not apply to q
     */
    Estimate estimate(Distribution q, LogWeight logWeight, int k);
}
