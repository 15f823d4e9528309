package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;

/** The KL divergence of a Bernoulli variable to the fair coin, shared by the Bernoulli and binomial layers. */
final class Bits {

    private Bits() {}

    /**
     * {@code KL(Bernoulli(sigmoid l) ‖ Bernoulli(1/2)) = log 2 − softplus(l) + l·sigmoid(l)} elementwise, with the
     * engine's fused softplus and sigmoid kernels (exact in float32: softplus returns l above 20).
     */
    static NDArray klToHalf(NDArray logits) {
        return logits.mul(logits.getNDArrayInternal().sigmoid()).sub(logits.getNDArrayInternal().softPlus())
                .add((float) Math.log(2));
    }
}
