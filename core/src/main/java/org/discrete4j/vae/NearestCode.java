package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.discrete4j.estimator.Cost;
import org.discrete4j.quantize.VectorQuantizer;
import org.discrete4j.train.Checkpoint;

/**
 * Vector quantisation (van den Oord et al., NeurIPS 2017, eq. 3): the nearest codebook vector, the decoder's
 * gradient copied straight through to the encoder, plus the quantizer's codebook and commitment losses (or the
 * commitment loss alone when the codebook follows moving averages, which {@link Pass#afterStep} applies).
 */
final class NearestCode implements DiscreteBottleneck {

    private final VectorQuantizer quantizer;

    NearestCode(VectorQuantizer quantizer) {
        this.quantizer = quantizer;
    }

    VectorQuantizer quantizer() {
        return quantizer;
    }

    @Override
    public Pass train(NDArray encoded, Cost decode, long step) {
        VectorQuantizer.Quantized q = quantizer.quantize(encoded);
        NDArray cost = decode.apply(q.output());
        return new Pass(cost.mean().add(q.loss()), cost.stopGradient(), q.indices(), () -> quantizer.update(q));
    }

    @Override
    public Codes encode(NDArray encoded) {
        VectorQuantizer.Quantized q = quantizer.quantize(encoded);
        return new Codes(q.quantized(), q.indices());
    }

    @Override
    public List<NDArray> parameters() {
        // With moving averages the codebook is not trained by gradient.
        return quantizer.isEma() ? List.of() : List.of(quantizer.codebook());
    }

    @Override
    public Map<String, NDArray> state(String prefix) {
        return quantizer.state(prefix);
    }

    @Override
    public void load(Checkpoint checkpoint, String prefix) {
        quantizer.load(checkpoint, prefix);
    }

    @Override
    public double temperature(long step) {
        return Double.NaN;
    }
}
