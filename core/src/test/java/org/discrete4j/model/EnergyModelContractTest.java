package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generic contract of {@link EnergyModel}, run on every model of {@link EnergyModelExamples}. */
class EnergyModelContractTest {

    /** 11 chains: not a multiple of the RBM's gradient block, so a partial block is exercised too. */
    static final int CHAINS = 11;

    static List<EnergyModelExamples.Example> examples() {
        return EnergyModelExamples.all();
    }

    static int[] randomStates(EnergyModel m, int chains, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] x = new int[chains * m.dim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(m.numValues());
        }
        return x;
    }

    /** log p̃(x with x_{c,i} = v) − log p̃(x), by two full evaluations of one chain. */
    static double recomputed(EnergyModel m, int[] x, int c, int i, int v) {
        int d = m.dim();
        int[] row = java.util.Arrays.copyOfRange(x, c * d, (c + 1) * d);
        double[] out = new double[1];
        m.logProb(row, 1, out);
        double before = out[0];
        row[i] = v;
        m.logProb(row, 1, out);
        return out[0] - before;
    }

    /** Tolerance for a delta compared with a difference of two totals of size |total|: rounding of the totals. */
    static double tol(double total) {
        return 1e-10 * (1 + Math.abs(total));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void deltasMatchFullRecomputation(EnergyModelExamples.Example ex) {
        EnergyModel m = ex.build().get();
        int d = m.dim();
        int k = m.numValues();
        int[] x = randomStates(m, CHAINS, 1);
        double[] lp = new double[CHAINS];
        m.logProb(x, CHAINS, lp);
        double[] out = new double[CHAINS * d * k];
        m.deltas(x, CHAINS, out);
        for (int c = 0; c < CHAINS; c++) {
            for (int i = 0; i < d; i++) {
                for (int v = 0; v < k; v++) {
                    assertThat(out[(c * d + i) * k + v]).as("chain %d site %d value %d", c, i, v)
                            .isCloseTo(recomputed(m, x, c, i, v), within(tol(lp[c])));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void cacheDeltasMatchRecomputationAfterManySets(EnergyModelExamples.Example ex) {
        EnergyModel m = ex.build().get();
        int d = m.dim();
        int k = m.numValues();
        int[] x = randomStates(m, CHAINS, 2);
        SiteCache cache = m.cache(x, CHAINS);
        assertThat(cache.states()).isSameAs(x);
        assertThat(cache.dim()).isEqualTo(d);
        SplittableRandom r = new SplittableRandom(3);
        double[] site = new double[k];
        double[] lp = new double[CHAINS];
        for (int round = 0; round < 10; round++) {
            for (int s = 0; s < 40; s++) {
                int c = r.nextInt(CHAINS);
                int i = r.nextInt(d);
                int v = r.nextInt(k); // sometimes the current value: a no-op the cache must survive
                cache.set(c, i, v);
                assertThat(x[c * d + i]).isEqualTo(v);
            }
            m.logProb(x, CHAINS, lp);
            for (int c = 0; c < CHAINS; c++) {
                for (int i = 0; i < d; i++) {
                    cache.siteDeltas(c, i, site);
                    for (int v = 0; v < k; v++) {
                        double exact = recomputed(m, x, c, i, v);
                        assertThat(cache.delta(c, i, v)).as("round %d chain %d site %d value %d", round, c, i, v)
                                .isCloseTo(exact, within(tol(lp[c])));
                        assertThat(site[v]).isCloseTo(exact, within(tol(lp[c])));
                    }
                }
            }
        }
    }

    /**
     * The gradient is that of the model's differentiable extension (central differences, step 1e-5: truncation
     * error O(h²·f''') ≈ 1e-10 here, far below the float32 rounding of the reported gradient, ~1e-7 relative).
     * Only differences within a site are compared, as the contract defines (for K = 2 that is ∂f/∂x_i).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void gradientMatchesFiniteDifferencesOfTheExtension(EnergyModelExamples.Example ex) {
        EnergyModel m = ex.build().get();
        int d = m.dim();
        int k = m.numValues();
        int[] x = randomStates(m, CHAINS, 4);
        double[] lp = new double[CHAINS];
        float[] grad = new float[CHAINS * d * k];
        m.logProbAndGradient(x, CHAINS, lp, grad);
        double[] lp2 = new double[CHAINS];
        m.logProb(x, CHAINS, lp2);
        assertThat(lp).containsExactly(lp2);
        double h = 1e-5;
        for (int c = 0; c < CHAINS; c++) {
            double[] z = encode(x, c, d, k);
            assertThat(ex.extension().applyAsDouble(z)).as("extension agrees with log p̃ on the lattice")
                    .isCloseTo(lp[c], within(1e-9 * (1 + Math.abs(lp[c]))));
            for (int i = 0; i < d; i++) {
                double[] fd = new double[k];
                if (k == 2) {
                    fd[1] = central(ex, z, i, h);
                } else {
                    for (int v = 0; v < k; v++) {
                        fd[v] = central(ex, z, i * k + v, h);
                    }
                }
                int g0 = (c * d + i) * k;
                for (int v = 1; v < k; v++) {
                    double got = grad[g0 + v] - grad[g0];
                    double want = fd[v] - fd[0];
                    assertThat(got).as("chain %d site %d value %d", c, i, v)
                            .isCloseTo(want, within(1e-5 * (1 + Math.abs(want))));
                }
            }
        }
    }

    /** Where log p̃ is linear in each site, the gradient gives every single-site change exactly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void linearModelsGradientGivesExactDeltas(EnergyModelExamples.Example ex) {
        EnergyModel m = ex.build().get();
        int d = m.dim();
        int k = m.numValues();
        int[] x = randomStates(m, CHAINS, 5);
        double[] lp = new double[CHAINS];
        float[] grad = new float[CHAINS * d * k];
        m.logProbAndGradient(x, CHAINS, lp, grad);
        double[] deltas = new double[CHAINS * d * k];
        m.deltas(x, CHAINS, deltas);
        int mismatches = 0;
        for (int c = 0; c < CHAINS; c++) {
            for (int i = 0; i < d; i++) {
                int o = (c * d + i) * k;
                int cur = x[c * d + i];
                for (int v = 0; v < k; v++) {
                    double fromGrad = grad[o + v] - grad[o + cur];
                    double err = Math.abs(fromGrad - deltas[o + v]);
                    if (err > 1e-5 * (1 + Math.abs(deltas[o + v]))) {
                        mismatches++;
                    }
                }
            }
        }
        if (ex.linearPerSite()) {
            assertThat(mismatches).isZero();
        } else {
            // Nonlinear in a site (softplus, squared residual): the first-order estimate must actually differ.
            assertThat(mismatches).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void parametersRoundTripExactly(EnergyModelExamples.Example ex) {
        EnergyModel m = ex.build().get();
        Map<String, Object> p = m.parameters();
        EnergyModel copy = Models.fromParameters(p);
        assertThat(copy.getClass()).isEqualTo(m.getClass());
        assertSameParameters(copy.parameters(), p);
        assertThat(copy.toString()).isEqualTo(m.toString());
        // As a JSON reader would hand it back: lists and boxed numbers.
        EnergyModel fromJson = Models.fromParameters(jsonStyle(p));
        assertSameParameters(fromJson.parameters(), p);
        int[] x = randomStates(m, CHAINS, 6);
        double[] a = new double[CHAINS];
        double[] b = new double[CHAINS];
        double[] c = new double[CHAINS];
        m.logProb(x, CHAINS, a);
        copy.logProb(x, CHAINS, b);
        fromJson.logProb(x, CHAINS, c);
        assertThat(b).containsExactly(a);
        assertThat(c).containsExactly(a);
        // The export is a copy: changing it does not change the model.
        Map<String, Object> p2 = m.parameters();
        for (Object v : p2.values()) {
            if (v instanceof double[]) {
                ((double[]) v)[0] += 1;
            }
        }
        assertSameParameters(m.parameters(), p);
    }

    static void assertSameParameters(Map<String, Object> got, Map<String, Object> want) {
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        for (String key : want.keySet()) {
            assertThat(Objects.deepEquals(got.get(key), want.get(key))).as("parameter '%s'", key).isTrue();
        }
    }

    /** The map with arrays turned into lists, as Jackson reads model.json back into a Map. */
    static Map<String, Object> jsonStyle(Map<String, Object> p) {
        Map<String, Object> out = new LinkedHashMap<>();
        p.forEach((key, v) -> out.put(key, toJson(v)));
        return out;
    }

    static Object toJson(Object v) {
        if (v instanceof double[]) {
            List<Object> l = new ArrayList<>();
            for (double d : (double[]) v) {
                // A JSON reader gives back integral numbers as Integer: make sure that is accepted too.
                l.add(d == Math.rint(d) && Math.abs(d) < 1e9 ? (Object) (int) d : (Object) d);
            }
            return l;
        }
        if (v instanceof int[]) {
            List<Object> l = new ArrayList<>();
            for (int d : (int[]) v) {
                l.add(d);
            }
            return l;
        }
        if (v instanceof Object[]) {
            List<Object> l = new ArrayList<>();
            for (Object o : (Object[]) v) {
                l.add(toJson(o));
            }
            return l;
        }
        return v;
    }

    static double[] encode(int[] x, int c, int d, int k) {
        double[] z = new double[k == 2 ? d : d * k];
        for (int i = 0; i < d; i++) {
            if (k == 2) {
                z[i] = x[c * d + i];
            } else {
                z[i * k + x[c * d + i]] = 1;
            }
        }
        return z;
    }

    static double central(EnergyModelExamples.Example ex, double[] z, int j, double h) {
        double[] p = z.clone();
        double[] q = z.clone();
        p[j] += h;
        q[j] -= h;
        return (ex.extension().applyAsDouble(p) - ex.extension().applyAsDouble(q)) / (2 * h);
    }
}
