package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Distribution;

/** Independent Bernoulli units with logits from the network and the uniform prior Bernoulli(1/2). */
public final class BernoulliLatent implements Latent {

    private final int units;

    public BernoulliLatent(int units) {
        this.units = Latent.checkUnits(units);
    }

    @Override
    public String name() {
        return "bernoulli";
    }

    @Override
    public int parameters() {
        return units;
    }

    @Override
    public int width() {
        return units;
    }

    @Override
    public Distribution posterior(NDArray output) {
        return Bernoulli.ofLogits(output);
    }

    @Override
    public NDArray flatten(NDArray z) {
        return z;
    }

    /** {@code Σ_d log 2 − H(q_d)}, with {@code H = softplus(l) − l·sigmoid(l)}. */
    @Override
    public NDArray kl(Distribution q) {
        return Bits.klToHalf(((Bernoulli) q).logits()).sum(new int[] {-1});
    }

    @Override
    public Distribution prior(NDManager manager, Shape batch) {
        return Bernoulli.ofLogits(manager.zeros(batch.add(units)));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latent", name());
        m.put("units", units);
        m.put("prior", "Bernoulli(1/2)");
        return m;
    }
}
