package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;

/** The Bernoulli likelihood of binary pixels given the decoder's logits. */
final class BinaryPixels {

    private BinaryPixels() {}

    /**
     * {@code −log p(x | logits) = Σ_d softplus(l_d) − x_d·l_d}, summed over the last axis, for x broadcasting
     * against the logits. The engine's softplus returns l itself above 20, where the difference is below float32
     * resolution, so this is exact at any logit.
     */
    static NDArray negativeLogLikelihood(NDArray x, NDArray logits) {
        return logits.getNDArrayInternal().softPlus().sub(logits.mul(x)).sum(new int[] {-1});
    }
}
