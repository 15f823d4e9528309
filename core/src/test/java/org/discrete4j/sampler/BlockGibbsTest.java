package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.PottsModel;
import org.junit.jupiter.api.Test;

class BlockGibbsTest {

    @Test
    void matchesExactIsing() {
        for (int b : new int[] {2, 3}) {
            ExactCheck.Result r = ExactCheck.check(GibbsTest.ISING, new BlockGibbs(b), 40_000, 150, 10 + b);
            System.out.println("bg-" + b + " ising 3x3: " + r);
            assertThat(r.passes()).as("bg-%d %s", b, r).isTrue();
        }
    }

    /** Potts 3×3, 3 colours; and the same draws fail against a model with J 20 % off (the check has power). */
    @Test
    void matchesExactPottsStatistics() {
        int chains = 40_000;
        int[] x = ExactCheck.finalStates(PottsCheck.POTTS, new BlockGibbs(2), chains, 200, 21);
        ExactCheck.Result[] r = PottsCheck.check(PottsCheck.POTTS, x, chains);
        System.out.println("bg-2 potts 3x3: " + PottsCheck.describe(r));
        for (ExactCheck.Result one : r) {
            assertThat(one.passes()).as(PottsCheck.describe(r)).isTrue();
        }
        ExactCheck.Result[] wrong = PottsCheck.check(PottsCheck.POTTS, PottsModel.lattice(3, 3, 0.72, 0.3), x, chains);
        System.out.println("bg-2 potts vs J=0.72: " + PottsCheck.describe(wrong));
        assertThat(wrong[1].passes()).as(PottsCheck.describe(wrong)).isFalse();
    }

    /** T_xy = (1/C(D,b)) Σ_B 1[y = x off B] p̃(y) / Σ_{z = x off B} p̃(z), over all b-subsets B. */
    static double[][] exact(EnergyModel m, int b) {
        int d = m.dim();
        int k = m.numValues();
        double[] lw = TransitionCheck.logWeights(m);
        int n = lw.length;
        double[][] t = new double[n][n];
        int blocks = 0;
        for (int mask = 0; mask < 1 << d; mask++) {
            if (Integer.bitCount(mask) != Math.min(b, d)) {
                continue;
            }
            blocks++;
            for (int x = 0; x < n; x++) {
                double z = 0;
                for (int y = 0; y < n; y++) {
                    if ((TransitionCheck.differ(x, y, d, k) & ~mask) == 0) {
                        z += Math.exp(lw[y]);
                    }
                }
                for (int y = 0; y < n; y++) {
                    if ((TransitionCheck.differ(x, y, d, k) & ~mask) == 0) {
                        t[x][y] += Math.exp(lw[y]) / z;
                    }
                }
            }
        }
        return TransitionCheck.averageOverBlocks(t, blocks);
    }

    @Test
    void oneStepTransitionsAreExact() {
        EnergyModel[] models = {TransitionCheck.randomIsing(4, 1.5, false, 1),
            TransitionCheck.randomPotts(4, 3, 1.5, false, 2)};
        for (EnergyModel m : models) {
            for (int b : new int[] {2, 3}) {
                double[][] t = exact(m, b);
                TransitionCheck.assertReversible(m, t);
                int n = 40_000;
                double[][] counts = TransitionCheck.oneStepCounts(m, () -> new BlockGibbs(b), n, 31 + b);
                ExactCheck.Result worst = TransitionCheck.worstRow(counts, n, t);
                System.out.println("bg-" + b + " one step, K=" + m.numValues() + ": worst row " + worst);
                assertThat(worst.passes()).as(worst.toString()).isTrue();
            }
        }
    }

    /** A block as large as the model (cut to D) is an exact draw from p in one step, from any state. */
    @Test
    void wholeModelBlockIsAnExactDraw() {
        EnergyModel m = TransitionCheck.randomPotts(4, 3, 1.5, false, 3);
        double[] p = Enumeration.of(m).probabilities();
        int n = 20_000;
        double[][] counts = TransitionCheck.oneStepCounts(m, () -> new BlockGibbs(7), n, 41);
        double[][] t = new double[p.length][];
        java.util.Arrays.fill(t, p);
        ExactCheck.Result worst = TransitionCheck.worstRow(counts, n, t);
        assertThat(worst.passes()).as(worst.toString()).isTrue();
        assertThat(new BlockGibbs(7).name()).isEqualTo("bg-7");
        assertThat(new BlockGibbs(17).appliesTo(IsingModel.lattice(5, 1, 0))).isFalse(); // 2^17 block values
    }
}
