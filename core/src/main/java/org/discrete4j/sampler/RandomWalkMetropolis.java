package org.discrete4j.sampler;

import org.discrete4j.model.SiteCache;

/**
 * Random-walk Metropolis–Hastings on {0..K−1}^D: every site is changed independently with probability radius/D (a
 * flip for binary sites, a uniform draw among the other K − 1 values otherwise), and the move is accepted with
 * probability min(1, p̃(x')/p̃(x)). The proposal depends only on which sites change, the same set for x → x' and
 * x' → x, so it is symmetric and the Hastings factor is 1. When no site is selected one site is picked uniformly,
 * which keeps that symmetry (the probability of a one-site move is still a function of the site alone) and avoids
 * null moves that would pad the acceptance rate.
 *
 * <p>During burn-in (only while {@link #setAdapting} is on) the radius follows the acceptance rate towards 0.234,
 * the optimal rate for random-walk proposals in high dimension (Roberts, Gelman & Gilks, Ann. Appl. Probab. 7:110,
 * 1997): radius ← clip(radius + (acceptance − 0.234), 1, D(K−1)/K) after each step, acceptance averaged over the chains,
 * the rule of DISCS's adaptive random walk (Goshvadi et al., NeurIPS 2023).
 *
 * <p>Δ log p̃ is the sum of single-site deltas read off the model's cache while the sites are changed one after the
 * other; a rejected move is undone in reverse order. Each delta counts as one energy evaluation.
 */
public final class RandomWalkMetropolis implements Kernel {

    /** Optimal acceptance rate of random-walk Metropolis (Roberts, Gelman & Gilks 1997). */
    public static final double TARGET_ACCEPTANCE = 0.234;

    private double radius;
    private boolean adapting;
    private int[] sites;
    private int[] old;
    private long deltaCarry; // single-site deltas not yet credited as whole evaluations per chain

    /** Starts from radius 1 (one site changed on average). */
    public RandomWalkMetropolis() {
        this(1.0);
    }

    public RandomWalkMetropolis(double radius) {
        if (!(radius >= 1) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("radius must be finite and >= 1, got " + radius);
        }
        this.radius = radius;
    }

    @Override
    public String name() {
        return "rwm";
    }

    /** The expected number of changed sites per proposal (before the at-least-one rule). */
    /**
     * D(K−1)/K: each site then takes a uniformly random value, the independence proposal. Beyond it the proposal
     * only gets less random, and at D a binary chain would flip every site every step and never leave the pair
     * {x, complement of x} (the reason DISCS's clip to D is not used here).
     */
    static double maxRadius(ChainState state) {
        return Math.max(1.0, state.dim() * (state.numValues() - 1.0) / state.numValues());
    }

    public double radius() {
        return radius;
    }

    @Override
    public void setAdapting(boolean adapting) {
        this.adapting = adapting;
    }

    @Override
    public void init(ChainState state) {
        sites = new int[state.dim()];
        old = new int[state.dim()];
        radius = Math.min(radius, maxRadius(state));
        state.cache();
    }

    @Override
    public StepInfo step(ChainState state) {
        if (sites == null || sites.length != state.dim()) {
            init(state);
        }
        SiteCache cache = state.cache();
        int d = state.dim();
        int k = state.numValues();
        int[] x = state.x();
        double[] logp = state.logProb();
        double p = Math.min(1.0, radius / d);
        double logStay = Math.log1p(-p);
        long accepted = 0;
        long changed = 0;
        long deltas = 0;
        for (int c = 0; c < state.chains(); c++) {
            int o = c * d;
            int n = 0;
            if (p >= 1) {
                for (int i = 0; i < d; i++) {
                    sites[n++] = i;
                }
            } else {
                // Geometric skips between selected sites: the gap is ⌊log U / log(1 − p)⌋ failures.
                double i = -1;
                while (true) {
                    i += 1 + Math.floor(Math.log(1.0 - state.rng().nextDouble()) / logStay);
                    if (i >= d) {
                        break;
                    }
                    sites[n++] = (int) i;
                }
                if (n == 0) {
                    sites[n++] = state.rng().nextInt(d);
                }
            }
            double dlogp = 0;
            for (int m = 0; m < n; m++) {
                int i = sites[m];
                int cur = x[o + i];
                int v;
                if (k == 2) {
                    v = 1 - cur;
                } else {
                    v = state.rng().nextInt(k - 1);
                    if (v >= cur) {
                        v++;
                    }
                }
                old[m] = cur;
                dlogp += cache.delta(c, i, v);
                cache.set(c, i, v);
            }
            deltas += n;
            if (Metropolis.accept(dlogp, state.rng(), name())) {
                accepted++;
                changed += n;
                logp[c] += dlogp;
            } else {
                for (int m = n - 1; m >= 0; m--) {
                    cache.set(c, sites[m], old[m]);
                }
            }
        }
        double acceptance = (double) accepted / state.chains();
        if (adapting) {
            radius = Math.max(1.0, Math.min(maxRadius(state), radius + acceptance - TARGET_ACCEPTANCE));
        }
        deltaCarry += deltas;
        state.addEvaluations(deltaCarry / state.chains());
        deltaCarry %= state.chains();
        state.invalidateGradient();
        return new StepInfo(acceptance, (double) changed / state.chains());
    }
}
