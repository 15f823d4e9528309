package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PottsModelTest {

    /** A random Potts model on 6 sites with mixed-sign couplings on a random graph and random fields. */
    static PottsModel random(int d, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> pairs = new ArrayList<>();
        List<Double> j = new ArrayList<>();
        for (int a = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++) {
                if (r.nextDouble() < 0.6) {
                    pairs.add(r.nextBoolean() ? new int[] {a, b} : new int[] {b, a});
                    j.add(r.nextDouble(-1.5, 1.5));
                }
            }
        }
        double[][] f = new double[d][k];
        for (double[] row : f) {
            for (int v = 0; v < k; v++) {
                row[v] = r.nextDouble(-1, 1);
            }
        }
        return PottsModel.of(k, pairs.toArray(new int[0][]), j.stream().mapToDouble(Double::doubleValue).toArray(), f);
    }

    /** log p̃ straight from the definition, over the explicit pair list. */
    static double naiveLogProb(Map<String, Object> p, int[] x) {
        int[][] e = (int[][]) p.get("edges");
        double[] j = (double[]) p.get("couplings");
        double[][] f = (double[][]) p.get("fields");
        double s = 0;
        for (int q = 0; q < e.length; q++) {
            if (x[e[q][0]] == x[e[q][1]]) {
                s += j[q];
            }
        }
        for (int i = 0; i < x.length; i++) {
            s += f[i][x[i]];
        }
        return s;
    }

    @Test
    void latticeCountsEachPairOnce() {
        PottsModel m3 = PottsModel.lattice(3, 3, 0.7, 0.2);
        assertThat(((int[][]) m3.parameters().get("edges")).length).isEqualTo(18);
        PottsModel m2 = PottsModel.lattice(2, 3, 0.7, 0.2);
        assertThat(((int[][]) m2.parameters().get("edges")).length).isEqualTo(4); // the 2×2 torus wraps onto itself
        for (int i = 0; i < 4; i++) {
            assertThat(m2.starts()[i + 1] - m2.starts()[i]).isEqualTo(2);
        }
        double[] out = new double[2];
        m3.logProb(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 2, out);
        assertThat(out[0]).isCloseTo(18 * 0.7 + 9 * 0.2, offset(1e-12));
        assertThat(out[1]).isCloseTo(18 * 0.7, offset(1e-12));
    }

    /** With K = 2, J·1[x_i = x_j] = (J/2) s_i s_j + J/2 and h·1[x_i = 0] = −(h/2) s_i + h/2: an Ising model. */
    @Test
    void twoColoursAreIsingWithHalfCoupling() {
        PottsModel potts = PottsModel.lattice(3, 2, 0.8, 0.3);
        IsingModel ising = IsingModel.lattice(3, 0.4, -0.15);
        int[] x = new int[512 * 9];
        for (int s = 0; s < 512; s++) {
            Enumeration.decode(s, 9, 2, x, s * 9);
        }
        double[] a = new double[512];
        double[] b = new double[512];
        potts.logProb(x, 512, a);
        ising.logProb(x, 512, b);
        double shift = a[0] - b[0];
        for (int s = 0; s < 512; s++) {
            assertThat(a[s] - b[s]).isCloseTo(shift, offset(1e-12));
        }
        assertThat(shift).isCloseTo(18 * 0.4 + 9 * 0.15, offset(1e-12));
    }

    @Test
    void logProbMatchesTheDefinition() {
        PottsModel m = random(6, 3, 1);
        Map<String, Object> p = m.parameters();
        int[] x = new int[729 * 6];
        for (int s = 0; s < 729; s++) {
            Enumeration.decode(s, 6, 3, x, s * 6);
        }
        double[] out = new double[729];
        m.logProb(x, 729, out);
        for (int s = 0; s < 729; s++) {
            int[] row = java.util.Arrays.copyOfRange(x, s * 6, s * 6 + 6);
            assertThat(out[s]).isCloseTo(naiveLogProb(p, row), offset(1e-12));
        }
    }

    /**
     * Deltas in closed form against the interface's default (two full evaluations per move), the cache after a long
     * run of random moves against both, and the one-hot gradient: g_ik − g_{i,x_i} is exactly the delta (the model
     * is multilinear in the one-hot encoding with no self-interaction), and g itself is Σ_j J_ij 1[x_j = k] + f_ik.
     */
    @Test
    void deltasCacheAndGradientMatchRecomputation() {
        for (PottsModel m : new PottsModel[] {random(7, 4, 2), PottsModel.lattice(4, 3, -0.6, 0.4)}) {
            int d = m.dim();
            int k = m.numValues();
            int chains = 3;
            SplittableRandom r = new SplittableRandom(5);
            int[] x = new int[chains * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(k);
            }
            SiteCache cache = m.cache(x, chains);
            for (int t = 0; t < 5000; t++) {
                cache.set(r.nextInt(chains), r.nextInt(d), r.nextInt(k));
            }
            double[] closed = new double[chains * d * k];
            m.deltas(x, chains, closed);
            double[] generic = new double[closed.length];
            EnergyModel plain = new EnergyModel() {
                public int dim() {
                    return d;
                }

                public int numValues() {
                    return k;
                }

                public void logProb(int[] y, int n, double[] out) {
                    m.logProb(y, n, out);
                }

                public void logProbAndGradient(int[] y, int n, double[] lp, float[] g) {
                    throw new UnsupportedOperationException();
                }
            };
            plain.deltas(x, chains, generic);
            double[] lp = new double[chains];
            float[] grad = new float[closed.length];
            m.logProbAndGradient(x, chains, lp, grad);
            double[] site = new double[k];
            Map<String, Object> p = m.parameters();
            int[][] e = (int[][]) p.get("edges");
            double[] j = (double[]) p.get("couplings");
            double[][] f = (double[][]) p.get("fields");
            for (int c = 0; c < chains; c++) {
                assertThat(lp[c]).isCloseTo(naiveLogProb(p, java.util.Arrays.copyOfRange(x, c * d, c * d + d)),
                        offset(1e-12));
                for (int i = 0; i < d; i++) {
                    cache.siteDeltas(c, i, site);
                    double[] g = f[i].clone();
                    for (int q = 0; q < e.length; q++) {
                        if (e[q][0] == i) {
                            g[x[c * d + e[q][1]]] += j[q];
                        } else if (e[q][1] == i) {
                            g[x[c * d + e[q][0]]] += j[q];
                        }
                    }
                    int cur = x[c * d + i];
                    for (int v = 0; v < k; v++) {
                        int at = (c * d + i) * k + v;
                        assertThat(closed[at]).isCloseTo(generic[at], offset(1e-9));
                        assertThat(site[v]).isCloseTo(generic[at], offset(1e-9));
                        assertThat(cache.delta(c, i, v)).isCloseTo(generic[at], offset(1e-9));
                        assertThat((double) grad[at]).isCloseTo(g[v], offset(1e-5));
                        assertThat((double) grad[at] - grad[(c * d + i) * k + cur]).isCloseTo(generic[at],
                                offset(1e-5));
                    }
                    assertThat(closed[(c * d + i) * k + cur]).isZero();
                }
            }
        }
    }

    @Test
    void parametersRebuildTheModelExactly() {
        PottsModel m = random(6, 3, 3);
        PottsModel back = PottsModel.fromParameters(m.parameters());
        assertThat(back.toString()).isEqualTo(m.toString());
        // The same values as nested lists and boxed numbers, as a JSON reader returns them.
        Map<String, Object> json = new HashMap<>();
        for (Map.Entry<String, Object> en : m.parameters().entrySet()) {
            json.put(en.getKey(), toLists(en.getValue()));
        }
        PottsModel fromJson = PottsModel.fromParameters(json);
        int[] x = new int[729 * 6];
        for (int s = 0; s < 729; s++) {
            Enumeration.decode(s, 6, 3, x, s * 6);
        }
        double[] a = new double[729];
        double[] b = new double[729];
        double[] c = new double[729];
        m.logProb(x, 729, a);
        back.logProb(x, 729, b);
        fromJson.logProb(x, 729, c);
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
        PottsModel lattice = PottsModel.lattice(3, 4, 0.5, -0.2);
        assertThat(PottsModel.fromParameters(lattice.parameters()).parameters().get("edges"))
                .isEqualTo(lattice.parameters().get("edges"));
    }

    private static Object toLists(Object v) {
        if (v instanceof int[]) {
            List<Object> l = new ArrayList<>();
            for (int a : (int[]) v) {
                l.add((long) a);
            }
            return l;
        }
        if (v instanceof double[]) {
            List<Object> l = new ArrayList<>();
            for (double a : (double[]) v) {
                l.add(a);
            }
            return l;
        }
        if (v instanceof Object[]) {
            List<Object> l = new ArrayList<>();
            for (Object a : (Object[]) v) {
                l.add(toLists(a));
            }
            return l;
        }
        return v;
    }

    @Test
    void badParametersAreRejected() {
        double[][] f = new double[3][2];
        assertThatThrownBy(() -> PottsModel.lattice(1, 3, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size");
        assertThatThrownBy(() -> PottsModel.lattice(3, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("colours");
        assertThatThrownBy(() -> PottsModel.lattice(3, 3, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coupling");
        assertThatThrownBy(() -> PottsModel.of(2, new int[][] {{0, 1}, {1, 0}}, new double[] {1, 2}, f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> PottsModel.of(2, new int[][] {{0, 0}}, new double[] {1}, f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> PottsModel.of(2, new int[][] {{0, 3}}, new double[] {1}, f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> PottsModel.of(3, new int[0][], new double[0], f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fields[0]");
        Map<String, Object> p = PottsModel.lattice(2, 2, 1, 0).parameters();
        p.put("type", "ising");
        assertThatThrownBy(() -> PottsModel.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("potts");
        Map<String, Object> q = PottsModel.lattice(2, 2, 1, 0).parameters();
        q.remove("couplings");
        assertThatThrownBy(() -> PottsModel.fromParameters(q)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("couplings");
    }
}
