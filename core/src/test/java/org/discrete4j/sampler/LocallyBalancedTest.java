package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.PottsModel;
import org.discrete4j.sampler.LocallyBalanced.Weight;
import org.junit.jupiter.api.Test;

class LocallyBalancedTest {

    @Test
    void matchesExactIsing() {
        for (Weight w : Weight.values()) {
            ExactCheck.Result r = ExactCheck.check(GibbsTest.ISING, new LocallyBalanced(w), 40_000, 200,
                    70 + w.ordinal());
            System.out.println("lb " + w + " ising 3x3: " + r);
            assertThat(r.passes()).as("%s: %s", w, r).isTrue();
        }
    }

    @Test
    void matchesExactPottsStatistics() {
        for (Weight w : Weight.values()) {
            int chains = 40_000;
            int[] x = ExactCheck.finalStates(PottsCheck.POTTS, new LocallyBalanced(w), chains, 250, 72 + w.ordinal());
            ExactCheck.Result[] r = PottsCheck.check(PottsCheck.POTTS, x, chains);
            System.out.println("lb " + w + " potts 3x3: " + PottsCheck.describe(r));
            for (ExactCheck.Result one : r) {
                assertThat(one.passes()).as(PottsCheck.describe(r)).isTrue();
            }
            if (w == Weight.SQRT) { // power: a field 0.2 instead of 0.3 on colour 0 is seen in the colour-0 count
                ExactCheck.Result[] wrong = PottsCheck.check(PottsCheck.POTTS, PottsModel.lattice(3, 3, 0.6, 0.2), x,
                        chains);
                System.out.println("lb potts vs h=0.2: " + PottsCheck.describe(wrong));
                assertThat(wrong[2].passes()).as(PottsCheck.describe(wrong)).isFalse();
            }
        }
    }

    static double logG(Weight w, double delta) {
        return w == Weight.SQRT ? delta / 2 : delta - Math.log(1 + Math.exp(delta));
    }

    /**
     * T_xy for y a Hamming-1 neighbour of x: q(y|x)·a(x, y) with q(y|x) = g(e^Δ)/Z(x), Δ = log p̃(y) − log p̃(x),
     * and a = min(1, e^Δ q(x|y)/q(y|x)); with {@code corrected} false, a = 1 (the proposal alone, for the power
     * check).
     */
    static double[][] exact(EnergyModel m, Weight w, boolean corrected) {
        int d = m.dim();
        int k = m.numValues();
        double[] lw = TransitionCheck.logWeights(m);
        int n = lw.length;
        double[] z = new double[n];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                if (Integer.bitCount(TransitionCheck.differ(x, y, d, k)) == 1) {
                    z[x] += Math.exp(logG(w, lw[y] - lw[x]));
                }
            }
        }
        double[][] t = new double[n][n];
        for (int x = 0; x < n; x++) {
            double stay = 1;
            for (int y = 0; y < n; y++) {
                if (Integer.bitCount(TransitionCheck.differ(x, y, d, k)) != 1) {
                    continue;
                }
                double qxy = Math.exp(logG(w, lw[y] - lw[x])) / z[x];
                double qyx = Math.exp(logG(w, lw[x] - lw[y])) / z[y];
                double a = corrected ? Math.min(1, Math.exp(lw[y] - lw[x]) * qyx / qxy) : 1;
                t[x][y] = qxy * a;
                stay -= t[x][y];
            }
            t[x][x] = stay;
        }
        return t;
    }

    /**
     * The reverse normaliser Z(x') bookkeeping, exactly: from every state of a 4-site model (mixed-sign couplings,
     * binary and 3 colours), the one-step rows match T, T is p-reversible, and the same rows fail against the
     * proposal without its Metropolis–Hastings correction.
     */
    @Test
    void oneStepTransitionsAreExact() {
        EnergyModel[] models = {TransitionCheck.randomIsing(4, 1.5, false, 7),
            TransitionCheck.randomPotts(4, 3, 1.5, false, 8)};
        for (EnergyModel m : models) {
            for (Weight w : Weight.values()) {
                double[][] t = exact(m, w, true);
                TransitionCheck.assertReversible(m, t);
                int n = 40_000;
                double[][] counts = TransitionCheck.oneStepCounts(m, () -> new LocallyBalanced(w), n, 81);
                ExactCheck.Result worst = TransitionCheck.worstRow(counts, n, t);
                ExactCheck.Result uncorrected = TransitionCheck.worstRow(counts, n, exact(m, w, false));
                System.out.println("lb " + w + " one step, K=" + m.numValues() + ": worst row " + worst
                        + "; against the uncorrected proposal " + uncorrected);
                assertThat(worst.passes()).as(worst.toString()).isTrue();
                assertThat(uncorrected.passes()).as(uncorrected.toString()).isFalse();
            }
        }
    }

    @Test
    void keepsStateConsistentAndCountsEvaluations() {
        PottsModel m = PottsModel.lattice(4, 3, 0.9, -0.2);
        ChainState s = ChainState.uniform(m, 5, 9);
        LocallyBalanced k = new LocallyBalanced(Weight.RATIO);
        k.init(s);
        long before = s.evaluations();
        double acc = 0;
        for (int t = 0; t < 2000; t++) {
            acc += k.step(s).acceptance();
        }
        double[] fresh = new double[5];
        m.logProb(s.x(), 5, fresh);
        for (int c = 0; c < 5; c++) {
            assertThat(s.logProb()[c]).isCloseTo(fresh[c], org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(s.evaluations() - before).isEqualTo(2000L * 16 * 2); // the neighbourhood of x', D(K−1) deltas
        assertThat(acc / 2000).isBetween(0.3, 1.0);
        assertThat(k.name()).isEqualTo("lb-ratio");
        assertThat(new LocallyBalanced(Weight.SQRT).name()).isEqualTo("lb-sqrt");
        // States changed behind the kernel's back (with the cache dropped, as ChainState asks) are picked up.
        s.x()[0] = (s.x()[0] + 1) % 3;
        s.invalidateCache();
        m.logProb(s.x(), 5, s.logProb());
        for (int t = 0; t < 200; t++) {
            k.step(s);
        }
        m.logProb(s.x(), 5, fresh);
        for (int c = 0; c < 5; c++) {
            assertThat(s.logProb()[c]).isCloseTo(fresh[c], org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    /**
     * The weights kept from step to step (reused where a delta did not change, rescaled when they leave their range)
     * give the same chains as a kernel that recomputes its whole neighbourhood from scratch before every step (init
     * draws no random numbers, so both use the same stream). On a moderate model, over a long run; on models with
     * couplings of hundreds, over many short descents from random starts, where log-weights jump by more than the
     * rescaling headroom (the chains then freeze in a mode). Random real couplings, because a lattice's symmetries
     * give exact ties Z(x) = Z(x') whose rounding could send one kernel through Metropolis.accept's short cut (no
     * random number) and not the other; otherwise the weights differ from fresh ones in the last bits only (another
     * scale), and a draw or an acceptance could only flip on a tie within rounding.
     */
    @Test
    void incrementalWeightsEqualFullRecomputation() {
        Object[][] cases = {{TransitionCheck.randomPotts(8, 3, 1.5, false, 2), 1, 3000},
            {TransitionCheck.randomPotts(6, 3, 900, false, 3), 60, 40},
            {TransitionCheck.randomIsing(6, 900, false, 4), 60, 40}};
        for (Object[] cs : cases) {
            EnergyModel m = (EnergyModel) cs[0];
            for (Weight w : Weight.values()) {
                double moves = 0;
                LocallyBalanced kept = new LocallyBalanced(w);
                for (int run = 0; run < (int) cs[1]; run++) {
                    ChainState a = ChainState.uniform(m, 8, 17 + run);
                    ChainState b = ChainState.uniform(m, 8, 17 + run);
                    LocallyBalanced fresh = new LocallyBalanced(w);
                    kept.init(a);
                    for (int t = 0; t < (int) cs[2]; t++) {
                        fresh.init(b);
                        moves += kept.step(a).acceptance() * 8;
                        fresh.step(b);
                        assertThat(a.x()).as("step %d", t).isEqualTo(b.x());
                    }
                    double[] lp = new double[8];
                    m.logProb(a.x(), 8, lp);
                    assertThat(a.logProb()).containsExactly(lp, org.assertj.core.data.Offset.offset(1e-6));
                }
                System.out.println("lb " + w + " kept vs fresh weights, " + m + ": " + moves + " accepted moves, "
                        + kept.rescales + " rescaled neighbourhoods");
                assertThat(moves).as("the chains moved").isGreaterThan(100);
                if ((int) cs[1] > 1 && w == Weight.SQRT) { // Barker's weights are bounded by 1: rarely rescaled
                    assertThat(kept.rescales).as("the rescaling path ran").isGreaterThan(10);
                }
            }
        }
    }

    /** The ratio weight stays finite where e^Δ overflows. */
    @Test
    void extremeDeltasStayFinite() {
        assertThat(Weight.RATIO.logG(800)).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-300));
        assertThat(Weight.RATIO.logG(-800)).isEqualTo(-800);
        PottsModel m = PottsModel.lattice(3, 3, 300, 50);
        for (Weight w : Weight.values()) {
            ChainState s = ChainState.uniform(m, 20, 3);
            LocallyBalanced k = new LocallyBalanced(w);
            k.init(s);
            for (int t = 0; t < 300; t++) {
                k.step(s);
            }
            for (double v : s.logProb()) {
                assertThat(v).isFinite();
            }
        }
    }
}
