package org.discrete4j.learn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.discrete4j.autograd.GradMode;

/**
 * An exponential moving average of parameters, θ̄ ← d·θ̄ + (1 − d)·θ after every optimiser step, kept in arrays of
 * the same shapes. Grathwohl et al. (ICML 2021) evaluate their deep EBMs with such a copy (d = 0.999): it smooths
 * the oscillation that the contrastive-divergence gradient, computed against a moving sampler, adds to the weights.
 */
public final class Ema {

    private final List<NDArray> average;
    private final List<NDArray> source;
    private final double decay;

    /** Averages {@code source} into {@code average} (same shapes, in the same order). */
    public Ema(List<NDArray> average, List<NDArray> source, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        }
        if (average.size() != source.size()) {
            throw new IllegalArgumentException("EMA needs as many averaged arrays as sources");
        }
        for (int i = 0; i < source.size(); i++) {
            if (!average.get(i).getShape().equals(source.get(i).getShape())) {
                throw new IllegalArgumentException("EMA array " + i + " has shape " + average.get(i).getShape()
                        + ", source " + source.get(i).getShape());
            }
        }
        this.average = List.copyOf(average);
        this.source = List.copyOf(source);
        this.decay = decay;
    }

    public double decay() {
        return decay;
    }

    /** One averaging step, in place. */
    public void update() {
        float d = (float) decay;
        try (GradMode off = GradMode.disabled()) {
            for (int i = 0; i < source.size(); i++) {
                try (NDArray step = source.get(i).mul(1 - d)) {
                    average.get(i).muli(d).addi(step);
                }
            }
        }
    }
}
