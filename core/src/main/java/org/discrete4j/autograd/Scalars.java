package org.discrete4j.autograd;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic between an array and a Java number that stays correct under autograd.
 *
 * <p>DJL's PyTorch engine implements {@code x.mul(Number)} (likewise {@code div}, {@code maximum}, {@code minimum},
 * {@code pow}) by wrapping the number in a temporary array whose storage is a direct {@code ByteBuffer}, applying the
 * op and closing the temporary at once. PyTorch's autograd keeps that storage for the backward pass (the derivative
 * of {@code x·c} is {@code c}; of {@code max(x, c)}, {@code 1[x > c]}); once the garbage collector has reclaimed the
 * buffer, the backward pass reads freed memory and the gradient is silently garbage — in a loop that allocates, it
 * depends on whether a collection happened between the forward and the backward pass. ({@code add} and {@code sub}
 * are safe: their backward pass does not read the constant.) Here the constant is a copy owned by PyTorch, which
 * autograd keeps alive for as long as it needs it.
 */
public final class Scalars {

    private Scalars() {}

    /** {@code x · c}. */
    public static NDArray mul(NDArray x, double c) {
        try (NDArray s = constant(x, c)) {
            return x.mul(s);
        }
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, double c) {
        try (NDArray s = constant(x, c)) {
            return x.div(s);
        }
    }

    /** {@code max(x, c)} elementwise. */
    public static NDArray maximum(NDArray x, double c) {
        try (NDArray s = constant(x, c)) {
            return x.maximum(s);
        }
    }

    /** {@code min(x, c)} elementwise. */
    public static NDArray minimum(NDArray x, double c) {
        try (NDArray s = constant(x, c)) {
            return x.minimum(s);
        }
    }

    /** A rank-0 array holding c in x's dtype and manager, in storage PyTorch allocated (a copy, not a Java buffer). */
    private static NDArray constant(NDArray x, double c) {
        try (NDArray boxed = x.getManager().create(c)) {
            return boxed.toType(x.getDataType(), true);
        }
    }
}
