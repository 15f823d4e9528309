package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;

/**
 * A member of the Concrete family (Maddison, Mnih and Teh, ICLR 2017): a relaxed distribution given by location
 * logits and a temperature array. Lets the wrappers ({@link Transformed}, {@link RelaxedStraightThrough}) pass both
 * parameters through once for the binary and the categorical case.
 */
interface Concrete extends Distribution {

    NDArray logits();

    /** The temperature, shape {@code ()} or {@code batchShape}. */
    NDArray temperature();
}
