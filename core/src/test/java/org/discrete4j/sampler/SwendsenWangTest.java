package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.PottsModel;
import org.junit.jupiter.api.Test;

class SwendsenWangTest {

    @Test
    void matchesExactFerromagneticIsing() {
        IsingModel[] models = {IsingModel.lattice(3, 0.4, 0), IsingModel.lattice(3, 0.4, 0.1),
            (IsingModel) GibbsTest.ISING};
        for (IsingModel m : models) {
            ExactCheck.Result r = ExactCheck.check(m, new SwendsenWang(), 40_000, 30, 120);
            System.out.println("sw " + m + ": " + r);
            assertThat(r.passes()).as("%s: %s", m, r).isTrue();
        }
    }

    /**
     * Power, and the factor 2 of our spin convention: bonds with probability 1 − e^−J instead of 1 − e^−2J would
     * sample the model with coupling J/2; the draws from J = 0.4 fail against J = 0.2 (and against a 20 % error).
     */
    @Test
    void checkSeesAHalvedCoupling() {
        IsingModel m = IsingModel.lattice(3, 0.4, 0.1);
        int[] x = ExactCheck.finalStates(m, new SwendsenWang(), 40_000, 30, 121);
        for (double j : new double[] {0.2, 0.32}) {
            double[] wrong = org.discrete4j.model.Enumeration.of(IsingModel.lattice(3, j, 0.1)).probabilities();
            ExactCheck.Result r = ExactCheck.tv(x, 40_000, 9, 2, wrong);
            System.out.println("sw J=0.4 draws vs J=" + j + ": " + r);
            assertThat(r.passes()).as(r.toString()).isFalse();
        }
    }

    @Test
    void matchesExactPottsStatistics() {
        int chains = 40_000;
        for (PottsModel m : new PottsModel[] {PottsCheck.POTTS, PottsModel.lattice(3, 3, 1.0, 0)}) {
            int[] x = ExactCheck.finalStates(m, new SwendsenWang(), chains, 30, 122);
            ExactCheck.Result[] r = PottsCheck.check(m, x, chains);
            System.out.println("sw " + m + ": " + PottsCheck.describe(r));
            for (ExactCheck.Result one : r) {
                assertThat(one.passes()).as(PottsCheck.describe(r)).isTrue();
            }
        }
    }

    /** Sites i with f_i(v): Ising h_i(2v − 1), Potts f_iv. */
    private static double[][] siteFields(EnergyModel m) {
        int d = m.dim();
        int k = m.numValues();
        double[][] f = new double[d][k];
        if (m instanceof IsingModel) {
            double[] h = ((IsingModel) m).fields();
            for (int i = 0; i < d; i++) {
                f[i][0] = -h[i];
                f[i][1] = h[i];
            }
        } else {
            f = (double[][]) ((PottsModel) m).parameters().get("fields");
        }
        return f;
    }

    /**
     * T_xy = Σ_ω P(ω | x) Π_C 1[y constant on C]·exp(Σ_{i∈C} f_i(y_C)) / Σ_v exp(Σ_{i∈C} f_i(v)), over every bond
     * set ω of the agreeing pairs of x, P(ω | x) = Π p^ω (1 − p)^(1−ω), p = 1 − exp(−factor·J_ij): factor 2 for
     * our Ising convention, 1 for Potts.
     */
    static double[][] exact(EnergyModel m, double factor) {
        int d = m.dim();
        int k = m.numValues();
        int[][] edges;
        double[] j;
        if (m instanceof IsingModel) {
            Map<Long, Double> pairs = new java.util.LinkedHashMap<>();
            IsingModel im = (IsingModel) m;
            for (int i = 0; i < d; i++) {
                for (int n = im.starts()[i]; n < im.starts()[i + 1]; n++) {
                    if (im.neighbours()[n] > i) {
                        pairs.put((long) i * d + im.neighbours()[n], im.couplings()[n]);
                    }
                }
            }
            edges = new int[pairs.size()][];
            j = new double[pairs.size()];
            int q = 0;
            for (Map.Entry<Long, Double> e : pairs.entrySet()) {
                edges[q] = new int[] {(int) (e.getKey() / d), (int) (e.getKey() % d)};
                j[q++] = e.getValue();
            }
        } else {
            edges = (int[][]) ((PottsModel) m).parameters().get("edges");
            j = (double[]) ((PottsModel) m).parameters().get("couplings");
        }
        double[][] f = siteFields(m);
        int n = (int) Math.round(Math.pow(k, d));
        double[][] t = new double[n][n];
        int[] x = new int[d];
        int[] y = new int[d];
        int[] label = new int[d];
        for (int xs = 0; xs < n; xs++) {
            org.discrete4j.model.Enumeration.decode(xs, d, k, x, 0);
            for (int omega = 0; omega < 1 << edges.length; omega++) {
                double pw = 1;
                for (int e = 0; e < edges.length; e++) {
                    double p = 1 - Math.exp(-factor * j[e]);
                    boolean agree = x[edges[e][0]] == x[edges[e][1]];
                    boolean on = (omega >> e & 1) == 1;
                    pw *= on ? (agree ? p : 0) : (agree ? 1 - p : 1);
                }
                if (pw == 0) {
                    continue;
                }
                for (int i = 0; i < d; i++) {
                    label[i] = i;
                }
                for (boolean merged = true; merged; ) { // smallest index of each component, by relaxation
                    merged = false;
                    for (int e = 0; e < edges.length; e++) {
                        int a = edges[e][0];
                        int b = edges[e][1];
                        if ((omega >> e & 1) == 1 && label[a] != label[b]) {
                            label[a] = label[b] = Math.min(label[a], label[b]);
                            merged = true;
                        }
                    }
                }
                for (int ys = 0; ys < n; ys++) {
                    org.discrete4j.model.Enumeration.decode(ys, d, k, y, 0);
                    double prob = pw;
                    for (int root = 0; root < d && prob > 0; root++) {
                        boolean any = false;
                        double[] s = new double[k];
                        for (int i = 0; i < d; i++) {
                            if (label[i] == root) {
                                any = true;
                                if (y[i] != y[root]) {
                                    prob = 0;
                                }
                                for (int v = 0; v < k; v++) {
                                    s[v] += f[i][v];
                                }
                            }
                        }
                        if (any && prob > 0) {
                            double z = 0;
                            for (int v = 0; v < k; v++) {
                                z += Math.exp(s[v]);
                            }
                            prob *= Math.exp(s[y[root]]) / z;
                        }
                    }
                    t[xs][ys] += prob;
                }
            }
        }
        return t;
    }

    /**
     * The cluster move with fields, exactly: on 4-site ferromagnets with random couplings and fields (every pair
     * coupled), T is p-reversible and the kernel's one-step rows match it; with the bond factor of the other
     * convention T is not p-reversible.
     */
    @Test
    void oneStepTransitionsAreExact() {
        EnergyModel ising = TransitionCheck.randomIsing(4, 1.0, true, 13);
        EnergyModel potts = TransitionCheck.randomPotts(4, 3, 1.5, true, 14);
        for (EnergyModel m : new EnergyModel[] {ising, potts}) {
            double factor = m instanceof IsingModel ? 2 : 1;
            double[][] t = exact(m, factor);
            TransitionCheck.assertReversible(m, t);
            int n = 40_000;
            double[][] counts = TransitionCheck.oneStepCounts(m, SwendsenWang::new, n, 131);
            ExactCheck.Result worst = TransitionCheck.worstRow(counts, n, t);
            System.out.println("sw one step, K=" + m.numValues() + ": worst row " + worst);
            assertThat(worst.passes()).as(worst.toString()).isTrue();
            double[][] other = exact(m, 3 - factor);
            assertThatThrownBy(() -> TransitionCheck.assertReversible(m, other)).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void appliesOnlyToFerromagneticIsingAndPotts() {
        SwendsenWang sw = new SwendsenWang();
        assertThat(sw.appliesTo(IsingModel.lattice(3, 0.4, -2))).isTrue();
        assertThat(sw.appliesTo(PottsModel.lattice(3, 4, 0.4, 1))).isTrue();
        assertThat(sw.appliesTo(IsingModel.lattice(3, -0.4, 0))).isFalse();
        assertThat(sw.appliesTo(PottsModel.lattice(3, 3, -0.1, 0))).isFalse();
        assertThat(sw.appliesTo(TransitionCheck.randomIsing(5, 1, false, 1))).isFalse();
        EnergyModel other = new EnergyModel() {
            public int dim() {
                return 2;
            }

            public int numValues() {
                return 2;
            }

            public void logProb(int[] x, int chains, double[] out) {
                java.util.Arrays.fill(out, 0, chains, 0.0);
            }

            public void logProbAndGradient(int[] x, int chains, double[] lp, float[] g) {
                logProb(x, chains, lp);
            }
        };
        assertThat(sw.appliesTo(other)).isFalse();
        assertThatThrownBy(() -> sw.init(ChainState.uniform(IsingModel.lattice(3, -0.4, 0), 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferromagnetic");
        assertThat(sw.name()).isEqualTo("sw");
    }

    @Test
    void keepsStateConsistent() {
        PottsModel m = PottsModel.lattice(6, 4, 1.1, 0.3);
        ChainState s = ChainState.uniform(m, 3, 2);
        SwendsenWang sw = new SwendsenWang();
        sw.init(s);
        s.cache();
        long before = s.evaluations();
        for (int t = 0; t < 50; t++) {
            sw.step(s);
        }
        assertThat(s.evaluations() - before).isEqualTo(50);
        double[] fresh = new double[3];
        m.logProb(s.x(), 3, fresh);
        assertThat(s.logProb()).containsExactly(fresh, org.assertj.core.data.Offset.offset(1e-12));
        // The site cache was dropped and is rebuilt on the new states.
        double[] deltas = new double[3 * 36 * 4];
        m.deltas(s.x(), 3, deltas);
        assertThat(s.cache().delta(1, 7, 2)).isEqualTo(deltas[(36 + 7) * 4 + 2]);
    }
}
