package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.Binomial;
import org.discrete4j.distribution.Distribution;

/**
 * Independent binomial counts of n trials whose success logits the network outputs, with the prior Binomial(n, 1/2).
 * The count itself enters the next network.
 */
public final class BinomialLatent implements Latent {

    private final int units;
    private final int trials;

    public BinomialLatent(int units, int trials) {
        this.units = Latent.checkUnits(units);
        if (trials < 1) {
            throw new IllegalArgumentException("binomial units need >= 1 trial, got " + trials);
        }
        this.trials = trials;
    }

    @Override
    public String name() {
        return "binomial";
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
        return Binomial.ofLogits(trials, output);
    }

    @Override
    public NDArray flatten(NDArray z) {
        return z;
    }

    /** n times the Bernoulli KL to 1/2: {@code Σ_d n (log 2 − H(p_d))}, {@code H = softplus(l) − l·sigmoid(l)}. */
    @Override
    public NDArray kl(Distribution q) {
        return Scalars.mul(Bits.klToHalf(((Binomial) q).logits()), trials).sum(new int[] {-1});
    }

    @Override
    public Distribution prior(NDManager manager, Shape batch) {
        return Binomial.ofLogits(trials, manager.zeros(batch.add(units)));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latent", name());
        m.put("units", units);
        m.put("trials", trials);
        m.put("prior", "Binomial(" + trials + ", 1/2)");
        return m;
    }
}
