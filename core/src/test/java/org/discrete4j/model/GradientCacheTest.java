package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The incremental proposal evaluation of every {@link GradientCache} against fresh evaluations of the model, over
 * thousands of rounds of random proposals (one to four changed sites, sometimes many) of which a random half is
 * accepted: Δlog p̃ to 1e-9 relative to the size of log p̃ (the closed forms are exact up to a few ulps, so any
 * mistake in a term shows far above this), the gradient bit for bit where the cache recomputes its local quantities
 * from the states (Ising, Potts, factorial HMM) and within float32 rounding for the RBM (its gradient is a float32
 * product over H terms, its hidden inputs carried by exact adds: |error| ≤ 1e-4 · (1 + |g|) is some 100× the
 * rounding of a 500-term float sum of terms of size |W| ≤ 1). A cache that is never refreshed must also stay where a
 * fresh evaluation is: the RBM's hidden inputs, the only quantities carried by adds, are checked after all rounds.
 */
class GradientCacheTest {

    record Case(String name, EnergyModel model, boolean exactGradient) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        int[][] pairs = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {1, 5}, {3, 7}};
        double[] couplings = {0.6, -0.4, 0.9, 0.3, -0.7, 0.5, 0.2, -0.3, 0.8, 0.4, -0.6};
        double[][] fields = new double[8][3];
        SplittableRandom r = new SplittableRandom(3);
        for (double[] f : fields) {
            for (int v = 0; v < 3; v++) {
                f[v] = r.nextGaussian();
            }
        }
        return List.of(
                new Case("ising lattice 5x5", IsingModel.lattice(5, 0.4, -0.2), true),
                new Case("ising ER 30", IsingModel.erdosRenyi(30, 0.2, 0.7, 0.1, 5), true),
                new Case("potts lattice 4x4 K=4", PottsModel.lattice(4, 4, 0.8, 0.3), true),
                new Case("potts graph 8 K=3", PottsModel.of(3, pairs, couplings, fields), true),
                new Case("rbm 40x12", Rbm.random(40, 12, 0.5, 1.0, 6), false),
                new Case("fhmm T=12 K=3", FactorialHmm.random(12, 3, 7), true));
    }

    static final int CHAINS = 7;
    static final int ROUNDS = 3000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void incrementalEvaluationEqualsAFreshOne(Case c) {
        EnergyModel m = c.model();
        int d = m.dim();
        int k = m.numValues();
        SplittableRandom rng = new SplittableRandom(11);
        int[] x = new int[CHAINS * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(k);
        }
        GradientCache cache = (GradientCache) m.cache(x, CHAINS);
        int[] xp = new int[x.length];
        int[] sites = new int[x.length];
        int[] counts = new int[CHAINS];
        double[] delta = new double[CHAINS];
        float[] grad = new float[CHAINS * d * k];
        double[] before = new double[CHAINS];
        double[] after = new double[CHAINS];
        float[] fresh = new float[CHAINS * d * k];
        double worstDelta = 0;
        double worstGrad = 0;
        for (int round = 0; round < ROUNDS; round++) {
            System.arraycopy(x, 0, xp, 0, x.length);
            for (int ch = 0; ch < CHAINS; ch++) {
                if (rng.nextInt(10) == 0) {
                    counts[ch] = -1; // left out
                    continue;
                }
                int n = rng.nextInt(20) == 0 ? d / 2 + 1 : 1 + rng.nextInt(4); // sometimes many sites
                counts[ch] = 0;
                for (int t = 0; t < n; t++) {
                    int i = rng.nextInt(d);
                    if (xp[ch * d + i] != x[ch * d + i]) {
                        continue; // distinct sites
                    }
                    xp[ch * d + i] = (x[ch * d + i] + 1 + rng.nextInt(k - 1)) % k;
                    sites[ch * d + counts[ch]++] = i;
                }
            }
            m.logProbAndGradient(x, CHAINS, before, grad); // evaluate's contract: grad arrives holding the gradient at x
            cache.evaluate(xp, sites, counts, delta, grad);
            m.logProbAndGradient(xp, CHAINS, after, fresh);
            for (int ch = 0; ch < CHAINS; ch++) {
                if (counts[ch] < 0) {
                    continue;
                }
                double exact = after[ch] - before[ch];
                double scale = 1 + Math.abs(before[ch]) + Math.abs(after[ch]);
                worstDelta = Math.max(worstDelta, Math.abs(delta[ch] - exact) / scale);
                for (int e = ch * d * k; e < (ch + 1) * d * k; e++) {
                    if (c.exactGradient()) {
                        assertThat(grad[e]).as("%s round %d gradient entry %d", c, round, e).isEqualTo(fresh[e]);
                    } else {
                        worstGrad = Math.max(worstGrad, Math.abs(grad[e] - fresh[e]) / (1 + Math.abs(fresh[e])));
                    }
                }
            }
            for (int ch = 0; ch < CHAINS; ch++) {
                if (counts[ch] >= 0 && rng.nextBoolean()) {
                    cache.accept(ch);
                    assertThat(java.util.Arrays.copyOfRange(x, ch * d, (ch + 1) * d))
                            .containsExactly(java.util.Arrays.copyOfRange(xp, ch * d, (ch + 1) * d));
                }
            }
        }
        assertThat(worstDelta).as(c + ": worst |Δ − exact| / (1 + |log p̃|)").isLessThan(1e-9);
        assertThat(worstGrad).as(c + ": worst gradient error").isLessThan(1e-4);
        // The single-site deltas of the cache, carried through all those moves, are still those of a fresh cache.
        SiteCache reference = m.cache(x.clone(), CHAINS);
        for (int ch = 0; ch < CHAINS; ch++) {
            for (int i = 0; i < d; i++) {
                for (int v = 0; v < k; v++) {
                    double a = cache.delta(ch, i, v);
                    double b = reference.delta(ch, i, v);
                    assertThat(Math.abs(a - b)).as("%s delta(%d, %d, %d)", c, ch, i, v)
                            .isLessThanOrEqualTo(1e-9 * (1 + Math.abs(b)));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refreshIsAFreshEvaluation(Case c) {
        EnergyModel m = c.model();
        int d = m.dim();
        int k = m.numValues();
        SplittableRandom rng = new SplittableRandom(12);
        int[] x = new int[CHAINS * d];
        GradientCache cache = (GradientCache) m.cache(x, CHAINS);
        for (int t = 0; t < 500; t++) {
            cache.set(rng.nextInt(CHAINS), rng.nextInt(d), rng.nextInt(k)); // moves through the site interface
        }
        double[] lp = new double[CHAINS];
        float[] g = new float[CHAINS * d * k];
        cache.refresh(lp, g);
        double[] lpFresh = new double[CHAINS];
        float[] gFresh = new float[CHAINS * d * k];
        m.logProbAndGradient(x, CHAINS, lpFresh, gFresh);
        for (int ch = 0; ch < CHAINS; ch++) {
            assertThat(Math.abs(lp[ch] - lpFresh[ch])).isLessThanOrEqualTo(1e-12 * (1 + Math.abs(lpFresh[ch])));
        }
        for (int e = 0; e < g.length; e++) {
            if (c.exactGradient()) {
                assertThat(g[e]).isEqualTo(gFresh[e]);
            } else {
                assertThat((double) Math.abs(g[e] - gFresh[e])).isLessThan(1e-5 * (1 + Math.abs(gFresh[e])));
            }
        }
    }
}
