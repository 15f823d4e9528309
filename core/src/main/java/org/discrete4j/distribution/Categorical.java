package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Categorical distributions over class indices {@code 0..K-1}, the last axis of the logits being the classes.
 * Draws are class indices stored in the logits' float dtype (exact below 2^24 classes), so costs can use them
 * arithmetically; {@link #logProb} also accepts int32/int64 indices.
 */
public final class Categorical implements Enumerable {

    private final NDArray logits;

    private Categorical(NDArray logits) {
        Checks.rankAtLeast(logits, 1, "logits");
        this.logits = Checks.finiteFloat(logits, "logits");
    }

    /** Categorical with {@code P(k) = softmax(logits)_k}; logits need not be normalised. */
    public static Categorical ofLogits(NDArray logits) {
        return new Categorical(logits);
    }

    /** Categorical with {@code P(k) proportional to probs_k}; zeros are clamped to machine epsilon. */
    public static Categorical ofProbs(NDArray probs) {
        Checks.probabilities(probs, "probs");
        Checks.rankAtLeast(probs, 1, "probs");
        return new Categorical(probs.clip(Noise.eps(probs.getDataType()), 1).log());
    }

    /** The unnormalised logits as given. */
    public NDArray logits() {
        return logits;
    }

    /** Normalised log-probabilities, shape {@code batchShape + (K)}. */
    public NDArray logProbs() {
        return logits.logSoftmax(-1);
    }

    public NDArray probs() {
        return logits.softmax(-1);
    }

    /** Number of classes K. */
    public int numClasses() {
        return (int) logits.getShape().getShape()[logits.getShape().dimension() - 1];
    }

    @Override
    public Shape batchShape() {
        return logits.getShape().slice(0, logits.getShape().dimension() - 1);
    }

    @Override
    public Shape eventShape() {
        return new Shape();
    }

    /** Class indices (int64) by the Gumbel-max trick, shape {@code sampleShape + batchShape}. */
    private NDArray gumbelMax(Shape sampleShape) {
        Shape shape = sampleShape.addAll(logits.getShape());
        NDArray g = Noise.gumbel(logits.getManager(), shape, logits.getDataType());
        return logits.stopGradient().add(g).argMax(-1);
    }

    /** One-hot draws, shape {@code sampleShape + batchShape + (K)}. */
    NDArray sampleOneHot(Shape sampleShape) {
        return gumbelMax(sampleShape).oneHot(numClasses()).toType(logits.getDataType(), false);
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return gumbelMax(sampleShape).toType(logits.getDataType(), false);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "Categorical.logProb");
        int k = numClasses();
        if (value.lt(0).any().getBoolean() || value.gte(k).any().getBoolean()) {
            throw new IllegalArgumentException("Categorical.logProb: class index outside 0.." + (k - 1));
        }
        NDArray oneHot = value.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot(k)
                .toType(logits.getDataType(), false);
        return oneHot.mul(logProbs()).sum(new int[] {-1});
    }

    @Override
    public NDArray entropy() {
        return probs().mul(logProbs()).sum(new int[] {-1}).neg();
    }

    @Override
    public NDArray mean() {
        NDArray k = logits.getManager().arange(0, numClasses(), 1, logits.getDataType());
        return probs().mul(k).sum(new int[] {-1});
    }

    @Override
    public NDArray enumerateSupport() {
        return logits.getManager().arange(0, numClasses(), 1, logits.getDataType());
    }
}
