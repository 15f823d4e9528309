package org.discrete4j.diagnostic;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.discrete4j.model.Rbm;

/**
 * Annealed importance sampling of an RBM's log Z along the path of Salakhutdinov and Murray ("On the quantitative
 * analysis of deep belief networks", ICML 2008, §3.2), so that every intermediate distribution is itself an RBM and
 * block Gibbs is an exact transition at every temperature:
 * p_β(v, h) ∝ exp((1 − β) b₀ᵀv + β (bᵀv + cᵀh + hᵀWv)), β_t = t/(T − 1), t = 0..T−1.
 *
 * <p>At β = 0 the visible units are the base Bernoulli(σ(b₀)) and the hidden units are uniform, so
 * Z₀ = 2^H Π_i (1 + e^{b₀_i}) and exact draws start every run. Summing out h gives the unnormalised marginal
 * log p*_β(v) = ((1 − β) b₀ + β b)ᵀv + Σ_j softplus(β (c + Wv)_j), which equals the RBM's log p̃(v) at β = 1. Each
 * run adds log p*_{β_t}(v) − log p*_{β_{t−1}}(v) to its log-weight (which starts at log Z₀) and then takes one block
 * Gibbs step at β_t: h ~ Bern(σ(β a)), v ~ Bern(σ((1 − β) b₀ + β (b + Wᵀh))). The geometric path of {@link Ais}
 * raises the whole marginal p̃(v) to β instead, and that is not an RBM: block Gibbs could not sample it.
 *
 * <p>Runs are independent, each with its own split of the random stream, and go one at a time through all
 * temperatures so that a run's pre-activations stay in cache; a = c + Wv is updated from the visible units that
 * changed, and so is u = b + Wᵀh from the hidden units that changed; both are recomputed from scratch every
 * {@value #REFRESH} steps so rounding cannot accumulate. u, the bulk of the work (H × V per step), is kept in single
 * precision: it only sets the visible units' sampling probabilities, while everything that enters the weights (a and
 * the softplus sums) is double.
 */
public final class RbmAis {

    private static final int REFRESH = 1000;

    private RbmAis() {}

    /**
     * log Z of {@code rbm} from {@code runs} AIS runs over {@code temperatures} ≥ 2 values of β, starting from the
     * base Bernoulli({@code baseMean}) (each entry in (0, 1); Salakhutdinov and Murray fit it to the data).
     * {@code progress}, when not null, is told after each run how many runs are done.
     */
    public static Ais.Result run(Rbm rbm, double[] baseMean, int runs, int temperatures, long seed,
            LongConsumer progress) {
        int nv = rbm.visible();
        int nh = rbm.hidden();
        if (runs < 1) {
            throw new IllegalArgumentException("AIS needs at least one run, got " + runs);
        }
        if (temperatures < 2) {
            throw new IllegalArgumentException("AIS needs at least 2 temperatures, got " + temperatures);
        }
        if (baseMean.length != nv) {
            throw new IllegalArgumentException("base mean has " + baseMean.length + " entries, the RBM " + nv
                    + " visible units");
        }
        double[] b0 = new double[nv];
        double logZ0 = nh * Math.log(2);
        for (int i = 0; i < nv; i++) {
            double p = baseMean[i];
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("base probability must be in (0, 1), got " + p + " at unit " + i);
            }
            b0[i] = Math.log(p) - Math.log1p(-p);
            logZ0 -= Math.log1p(-p); // softplus(b₀_i) = −log(1 − p_i)
        }
        double[] b = rbm.visibleBias();
        double[][] wRows = rbm.weights();
        double[] wt = new double[nv * nh]; // V × H: column i of W, for updating a when v_i flips
        float[][] wf = new float[nh][nv]; // W in single precision for u, where most of the work is
        for (int j = 0; j < nh; j++) {
            for (int i = 0; i < nv; i++) {
                wt[i * nh + j] = wRows[j][i];
                wf[j][i] = (float) wRows[j][i];
            }
        }
        double[] w = new double[runs];
        int[] v = new int[nv];
        int[] h = new int[nh];
        double[] a = new double[nh];
        double[] q = new double[nh]; // σ(β a): the hidden units' probabilities at the current temperature
        float[] u = new float[nv];
        SplittableRandom root = new SplittableRandom(seed);
        for (int r = 0; r < runs; r++) {
            SplittableRandom rng = root.split();
            for (int i = 0; i < nv; i++) {
                v[i] = rng.nextDouble() < baseMean[i] ? 1 : 0;
            }
            Arrays.fill(h, 0);
            rbm.hiddenInput(v, 0, a, 0);
            visibleInput(b, wf, h, u);
            double logW = logZ0;
            double previous = 0;
            for (int t = 1; t < temperatures; t++) {
                double beta = t == temperatures - 1 ? 1.0 : (double) t / (temperatures - 1);
                double dv = 0;
                for (int i = 0; i < nv; i++) {
                    if (v[i] != 0) {
                        dv += b[i] - b0[i];
                    }
                }
                double dh = 0;
                for (int j = 0; j < nh; j++) {
                    // softplus(x) = max(x, 0) + log(1 + e), e = exp(−|x|), and σ(x) from the same e
                    double x = beta * a[j];
                    double e = Math.exp(-Math.abs(x));
                    dh += Math.max(x, 0) + Math.log1p(e) - softplus(previous * a[j]);
                    q[j] = x >= 0 ? 1 / (1 + e) : e / (1 + e);
                }
                logW += (beta - previous) * dv + dh;
                previous = beta;
                if (t == temperatures - 1) {
                    break;
                }
                for (int j = 0; j < nh; j++) {
                    int nhj = rng.nextDouble() < q[j] ? 1 : 0;
                    if (nhj != h[j]) {
                        h[j] = nhj;
                        float[] row = wf[j];
                        if (nhj == 1) {
                            for (int i = 0; i < nv; i++) {
                                u[i] += row[i];
                            }
                        } else {
                            for (int i = 0; i < nv; i++) {
                                u[i] -= row[i];
                            }
                        }
                    }
                }
                for (int i = 0; i < nv; i++) {
                    int nvi = rng.nextDouble() < sigmoid((1 - beta) * b0[i] + beta * u[i]) ? 1 : 0;
                    if (nvi != v[i]) {
                        double s = nvi - v[i];
                        v[i] = nvi;
                        int o = i * nh;
                        for (int j = 0; j < nh; j++) {
                            a[j] += s * wt[o + j];
                        }
                    }
                }
                if (t % REFRESH == 0) {
                    rbm.hiddenInput(v, 0, a, 0);
                    visibleInput(b, wf, h, u);
                }
            }
            w[r] = logW;
            if (progress != null) {
                progress.accept(r + 1);
            }
        }
        return Ais.of(w, temperatures, (long) temperatures - 1);
    }

    /** u = b + Wᵀh in single precision. */
    private static void visibleInput(double[] b, float[][] w, int[] h, float[] u) {
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) b[i];
        }
        for (int j = 0; j < h.length; j++) {
            if (h[j] != 0) {
                float[] row = w[j];
                for (int i = 0; i < u.length; i++) {
                    u[i] += row[i];
                }
            }
        }
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
