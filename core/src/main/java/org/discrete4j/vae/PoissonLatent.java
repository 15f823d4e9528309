package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.Poisson;

/**
 * Independent Poisson counts whose log-rates the network outputs, with a Poisson(λ0) prior (the count VAE of Joo et
 * al., arXiv:2003.01847, §5). The count itself enters the next network.
 */
public final class PoissonLatent implements Latent {

    private final int units;
    private final double priorRate;

    public PoissonLatent(int units, double priorRate) {
        this.units = Latent.checkUnits(units);
        if (!(priorRate > 0) || Double.isInfinite(priorRate)) {
            throw new IllegalArgumentException("the prior rate must be finite and > 0, got " + priorRate);
        }
        this.priorRate = priorRate;
    }

    @Override
    public String name() {
        return "poisson";
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
        return Poisson.ofLogRate(output);
    }

    @Override
    public NDArray flatten(NDArray z) {
        return z;
    }

    /** {@code Σ_d λ_d (log λ_d − log λ0) − λ_d + λ0}. */
    @Override
    public NDArray kl(Distribution q) {
        Poisson p = (Poisson) q;
        NDArray rate = p.rate();
        return rate.mul(p.logRate().sub((float) Math.log(priorRate))).sub(rate).add((float) priorRate)
                .sum(new int[] {-1});
    }

    @Override
    public Distribution prior(NDManager manager, Shape batch) {
        return Poisson.ofRate(manager.full(batch.add(units), (float) priorRate));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latent", name());
        m.put("units", units);
        m.put("prior", "Poisson(" + priorRate + ")");
        return m;
    }
}
