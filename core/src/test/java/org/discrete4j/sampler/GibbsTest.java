package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.junit.jupiter.api.Test;

class GibbsTest {

    static final EnergyModel ISING = IsingModel.lattice(3, 0.3, 0.1);

    @Test
    void randomScanMatchesExactIsing() {
        ExactCheck.Result r = ExactCheck.check(ISING, new Gibbs(false), 40_000, 400, 1);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    @Test
    void systematicScanMatchesExactIsing() {
        ExactCheck.Result r = ExactCheck.check(ISING, new Gibbs(true), 40_000, 9 * 40, 2);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    /** The check has power: the same draws fail against a model whose coupling is 20 % off. */
    @Test
    void checkRejectsAWrongTarget() {
        int[] x = ExactCheck.finalStates(ISING, new Gibbs(false), 40_000, 400, 3);
        double[] wrong = Enumeration.of(IsingModel.lattice(3, 0.36, 0.1)).probabilities();
        ExactCheck.Result r = ExactCheck.tv(x, 40_000, 9, 2, wrong);
        assertThat(r.passes()).as(r.toString()).isFalse();
    }

    @Test
    void cacheDeltasMatchFullRecomputation() {
        IsingModel m = IsingModel.lattice(4, -0.7, 0.25);
        ChainState s = ChainState.uniform(m, 3, 9);
        Gibbs g = new Gibbs(false);
        g.init(s);
        for (int t = 0; t < 200; t++) {
            g.step(s);
        }
        double[] fresh = new double[3];
        m.logProb(s.x(), 3, fresh);
        for (int c = 0; c < 3; c++) {
            assertThat(s.logProb()[c]).isCloseTo(fresh[c], org.assertj.core.data.Offset.offset(1e-9));
        }
        double[] deltas = new double[3 * 16 * 2];
        m.deltas(s.x(), 3, deltas);
        double[] generic = new double[deltas.length];
        ((EnergyModel) new EnergyModel() {
            public int dim() { return 16; }
            public int numValues() { return 2; }
            public void logProb(int[] x, int chains, double[] out) { m.logProb(x, chains, out); }
            public void logProbAndGradient(int[] x, int chains, double[] lp, float[] grad) {
                throw new UnsupportedOperationException();
            }
        }).deltas(s.x(), 3, generic);
        for (int i = 0; i < deltas.length; i++) {
            assertThat(deltas[i]).isCloseTo(generic[i], org.assertj.core.data.Offset.offset(1e-9));
            assertThat(s.cache().delta(i / 32, (i % 32) / 2, i % 2)).isCloseTo(generic[i],
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
