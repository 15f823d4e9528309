package org.discrete4j.estimator;

import java.util.Map;

/**
 * An estimator that carries state from one call to the next (running baselines, learned control variates). A
 * training run saves it with its checkpoint and restores it on resume, so that the resumed run continues exactly as
 * the uninterrupted one would.
 */
public interface Stateful {

    /**
     * The state as named values of the types a {@code train.Checkpoint} holds ({@code Long}, {@code Double},
     * {@code double[]}, {@code long[]}); empty before the first call.
     */
    Map<String, Object> state();

    /** Restores what {@link #state} returned (an empty map restores the initial state). */
    void restore(Map<String, Object> state);
}
