package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Distribution;

/**
 * The score-function estimator (REINFORCE; Williams 1992, "Simple statistical gradient-following algorithms"):
 * {@code ∇E[f] = E[(f(z) − b)∇log q(z)]}, with a baseline b that does not depend on z.
 *
 * <p>Plain REINFORCE (b = 0) over {@code samples} draws; black-box in f, any distribution.
 */
public final class ScoreFunction implements GradientEstimator {

    private final int samples;

    public ScoreFunction(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        this.samples = samples;
    }

    @Override
    public String name() {
        return "reinforce";
    }

    @Override
    public boolean unbiased() {
        return true;
    }

    @Override
    public boolean supports(Distribution q) {
        return true;
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        NDArray z = q.sample(new Shape(samples));
        NDArray cost = Surrogates.checkCost(f.apply(z), samples, q);
        NDArray logq = Surrogates.sumTo(q.logProb(z), cost);
        NDArray surrogate = cost.add(Surrogates.score(cost, logq)).mean(new int[] {0}).sum();
        return new Estimate(surrogate, cost.stopGradient());
    }
}
