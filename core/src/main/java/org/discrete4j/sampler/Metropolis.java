package org.discrete4j.sampler;

import java.util.SplittableRandom;

/** The Metropolis–Hastings test, in log space. */
public final class Metropolis {

    private Metropolis() {}

    /**
     * Accepts with probability min(1, exp(logRatio)). A non-finite ratio is a bug in a model or kernel, so it is an
     * error, never a silent rejection (the reference code rejects NaN forever).
     */
    public static boolean accept(double logRatio, SplittableRandom rng, String kernel) {
        if (!Double.isFinite(logRatio)) {
            throw new IllegalStateException(kernel + ": non-finite Metropolis–Hastings log ratio " + logRatio);
        }
        if (logRatio >= 0) {
            return true;
        }
        // log U < logRatio with U in (0, 1]: 1 − nextDouble() never returns 0.
        return Math.log(1.0 - rng.nextDouble()) < logRatio;
    }
}
