package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.discrete4j.estimator.Cost;
import org.discrete4j.train.Checkpoint;

/**
 * The discrete layer of a {@link VqAutoencoder}: each of L encoder vectors of dimension D becomes one of K codes,
 * which the decoder sees as a vector of dimension D again. Two ways to choose the code and differentiate through
 * the choice: {@link NearestCode} (vector quantisation, straight-through) and {@link SampledCode} (a categorical
 * distribution over the codes and a gradient estimator such as Gumbel-softmax).
 */
interface DiscreteBottleneck {

    /**
     * A training pass.
     *
     * @param encoded the encoder's output, shape (B, L, D)
     * @param decode maps decoder inputs of shape (n…, L, D) to per-image reconstruction costs of shape (n…)
     * @param step the optimiser steps taken so far (for temperature schedules)
     */
    Pass train(NDArray encoded, Cost decode, long step);

    /** The deterministic code of each position: the decoder input (B, L, D) and the indices (B, L). */
    Codes encode(NDArray encoded);

    /** Arrays the optimiser trains. */
    List<NDArray> parameters();

    /** Everything a checkpoint must hold to continue exactly. */
    Map<String, NDArray> state(String prefix);

    void load(Checkpoint checkpoint, String prefix);

    /** The relaxation temperature at a step, or NaN when there is none. */
    double temperature(long step);

    /**
     * One training pass's results.
     *
     * @param loss the scalar to differentiate: the mean reconstruction cost plus the bottleneck's own losses
     * @param cost the per-image reconstruction cost, detached, shape (B)
     * @param indices the codes chosen, shape (B, L)
     * @param afterStep what to do once the optimiser has stepped (codebook EMA, dead-code restart)
     */
    record Pass(NDArray loss, NDArray cost, NDArray indices, Runnable afterStep) {}

    /** Deterministic codes: the decoder's input (B, L, D) and the code indices (B, L). */
    record Codes(NDArray decoderInput, NDArray indices) {}
}
