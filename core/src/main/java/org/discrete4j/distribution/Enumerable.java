package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;

/**
 * A distribution whose support can be listed, for exact expectations by enumeration.
 *
 * <p>Count distributions with unbounded support list the values {@code 0..maxValue}; {@link #enumerateSupport}
 * chooses a cut-off that leaves a negligible tail, and the mass it leaves out is reported by {@link #tailMass}.
 */
public interface Enumerable extends Distribution {

    /**
     * The support values common to every batch element, shape {@code (S) + eventShape}. Values outside the support
     * of a particular batch element have log-probability {@code -inf}.
     */
    NDArray enumerateSupport();

    /** Largest probability mass, over the batch, that {@link #enumerateSupport} leaves out (0 for finite support). */
    default double tailMass() {
        return 0.0;
    }
}
