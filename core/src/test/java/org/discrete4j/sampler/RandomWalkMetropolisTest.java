package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.PottsModel;
import org.junit.jupiter.api.Test;

class RandomWalkMetropolisTest {

    @Test
    void matchesExactIsing() {
        for (double radius : new double[] {1, 3}) {
            ExactCheck.Result r = ExactCheck.check(GibbsTest.ISING, new RandomWalkMetropolis(radius), 40_000, 300,
                    50 + (long) radius);
            System.out.println("rwm radius " + radius + " ising 3x3: " + r);
            assertThat(r.passes()).as("radius %s: %s", radius, r).isTrue();
        }
    }

    @Test
    void matchesExactPottsStatistics() {
        int chains = 40_000;
        int[] x = ExactCheck.finalStates(PottsCheck.POTTS, new RandomWalkMetropolis(1.5), chains, 400, 53);
        ExactCheck.Result[] r = PottsCheck.check(PottsCheck.POTTS, x, chains);
        System.out.println("rwm radius 1.5 potts 3x3: " + PottsCheck.describe(r));
        for (ExactCheck.Result one : r) {
            assertThat(one.passes()).as(PottsCheck.describe(r)).isTrue();
        }
    }

    /**
     * T_xy for y ≠ x differing in the set S of m sites: q(S)·(K−1)^−m·min(1, p̃(y)/p̃(x)) with
     * q(S) = p^m (1−p)^(D−m) + 1[m = 1]·(1−p)^D / D (the one-site fallback when no site was selected), p = radius/D.
     */
    static double[][] exact(EnergyModel model, double radius) {
        int d = model.dim();
        int k = model.numValues();
        // The kernel caps the radius at D(K−1)/K, the independence proposal.
        double p = Math.min(radius, d * (model.numValues() - 1.0) / model.numValues()) / d;
        double[] lw = TransitionCheck.logWeights(model);
        int n = lw.length;
        double[][] t = new double[n][n];
        for (int x = 0; x < n; x++) {
            double stay = 1;
            for (int y = 0; y < n; y++) {
                if (y == x) {
                    continue;
                }
                int m = Integer.bitCount(TransitionCheck.differ(x, y, d, k));
                double q = Math.pow(p, m) * Math.pow(1 - p, d - m) + (m == 1 ? Math.pow(1 - p, d) / d : 0);
                t[x][y] = q * Math.pow(k - 1, -m) * Math.min(1, Math.exp(lw[y] - lw[x]));
                stay -= t[x][y];
            }
            t[x][x] = stay;
        }
        return t;
    }

    @Test
    void oneStepTransitionsAreExact() {
        EnergyModel[] models = {TransitionCheck.randomIsing(4, 1.5, false, 4),
            TransitionCheck.randomPotts(4, 3, 1.5, false, 5)};
        for (EnergyModel m : models) {
            for (double radius : new double[] {1, 2.5}) {
                double[][] t = exact(m, radius);
                TransitionCheck.assertReversible(m, t);
                int n = 40_000;
                double[][] counts = TransitionCheck.oneStepCounts(m, () -> new RandomWalkMetropolis(radius), n, 61);
                ExactCheck.Result worst = TransitionCheck.worstRow(counts, n, t);
                System.out.println("rwm radius " + radius + " one step, K=" + m.numValues() + ": worst row " + worst);
                assertThat(worst.passes()).as(worst.toString()).isTrue();
            }
        }
        // Power: the same rows against the proposal without the Metropolis test (always accept) fail.
        EnergyModel m = models[1];
        double[][] t = exact(m, 1);
        double[][] counts = TransitionCheck.oneStepCounts(m, () -> new RandomWalkMetropolis(1), 40_000, 62);
        double[][] proposal = exact(PottsModel.of(3, new int[0][], new double[0], new double[4][3]), 1);
        assertThat(TransitionCheck.worstRow(counts, 40_000, proposal).passes()).isFalse();
        assertThat(TransitionCheck.worstRow(counts, 40_000, t).passes()).isTrue();
    }

    /**
     * During burn-in the radius follows acceptance − 0.234; afterwards it is frozen and the acceptance stays near
     * 0.234. On Potts 8×8 (3 colours, J = 0.5) acceptance falls with the radius and crosses 0.234 near radius 5.
     * The acceptance of a frozen kernel averaged over 100 chains × 600 steps has a standard error of a few
     * thousandths, and the frozen radius is one draw of a radius that wanders by about ±0.5 (acceptance ±0.01):
     * ±0.03 leaves room for both and still rejects a kernel tuned to 0.3 or 0.17 (or one that stops at radius 1,
     * where the acceptance is above 0.4).
     */
    @Test
    void adaptsTowardsOptimalAcceptanceDuringBurnInOnly() {
        PottsModel m = PottsModel.lattice(8, 3, 0.5, 0.3);
        for (double start : new double[] {1, 30}) {
            RandomWalkMetropolis k = new RandomWalkMetropolis(start);
            ChainState s = ChainState.uniform(m, 100, 7);
            k.init(s);
            k.setAdapting(true);
            for (int t = 0; t < 1500; t++) {
                k.step(s);
            }
            double tuned = k.radius();
            k.setAdapting(false);
            double acc = 0;
            for (int t = 0; t < 600; t++) {
                acc += k.step(s).acceptance();
                assertThat(k.radius()).isEqualTo(tuned);
            }
            acc /= 600;
            System.out.println("rwm from radius " + start + ": tuned radius " + tuned + ", frozen acceptance " + acc);
            assertThat(acc).isBetween(RandomWalkMetropolis.TARGET_ACCEPTANCE - 0.03,
                    RandomWalkMetropolis.TARGET_ACCEPTANCE + 0.03);
            assertThat(tuned).isBetween(2.0, 12.0);
        }
        RandomWalkMetropolis fixed = new RandomWalkMetropolis(2);
        ChainState s = ChainState.uniform(m, 10, 8);
        fixed.init(s);
        for (int t = 0; t < 100; t++) {
            fixed.step(s);
        }
        assertThat(fixed.radius()).as("no adaptation unless asked").isEqualTo(2);
    }

    @Test
    void keepsStateConsistentAndCountsEvaluations() {
        PottsModel m = PottsModel.lattice(4, 3, 0.7, -0.2);
        ChainState s = ChainState.uniform(m, 5, 9);
        RandomWalkMetropolis k = new RandomWalkMetropolis(4);
        k.init(s);
        long before = s.evaluations();
        for (int t = 0; t < 1000; t++) {
            k.step(s);
        }
        double[] fresh = new double[5];
        m.logProb(s.x(), 5, fresh);
        for (int c = 0; c < 5; c++) {
            assertThat(s.logProb()[c]).isCloseTo(fresh[c], org.assertj.core.data.Offset.offset(1e-9));
        }
        // About radius (4) deltas per step, a little more for the one-site fallback.
        assertThat((s.evaluations() - before) / 1000.0).isBetween(3.5, 4.6);
        assertThatThrownBy(() -> new RandomWalkMetropolis(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(k.name()).isEqualTo("rwm");
    }
}
