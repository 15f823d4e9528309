package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.discrete4j.model.AnnealedModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.SiteCache;
import org.junit.jupiter.api.Test;

/** The tempered model that AIS runs kernels on (here, next to {@link ExactCheck}). */
class AnnealedModelTest {

    static final IsingModel ISING = IsingModel.lattice(3, 0.5, 0.2);

    static AnnealedModel annealed(double beta) {
        double[] p = new double[9];
        for (int i = 0; i < 9; i++) {
            p[i] = 0.2 + 0.06 * i;
        }
        AnnealedModel m = AnnealedModel.bernoulli(ISING, p);
        m.setBeta(beta);
        return m;
    }

    /** log p_β, its deltas, cache deltas and one-hot gradient are the β-mixtures of the target's and the base's. */
    @Test
    void everyQuantityIsTheMixture() {
        AnnealedModel m = annealed(0.3);
        ChainState s = ChainState.uniform(ISING, 4, 5);
        int[] x = s.x();
        double[] target = new double[4];
        double[] base = new double[4];
        double[] mixed = new double[4];
        ISING.logProb(x, 4, target);
        m.baseLogProb(x, 4, base);
        m.logProb(x, 4, mixed);
        for (int c = 0; c < 4; c++) {
            assertThat(mixed[c]).isCloseTo(0.3 * target[c] + 0.7 * base[c], within(1e-12));
        }
        double[] deltas = new double[4 * 9 * 2];
        m.deltas(x, 4, deltas);
        SiteCache cache = m.cache(x.clone(), 4);
        int[] y = x.clone();
        double[] one = new double[1];
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 9; i++) {
                int flip = 1 - x[c * 9 + i];
                System.arraycopy(x, c * 9, y, 0, 9);
                y[i] = flip;
                m.logProb(y, 1, one);
                double exact = one[0] - mixed[c];
                assertThat(deltas[(c * 9 + i) * 2 + flip]).isCloseTo(exact, within(1e-12));
                assertThat(cache.delta(c, i, flip)).isCloseTo(exact, within(1e-12));
            }
        }
        float[] g = new float[4 * 9 * 2];
        float[] gt = new float[4 * 9 * 2];
        m.logProbAndGradient(x, 4, new double[4], g);
        ISING.logProbAndGradient(x, 4, new double[4], gt);
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 9; i++) {
                double p = 0.2 + 0.06 * i;
                double expected = 0.3 * (gt[(c * 9 + i) * 2 + 1] - gt[(c * 9 + i) * 2])
                        + 0.7 * (Math.log(p) - Math.log1p(-p));
                assertThat((double) (g[(c * 9 + i) * 2 + 1] - g[(c * 9 + i) * 2])).isCloseTo(expected, within(1e-5));
            }
        }
    }

    /** Gibbs on the tempered model samples p_β exactly (TV bound of {@link ExactCheck}). */
    @Test
    void gibbsSamplesTheTemperedDistribution() {
        AnnealedModel m = annealed(0.6);
        ExactCheck.Result r = ExactCheck.check(m, new Gibbs(false), 40_000, 300, 4);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    /** Exact draws from the base: at β = 0 the model is π₀, and sampleBase matches it. */
    @Test
    void baseDrawsMatchTheBase() {
        AnnealedModel m = annealed(0);
        int n = 40_000;
        int[] x = new int[n * 9];
        m.sampleBase(x, n, new java.util.SplittableRandom(6));
        ExactCheck.Result r = ExactCheck.tv(x, n, 9, 2, Enumeration.of(m).probabilities());
        assertThat(r.passes()).as(r.toString()).isTrue();
    }
}
