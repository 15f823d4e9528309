package org.discrete4j.sampler;

import java.util.SplittableRandom;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.PottsModel;

/**
 * Swendsen–Wang cluster updates (Swendsen & Wang, "Nonuniversal critical dynamics in Monte Carlo simulations",
 * PRL 58:86, 1987) for ferromagnetic pairwise models: {@link IsingModel} and {@link PottsModel} with every coupling
 * J_ij ≥ 0, any fields.
 *
 * <p>Derivation (the Edwards–Sokal joint, PRD 38:2009, 1988). Write each pair's factor as a function of the
 * agreement δ_ij = 1[x_i = x_j]: for Potts, exp(J δ); for our Ising convention J s_i s_j = 2J δ_ij − J, so the
 * factor is exp(2J δ) up to a constant — the bond strength is 2J, not J. With w = J (Potts) or 2J (Ising) and
 * p = 1 − e^−w, exp(w δ) = e^w [(1 − p) + p δ], so p(x) is the marginal of
 * π(x, ω) ∝ Π_i e^{f_i(x_i)} Π_⟨ij⟩ [(1 − p_ij)(1 − ω_ij) + p_ij ω_ij δ_ij] over bonds ω ∈ {0,1}. Its
 * conditionals are exact Gibbs steps: given x, the bonds are independent, ω_ij = 1 with probability p_ij when
 * x_i = x_j and 0 otherwise; given ω, x is constant on each connected cluster C and the clusters are independent
 * with p(x_C = v) ∝ exp(Σ_{i ∈ C} f_i(v)), where f_i is the site's field term (h_i(2v − 1) for Ising, f_{iv} for
 * Potts). Without fields that is a uniform new value, the original algorithm; with fields it is the exact
 * field-weighted draw, so no ghost spin or Metropolis correction is needed. Negative couplings would make p < 0:
 * the kernel does not apply to antiferromagnetic or frustrated models, nor to any other model.
 *
 * <p>p = −expm1(−w) keeps weak bonds accurate. Clusters by union–find with path halving and union by size. The new
 * log p̃ is one full evaluation per step; the site cache and gradient are dropped.
 */
public final class SwendsenWang implements Kernel {

    private EnergyModel bound;
    private int[] start;
    private int[] neighbour;
    private double[] bond; // bond probability of each CSR entry
    private double[] siteLogw; // f_i(v) at i·K + v
    private int[] parent;
    private int[] size;
    private double[] clusterLogw;
    private int[] newValue;
    private double[] buf;
    private double[] singleCdf; // cumulative field distribution of each site, for one-site clusters

    @Override
    public String name() {
        return "sw";
    }

    @Override
    public boolean appliesTo(EnergyModel model) {
        double[] j;
        if (model instanceof IsingModel) {
            j = ((IsingModel) model).couplings();
        } else if (model instanceof PottsModel) {
            j = ((PottsModel) model).couplings();
        } else {
            return false;
        }
        for (double v : j) {
            if (!(v >= 0)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void init(ChainState state) {
        EnergyModel model = state.model();
        if (!appliesTo(model)) {
            throw new IllegalArgumentException("sw: Swendsen–Wang needs a ferromagnetic (all couplings >= 0) Ising or "
                    + "Potts model, got " + model);
        }
        int d = model.dim();
        int k = model.numValues();
        double[] j;
        double strength;
        siteLogw = new double[d * k];
        if (model instanceof IsingModel) {
            IsingModel m = (IsingModel) model;
            start = m.starts();
            neighbour = m.neighbours();
            j = m.couplings();
            strength = 2; // J s_i s_j = 2J·1[x_i = x_j] − J
            double[] h = m.fields();
            for (int i = 0; i < d; i++) {
                siteLogw[2 * i] = -h[i];
                siteLogw[2 * i + 1] = h[i];
            }
        } else {
            PottsModel m = (PottsModel) model;
            start = m.starts();
            neighbour = m.neighbours();
            j = m.couplings();
            strength = 1;
            siteLogw = m.fields();
        }
        bond = new double[j.length];
        for (int n = 0; n < j.length; n++) {
            bond[n] = -Math.expm1(-strength * j[n]);
        }
        parent = new int[d];
        size = new int[d];
        clusterLogw = new double[d * k];
        newValue = new int[d];
        buf = new double[k];
        singleCdf = new double[d * k];
        for (int i = 0; i < d; i++) {
            double total = weights(siteLogw, i * k, k);
            double acc = 0;
            for (int v = 0; v < k; v++) {
                acc += buf[v] / total;
                singleCdf[i * k + v] = acc;
            }
        }
        bound = model;
    }

    /** A lone site's value from its precomputed field distribution. */
    private int drawSingle(int i, SplittableRandom rng) {
        int k = buf.length;
        double u = rng.nextDouble();
        for (int v = 0; v < k - 1; v++) {
            if (u < singleCdf[i * k + v]) {
                return v;
            }
        }
        return k - 1;
    }

    /** A cluster's value ∝ exp(clusterLogw[o + v]), one exp per value. */
    private int draw(int o, int k, SplittableRandom rng) {
        double u = rng.nextDouble() * weights(clusterLogw, o, k);
        for (int v = 0; v < k - 1; v++) {
            u -= buf[v];
            if (u < 0) {
                return v;
            }
        }
        return k - 1;
    }

    /** exp(logw[o + v] − max) into buf[v]; returns their sum. */
    private double weights(double[] logw, int o, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < k; v++) {
            max = Math.max(max, logw[o + v]);
        }
        double total = 0;
        for (int v = 0; v < k; v++) {
            buf[v] = Math.exp(logw[o + v] - max);
            total += buf[v];
        }
        return total;
    }

    private int find(int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    @Override
    public StepInfo step(ChainState state) {
        if (bound != state.model()) {
            init(state);
        }
        int d = state.dim();
        int k = state.numValues();
        int[] x = state.x();
        long changed = 0;
        for (int c = 0; c < state.chains(); c++) {
            int o = c * d;
            for (int i = 0; i < d; i++) {
                parent[i] = i;
                size[i] = 1;
            }
            for (int i = 0; i < d; i++) {
                int xi = x[o + i];
                for (int n = start[i]; n < start[i + 1]; n++) {
                    int j = neighbour[n];
                    // Each pair once (from its lower end); a bond only between agreeing sites.
                    if (j > i && x[o + j] == xi && state.rng().nextDouble() < bond[n]) {
                        int a = find(i);
                        int b = find(j);
                        if (a != b) {
                            if (size[a] < size[b]) {
                                int t = a;
                                a = b;
                                b = t;
                            }
                            parent[b] = a;
                            size[a] += size[b];
                        }
                    }
                }
            }
            java.util.Arrays.fill(clusterLogw, 0.0);
            for (int i = 0; i < d; i++) {
                int root = find(i);
                parent[i] = root; // full compression: later passes read the root directly
                for (int v = 0; v < k; v++) {
                    clusterLogw[root * k + v] += siteLogw[i * k + v];
                }
            }
            for (int i = 0; i < d; i++) {
                if (parent[i] == i) {
                    newValue[i] = size[i] == 1 ? drawSingle(i, state.rng()) : draw(i * k, k, state.rng());
                }
            }
            for (int i = 0; i < d; i++) {
                int v = newValue[parent[i]];
                if (v != x[o + i]) {
                    changed++;
                    x[o + i] = v;
                }
            }
        }
        state.model().logProb(x, state.chains(), state.logProb());
        state.addEvaluations(1);
        state.invalidateCache();
        state.invalidateGradient();
        return new StepInfo(1.0, (double) changed / state.chains());
    }
}
