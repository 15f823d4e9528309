package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Categorical distributions whose values are one-hot vectors, event shape {@code (K)}. */
public final class OneHotCategorical implements Enumerable {

    private final Categorical categorical;

    private OneHotCategorical(Categorical categorical) {
        this.categorical = categorical;
    }

    public static OneHotCategorical ofLogits(NDArray logits) {
        return new OneHotCategorical(Categorical.ofLogits(logits));
    }

    public static OneHotCategorical ofProbs(NDArray probs) {
        return new OneHotCategorical(Categorical.ofProbs(probs));
    }

    public NDArray logits() {
        return categorical.logits();
    }

    public NDArray logProbs() {
        return categorical.logProbs();
    }

    public NDArray probs() {
        return categorical.probs();
    }

    public int numClasses() {
        return categorical.numClasses();
    }

    @Override
    public Shape batchShape() {
        return categorical.batchShape();
    }

    @Override
    public Shape eventShape() {
        return new Shape(numClasses());
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return categorical.sampleOneHot(sampleShape);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "OneHotCategorical.logProb");
        return value.mul(logProbs()).sum(new int[] {-1});
    }

    @Override
    public NDArray entropy() {
        return categorical.entropy();
    }

    @Override
    public NDArray mean() {
        return probs();
    }

    @Override
    public NDArray enumerateSupport() {
        return logits().getManager().eye(numClasses()).toType(logits().getDataType(), false);
    }
}
