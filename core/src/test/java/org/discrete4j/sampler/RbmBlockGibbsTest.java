package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.Rbm;
import org.junit.jupiter.api.Test;

class RbmBlockGibbsTest {

    /** 10 visible, 6 hidden units; weights large enough that the distribution is far from uniform. */
    static final Rbm RBM = Rbm.random(10, 6, 0.6, 0.8, 2024);

    @Test
    void matchesExactEnumeration() {
        ExactCheck.Result r = ExactCheck.check(RBM, new RbmBlockGibbs(), 40_000, 60, 1);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    /** The check has power: the same draws fail against the RBM with 20 % larger weights. */
    @Test
    void checkRejectsAWrongTarget() {
        int[] x = ExactCheck.finalStates(RBM, new RbmBlockGibbs(), 40_000, 60, 2);
        double[][] w = RBM.weights();
        for (double[] row : w) {
            for (int i = 0; i < row.length; i++) {
                row[i] *= 1.2;
            }
        }
        Rbm wrong = Rbm.of(w, RBM.visibleBias(), RBM.hiddenBias());
        ExactCheck.Result r = ExactCheck.tv(x, 40_000, 10, 2, Enumeration.of(wrong).probabilities());
        assertThat(r.passes()).as(r.toString()).isFalse();
    }

    /**
     * Interleaved with single-site Gibbs, which changes the states behind the kernel's back: the kernel must notice
     * and the mixture must still sample the model.
     */
    @Test
    void staysExactWhenInterleavedWithAnotherKernel() {
        ChainState s = ChainState.uniform(RBM, 40_000, 3);
        RbmBlockGibbs bg = new RbmBlockGibbs();
        Gibbs g = new Gibbs(false);
        bg.init(s);
        g.init(s);
        for (int t = 0; t < 25; t++) {
            bg.step(s);
            g.step(s);
            g.step(s);
        }
        ExactCheck.Result r = ExactCheck.tv(s.x(), 40_000, 10, 2, Enumeration.of(RBM).probabilities());
        assertThat(r.passes()).as(r.toString()).isTrue();
        double[] fresh = new double[40_000];
        RBM.logProb(s.x(), 40_000, fresh);
        for (int c = 0; c < 40_000; c++) {
            assertThat(s.logProb()[c]).isCloseTo(fresh[c], within(1e-9));
        }
    }

    @Test
    void keepsTheChainStateConsistent() {
        Rbm m = Rbm.random(30, 8, 0.5, 1.0, 5);
        ChainState s = ChainState.uniform(m, 7, 6);
        RbmBlockGibbs k = new RbmBlockGibbs();
        k.init(s);
        float[] before = s.gradient();
        long evals = s.evaluations();
        double flips = 0;
        for (int t = 0; t < 20; t++) {
            StepInfo info = k.step(s);
            assertThat(info.acceptance()).isEqualTo(1.0);
            flips += info.flips();
        }
        assertThat(flips).isPositive();
        assertThat(s.evaluations()).isEqualTo(evals + 20);
        double[] fresh = new double[7];
        m.logProb(s.x(), 7, fresh);
        assertThat(s.logProb()).containsExactly(fresh);
        // The gradient and the site cache describe the new states, not stale ones.
        float[] g = new float[7 * 30 * 2];
        m.logProbAndGradient(s.x(), 7, new double[7], g);
        assertThat(s.gradient()).isNotSameAs(before).containsExactly(g);
        int site = 4;
        double[] d = new double[7 * 30 * 2];
        m.deltas(s.x(), 7, d);
        assertThat(s.cache().delta(2, site, 1 - s.x()[2 * 30 + site])).isEqualTo(d[(2 * 30 + site) * 2 + 1
                - s.x()[2 * 30 + site]]);
    }

    @Test
    void sameSeedSameChains() {
        int[] a = ExactCheck.finalStates(RBM, new RbmBlockGibbs(), 50, 30, 9);
        int[] b = ExactCheck.finalStates(RBM, new RbmBlockGibbs(), 50, 30, 9);
        int[] c = ExactCheck.finalStates(RBM, new RbmBlockGibbs(), 50, 30, 10);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void appliesOnlyToRbms() {
        RbmBlockGibbs k = new RbmBlockGibbs();
        assertThat(k.name()).isEqualTo("rbm-gibbs");
        assertThat(k.appliesTo(RBM)).isTrue();
        IsingModel ising = IsingModel.lattice(3, 0.2, 0.0);
        assertThat(k.appliesTo(ising)).isFalse();
        assertThatThrownBy(() -> k.init(ChainState.uniform(ising, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only an Rbm");
    }
}
