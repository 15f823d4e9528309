package org.discrete4j.estimator;

import org.discrete4j.distribution.Distribution;

/**
 * A gradient estimator for {@code ∇ E_q[f(z)]} with q discrete: it draws from q, evaluates f, and returns a
 * surrogate whose DJL gradient is the estimate, so it plugs into any DJL model and optimizer.
 *
 * <p>The gradient of the surrogate estimates the gradient of {@code Σ_c E[f(z)]_c}, the expected cost summed over
 * the cost's non-sample elements. Estimators with learned auxiliary parts (baselines, control variates,
 * temperatures) own and train them; the surrogate's gradient reaches only q's parameters and f's.
 */
public interface GradientEstimator {

    /** The name used on the command line and in results, e.g. {@code rloo}. */
    String name();

    /** Whether the estimator is unbiased in theory. */
    boolean unbiased();

    /** Whether this estimator applies to q (its family, and its shape). */
    boolean supports(Distribution q);

    /**
     * Estimates the gradient of the expected cost.
     *
     * @throws IllegalArgumentException if the estimator does not apply to q
     */
    Estimate estimate(Distribution q, Cost f);
}
