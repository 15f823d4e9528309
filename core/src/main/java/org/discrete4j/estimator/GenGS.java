package org.discrete4j.estimator;

import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Binomial;
import org.discrete4j.distribution.Checks;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.Enumerable;
import org.discrete4j.distribution.GeneralizedGumbelSoftmax;
import org.discrete4j.distribution.GeneralizedGumbelSoftmax.Truncation;
import org.discrete4j.distribution.Geometric;
import org.discrete4j.distribution.NegativeBinomial;
import org.discrete4j.distribution.Poisson;

/**
 * The generalized Gumbel-softmax estimator (GenGS; Joo, Kim, Shin, Moon, arXiv:2003.01847, 2020): f is evaluated
 * at the relaxed count {@code z = Σ_k w_k·k} of {@link GeneralizedGumbelSoftmax} and differentiated by the
 * reparameterisation, so f must be differentiable in z. Biased for τ &gt; 0 (f is evaluated off the integers) and
 * by the truncation (the mass above n−1 is moved to n−1); the bias vanishes as τ → 0 and η → 1, while the
 * variance grows as τ falls.
 *
 * <p>One relaxed draw per estimate; the surrogate's value is the cost at the relaxed draw.
 */
public final class GenGS implements GradientEstimator {

    /** Default cumulative-mass cut-off η: leaves at most 1e-4 of the mass to be lumped on the last category. */
    public static final double DEFAULT_MASS = 0.9999;

    private final double tau;
    private final Truncation truncation;
    private final boolean straightThrough;

    public GenGS(double tau, Truncation truncation, boolean straightThrough) {
        this.tau = Checks.temperature(tau);
        if (truncation == null) {
            throw new IllegalArgumentException("truncation must not be null");
        }
        this.truncation = truncation;
        this.straightThrough = straightThrough;
    }

    /** GenGS at temperature τ, truncated at cumulative mass {@link #DEFAULT_MASS}, without straight-through. */
    public GenGS(double tau) {
        this(tau, Truncation.cumulative(DEFAULT_MASS), false);
    }

    @Override
    public String name() {
        return "gengs";
    }

    @Override
    public boolean unbiased() {
        return false;
    }

    @Override
    public boolean supports(Distribution q) {
        return q instanceof Poisson || q instanceof Binomial || q instanceof NegativeBinomial
                || q instanceof Geometric;
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        if (!supports(q)) {
            throw new IllegalArgumentException("gengs applies to Poisson, Binomial, NegativeBinomial and Geometric, "
                    + "got " + (q == null ? null : q.getClass().getSimpleName()));
        }
        GeneralizedGumbelSoftmax relaxed = new GeneralizedGumbelSoftmax((Enumerable) q,
                truncation, tau, straightThrough);
        return Pathwise.surrogate(relaxed.rsample(new Shape(1)), f, q);
    }
}
