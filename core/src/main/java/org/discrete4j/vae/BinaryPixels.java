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

    /** The rows of an {@code (N, D)} array of pixel means, as Java arrays for images and files. */
    static float[][] rows(NDArray a) {
        int n = Math.toIntExact(a.getShape().get(0));
        int d = Math.toIntExact(a.getShape().get(1));
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
