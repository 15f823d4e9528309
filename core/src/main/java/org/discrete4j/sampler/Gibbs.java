package org.discrete4j.sampler;

import org.discrete4j.model.SiteCache;

/**
 * Single-site Gibbs sampling (Geman & Geman 1984): each step redraws one site of every chain from its exact
 * conditional p(x_i | x_−i) ∝ exp(Δ_i(k)), the single-site changes of log p̃ read off the model's cache.
 * Random scan picks the site uniformly; systematic scan sweeps 0..D−1 in order. Binary and categorical.
 */
public final class Gibbs implements Kernel {

    private final boolean systematic;
    private int next;

    public Gibbs(boolean systematic) {
        this.systematic = systematic;
    }

    @Override
    public String name() {
        return systematic ? "gibbs-sweep" : "gibbs";
    }

    @Override
    public void init(ChainState state) {
        state.cache();
    }

    @Override
    public StepInfo step(ChainState state) {
        SiteCache cache = state.cache();
        int d = state.dim();
        int k = state.numValues();
        int[] x = state.x();
        double[] logp = state.logProb();
        double[] delta = new double[k];
        int site = systematic ? next : -1;
        long flips = 0;
        for (int c = 0; c < state.chains(); c++) {
            int i = systematic ? site : state.rng().nextInt(d);
            cache.siteDeltas(c, i, delta);
            int v = Categoricals.sampleLog(delta, state.rng());
            if (v != x[c * d + i]) {
                flips++;
                logp[c] += delta[v];
                cache.set(c, i, v);
            }
        }
        if (systematic) {
            next = (next + 1) % d;
        }
        state.addEvaluations(k - 1);
        state.invalidateGradient();
        return new StepInfo(1.0, (double) flips / state.chains());
    }
}
