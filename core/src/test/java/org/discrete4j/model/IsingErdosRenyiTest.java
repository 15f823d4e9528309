package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IsingErdosRenyiTest {

    @Test
    void deterministicInTheSeed() {
        Map<String, Object> a = IsingModel.erdosRenyi(50, 0.1, 0.5, 0.2, 7).parameters();
        Map<String, Object> b = IsingModel.erdosRenyi(50, 0.1, 0.5, 0.2, 7).parameters();
        Map<String, Object> c = IsingModel.erdosRenyi(50, 0.1, 0.5, 0.2, 8).parameters();
        EnergyModelContractTest.assertSameParameters(b, a);
        assertThat(java.util.Objects.deepEquals(a.get("edges"), c.get("edges"))).isFalse();
    }

    /**
     * G(n, p) with Gaussian couplings: the edge count is Binomial(n(n−1)/2, p) and the couplings N(0, scale²).
     * n = 400, p = 0.02: 79,800 pairs, mean 1596 edges with sd 39.5; 5 sd bounds. The sample variance of ~1600
     * couplings has relative sd sqrt(2/1600) = 3.5 %: 5 sd is 18 %.
     */
    @Test
    void graphAndCouplingsHaveTheStatedDistribution() {
        IsingModel m = IsingModel.erdosRenyi(400, 0.02, 0.7, -0.3, 11);
        Map<String, Object> p = m.parameters();
        int[][] edges = (int[][]) p.get("edges");
        double[] j = (double[]) p.get("couplings");
        assertThat((double) edges.length).isCloseTo(1596, within(5 * 39.5));
        double s2 = 0;
        double s1 = 0;
        for (double w : j) {
            s1 += w;
            s2 += w * w;
        }
        assertThat(s1 / j.length).isCloseTo(0, within(5 * 0.7 / Math.sqrt(j.length)));
        assertThat(s2 / j.length / 0.49).isCloseTo(1, within(0.18));
        for (int[] e : edges) {
            assertThat(e[0]).isLessThan(e[1]);
        }
        assertThat((double[]) p.get("fields")).containsOnly(-0.3);
        assertThat(m.toString()).contains("ising-er");
    }

    /**
     * The reference ERIsingModel's energy sᵀGs + bᵀs (G symmetric, each pair twice) equals ours with J = 2G: the
     * mapping stated in the factory's comment.
     */
    @Test
    void matchesTheReferenceConventionWithDoubledCouplings() {
        IsingModel m = IsingModel.erdosRenyi(10, 0.5, 1.0, 0.4, 5);
        Map<String, Object> p = m.parameters();
        int[][] edges = (int[][]) p.get("edges");
        double[] j = (double[]) p.get("couplings");
        double[][] g = new double[10][10];
        for (int e = 0; e < edges.length; e++) {
            g[edges[e][0]][edges[e][1]] = j[e] / 2;
            g[edges[e][1]][edges[e][0]] = j[e] / 2;
        }
        int[] x = EnergyModelContractTest.randomStates(m, 5, 3);
        double[] lp = new double[5];
        m.logProb(x, 5, lp);
        for (int c = 0; c < 5; c++) {
            double e = 0;
            for (int a = 0; a < 10; a++) {
                double sa = 2 * x[c * 10 + a] - 1;
                e += 0.4 * sa;
                for (int b = 0; b < 10; b++) {
                    e += sa * g[a][b] * (2 * x[c * 10 + b] - 1);
                }
            }
            assertThat(lp[c]).isCloseTo(e, within(1e-12));
        }
    }

    @Test
    void badParametersAreRejected() {
        assertThatThrownBy(() -> IsingModel.erdosRenyi(1, 0.5, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodes must be >= 2");
        assertThatThrownBy(() -> IsingModel.erdosRenyi(5, 1.5, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("edge probability");
        assertThatThrownBy(() -> IsingModel.erdosRenyi(5, Double.NaN, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge probability");
        assertThatThrownBy(() -> IsingModel.erdosRenyi(5, 0.5, Double.NaN, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("couplingScale");
        assertThatThrownBy(() -> IsingModel.erdosRenyi(5, 0.5, 1, Double.POSITIVE_INFINITY, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field must be finite");
    }

    @Test
    void badParameterMapsAreRejected() {
        Map<String, Object> p = IsingModel.lattice(3, 0.2, 0.1).parameters();
        p.put("edges", new int[][] {{0, 1}, {1, 0}});
        p.put("couplings", new double[] {0.1, 0.2});
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("edges[1] must be sites i < j");
        p.put("edges", new int[][] {{0, 1}, {0, 1}});
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("appears twice");
        p.put("edges", new int[][] {{0, 1}, {0, 9}});
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..8");
        p.put("edges", new int[][] {{0, 1}});
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("couplings must have length 1");
        p.put("couplings", new double[] {Double.NaN});
        assertThatThrownBy(() -> Models.fromParameters(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("couplings[0] must be finite");
    }
}
