package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multilayer perceptron with ReLU between affine layers and none after the last, its weights held as plain arrays
 * that require a gradient. Each layer is one fused {@code x·Wᵀ + b} call of the engine and each ReLU one call: a
 * training step of a small network is dominated by the number of engine calls, not by their arithmetic.
 *
 * <p>Weights and biases start uniform in {@code ±1/√fan_in}, PyTorch's default for {@code nn.Linear}, from the
 * engine's generator (seed it first).
 */
public final class Mlp {

    private final int[] sizes;
    private final NDArray[] weights;
    private final NDArray[] biases;

    /**
     * @param manager where the parameters live (a long-lived manager)
     * @param sizes the widths from input to output, at least two
     */
    public Mlp(NDManager manager, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("MLP widths must be >= 1, got " + java.util.Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        weights = new NDArray[layers];
        biases = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            float bound = (float) (1 / Math.sqrt(sizes[l]));
            weights[l] = manager.randomUniform(-bound, bound, new Shape(sizes[l + 1], sizes[l]));
            biases[l] = manager.randomUniform(-bound, bound, new Shape(sizes[l + 1]));
            weights[l].setRequiresGradient(true);
            biases[l].setRequiresGradient(true);
        }
    }

    /** The widths from input to output. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The output for input {@code x} of shape {@code (..., in)}: shape {@code (..., out)}. */
    public NDArray forward(NDArray x) {
        Shape shape = x.getShape();
        // Rows as a matrix: the engine fuses a 2-D layer into one addmm (forward and backward), while a 3-D input
        // (draws × batch × width) goes through matmul, a separate bias add and their backward ops.
        boolean flat = shape.dimension() > 2;
        NDArray h = flat ? x.reshape(-1, shape.get(shape.dimension() - 1)) : x;
        for (int l = 0; l < weights.length; l++) {
            h = Linear.linear(h, weights[l], biases[l]).singletonOrThrow();
            if (l < weights.length - 1) {
                h = Activation.relu(h);
            }
        }
        return flat ? h.reshape(shape.slice(0, shape.dimension() - 1).add(sizes[sizes.length - 1])) : h;
    }

    /** The parameters in layer order (weight, bias, weight, bias, ...). */
    public List<NDArray> parameters() {
        return new ArrayList<>(named("").values());
    }

    /** The parameters by name, {@code prefix + "w" + layer} and {@code prefix + "b" + layer}. */
    public Map<String, NDArray> named(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int l = 0; l < weights.length; l++) {
            out.put(prefix + "w" + l, weights[l]);
            out.put(prefix + "b" + l, biases[l]);
        }
        return out;
    }
}
