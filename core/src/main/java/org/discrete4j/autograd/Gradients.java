package org.discrete4j.autograd;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Resetting accumulated gradients one array at a time. DJL's PyTorch engine adds each backward pass into
 * {@code .grad}; its own reset, {@code GradientCollector.zeroGradients()}, walks every array of every manager, which
 * costs more than a small training step. Optimisers reset just their parameters' gradients instead.
 */
public final class Gradients {

    private Gradients() {}

    /** Sets the gradient of {@code parameter} to zero (if it has one). */
    public static void zero(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }
}
