package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.PottsModel;
import org.junit.jupiter.api.Test;

class HammingBallTest {

    @Test
    void matchesExactIsing() {
        int[][] configs = {{5, 2}, {10, 1}}; // hb-10-1 is cut to the 9 sites
        for (int[] bc : configs) {
            ExactCheck.Result r = ExactCheck.check(GibbsTest.ISING, new HammingBall(bc[0], bc[1]), 40_000, 150,
                    90 + bc[0]);
            System.out.println("hb-" + bc[0] + "-" + bc[1] + " ising 3x3: " + r);
            assertThat(r.passes()).as("hb-%d-%d %s", bc[0], bc[1], r).isTrue();
        }
    }

    @Test
    void matchesExactPottsStatistics() {
        int[][] configs = {{4, 1}, {3, 2}};
        for (int[] bc : configs) {
            int chains = 40_000;
            int[] x = ExactCheck.finalStates(PottsCheck.POTTS, new HammingBall(bc[0], bc[1]), chains, 150, 95 + bc[0]);
            ExactCheck.Result[] r = PottsCheck.check(PottsCheck.POTTS, x, chains);
            System.out.println("hb-" + bc[0] + "-" + bc[1] + " potts 3x3: " + PottsCheck.describe(r));
            for (ExactCheck.Result one : r) {
                assertThat(one.passes()).as(PottsCheck.describe(r)).isTrue();
            }
        }
    }

    /** States within distance r of x that differ from it only on the block (a bit mask of sites). */
    private static boolean inBall(int x, int y, int mask, int r, int d, int k) {
        int diff = TransitionCheck.differ(x, y, d, k);
        return (diff & ~mask) == 0 && Integer.bitCount(diff) <= r;
    }

    /**
     * T_xy = (1/#blocks) Σ_B Σ_{u ∈ H_B(x)} (1/|H|)·1[y ∈ H_B(u)]·p̃(y) / Σ_{z ∈ H_B(u)} p̃(z), over all blocks B of
     * min(b, D) sites. With {@code auxiliary} false, y is drawn ∝ p̃ over H_B(x) itself — the tempting shortcut,
     * which is not p-invariant because |H|-normalisers differ — for the power check.
     */
    static double[][] exact(EnergyModel m, int b, int r, boolean auxiliary) {
        int d = m.dim();
        int k = m.numValues();
        double[] lw = TransitionCheck.logWeights(m);
        int n = lw.length;
        double[][] t = new double[n][n];
        int blocks = 0;
        int bb = Math.min(b, d);
        int rr = Math.min(r, bb);
        for (int mask = 0; mask < 1 << d; mask++) {
            if (Integer.bitCount(mask) != bb) {
                continue;
            }
            blocks++;
            double[] z = new double[n];
            for (int u = 0; u < n; u++) {
                for (int y = 0; y < n; y++) {
                    if (inBall(u, y, mask, rr, d, k)) {
                        z[u] += Math.exp(lw[y]);
                    }
                }
            }
            for (int x = 0; x < n; x++) {
                if (!auxiliary) {
                    for (int y = 0; y < n; y++) {
                        if (inBall(x, y, mask, rr, d, k)) {
                            t[x][y] += Math.exp(lw[y]) / z[x];
                        }
                    }
                    continue;
                }
                int size = 0;
                for (int u = 0; u < n; u++) {
                    if (inBall(x, u, mask, rr, d, k)) {
                        size++;
                    }
                }
                for (int u = 0; u < n; u++) {
                    if (!inBall(x, u, mask, rr, d, k)) {
                        continue;
                    }
                    for (int y = 0; y < n; y++) {
                        if (inBall(u, y, mask, rr, d, k)) {
                            t[x][y] += Math.exp(lw[y]) / z[u] / size;
                        }
                    }
                }
            }
        }
        return TransitionCheck.averageOverBlocks(t, blocks);
    }

    @Test
    void oneStepTransitionsAreExact() {
        EnergyModel[] models = {TransitionCheck.randomIsing(4, 1.5, false, 11),
            TransitionCheck.randomPotts(4, 3, 1.5, false, 12)};
        int[][] configs = {{3, 2}, {4, 1}};
        double[][] lastCounts = null;
        for (EnergyModel m : models) {
            for (int[] bc : configs) {
                double[][] t = exact(m, bc[0], bc[1], true);
                TransitionCheck.assertReversible(m, t);
                int n = 40_000;
                double[][] counts = TransitionCheck.oneStepCounts(m, () -> new HammingBall(bc[0], bc[1]), n,
                        101 + bc[0]);
                ExactCheck.Result worst = TransitionCheck.worstRow(counts, n, t);
                System.out.println("hb-" + bc[0] + "-" + bc[1] + " one step, K=" + m.numValues() + ": worst row "
                        + worst);
                assertThat(worst.passes()).as(worst.toString()).isTrue();
                lastCounts = counts;
            }
        }
        // Power: the shortcut without the auxiliary centre is not reversible, and the kernel's rows are not its rows
        // (the last case above: hb-4-1 on the 3-colour model).
        EnergyModel m = models[1];
        double[][] shortcut = exact(m, 4, 1, false);
        assertThatThrownBy(() -> TransitionCheck.assertReversible(m, shortcut)).isInstanceOf(AssertionError.class);
        ExactCheck.Result wrong = TransitionCheck.worstRow(lastCounts, 40_000, shortcut);
        System.out.println("hb-4-1 one step against the shortcut: worst row " + wrong);
        assertThat(wrong.passes()).isFalse();
    }

    @Test
    void sizesNamesAndEvaluations() {
        assertThat(new HammingBall(10, 1).name()).isEqualTo("hb-10-1");
        assertThat(new HammingBall(40, 5).appliesTo(IsingModel.lattice(10, 1, 0))).isFalse(); // C(40,≤5) > 2^16
        assertThat(new HammingBall(10, 1).appliesTo(PottsModel.lattice(10, 8, 1, 0))).isTrue();
        assertThatThrownBy(() -> new HammingBall(3, 0)).isInstanceOf(IllegalArgumentException.class);
        PottsModel m = PottsModel.lattice(4, 3, 0.9, -0.2);
        ChainState s = ChainState.uniform(m, 4, 9);
        HammingBall k = new HammingBall(10, 1);
        k.init(s);
        long before = s.evaluations();
        for (int t = 0; t < 1000; t++) {
            int[] prev = s.x().clone();
            StepInfo info = k.step(s);
            int moved = 0;
            for (int i = 0; i < prev.length; i++) {
                moved += prev[i] != s.x()[i] ? 1 : 0;
            }
            assertThat(info.flips()).isEqualTo(moved / 4.0); // at most 2r = 2 sites per chain
            assertThat(info.flips()).isLessThanOrEqualTo(2);
        }
        double[] fresh = new double[4];
        m.logProb(s.x(), 4, fresh);
        for (int c = 0; c < 4; c++) {
            assertThat(s.logProb()[c]).isCloseTo(fresh[c], org.assertj.core.data.Offset.offset(1e-9));
        }
        // |H| − 1 = 20 deltas per step, plus one more when u ≠ x (with probability 20/21).
        assertThat((s.evaluations() - before) / 1000.0).isBetween(20.0, 21.0);
    }
}
