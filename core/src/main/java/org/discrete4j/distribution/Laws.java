package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.IntFunction;

/**
 * The per-element laws of a count distribution ({@link Binomial}, {@link NegativeBinomial}, {@link Geometric},
 * {@link Poisson}), built on first use, with the support cut-off they give, computed once.
 */
final class Laws {

    private final int size;
    private final IntFunction<InverseCdf.Law> law;
    private final String who;
    private InverseCdf.Law[] laws;
    private long cutoff = -1;

    /** {@code law.apply(i)} is the law of batch element i (row-major); {@code who} names the distribution. */
    Laws(int size, IntFunction<InverseCdf.Law> law, String who) {
        this.size = size;
        this.law = law;
        this.who = who;
    }

    InverseCdf.Law[] get() {
        if (laws == null) {
            laws = new InverseCdf.Law[size];
            for (int i = 0; i < size; i++) {
                laws[i] = law.apply(i);
            }
        }
        return laws;
    }

    /** Draws of shape {@code sampleShape + batchShape} in the dtype of {@code like}, by inverting the CDFs. */
    NDArray sample(NDArray like, Shape batchShape, Shape sampleShape) {
        return InverseCdf.sample(like, get(), batchShape, sampleShape, like.getDataType());
    }

    /** The largest value to enumerate: every law leaves less than {@link InverseCdf#TAIL} mass above it. */
    long cutoff() {
        if (cutoff < 0) {
            cutoff = InverseCdf.cutoff(get(), who);
        }
        return cutoff;
    }

    /** The largest mass any law has above the cut-off. */
    double tailMass() {
        return InverseCdf.tailMass(get(), cutoff());
    }
}
