package org.discrete4j.sampler;

import org.discrete4j.model.Enumeration;
import org.discrete4j.model.PottsModel;

/**
 * Checks of Potts samplers against exact enumeration: the full distribution over the K^D states and the
 * distributions of two statistics, the number of agreeing coupled pairs and the number of sites of colour 0 (the
 * sufficient statistics of a lattice Potts model). A statistic of N iid draws is itself N iid draws of a
 * distribution on few values, so {@link ExactCheck#compare}'s bound applies unchanged, and it is far tighter than
 * the full distribution's on many states.
 */
final class PottsCheck {

    /** 3×3 lattice with 3 colours (19,683 states), J = 0.6 and a field 0.3 on colour 0. */
    static final PottsModel POTTS = PottsModel.lattice(3, 3, 0.6, 0.3);

    private PottsCheck() {}

    /** Results against the model's exact distribution: full, agreeing pairs, count of colour 0. */
    static ExactCheck.Result[] check(PottsModel model, int[] x, int chains) {
        return check(model, model, x, chains);
    }

    /** Statistics defined by {@code stats}, exact distribution of {@code target}. */
    static ExactCheck.Result[] check(PottsModel stats, PottsModel target, int[] x, int chains) {
        int d = stats.dim();
        int k = stats.numValues();
        int[][] edges = (int[][]) stats.parameters().get("edges");
        double[] p = Enumeration.of(target).probabilities();
        double[] agreeP = new double[edges.length + 1];
        double[] zerosP = new double[d + 1];
        int[] y = new int[d];
        for (int s = 0; s < p.length; s++) {
            Enumeration.decode(s, d, k, y, 0);
            agreeP[agree(edges, y, 0)] += p[s];
            zerosP[zeros(y, 0, d)] += p[s];
        }
        double[] agree = new double[agreeP.length];
        double[] zeros = new double[zerosP.length];
        for (int c = 0; c < chains; c++) {
            agree[agree(edges, x, c * d)]++;
            zeros[zeros(x, c * d, d)]++;
        }
        return new ExactCheck.Result[] {ExactCheck.tv(x, chains, d, k, p), ExactCheck.compare(agree, chains, agreeP),
            ExactCheck.compare(zeros, chains, zerosP)};
    }

    private static int agree(int[][] edges, int[] x, int o) {
        int n = 0;
        for (int[] e : edges) {
            if (x[o + e[0]] == x[o + e[1]]) {
                n++;
            }
        }
        return n;
    }

    private static int zeros(int[] x, int o, int d) {
        int n = 0;
        for (int i = 0; i < d; i++) {
            if (x[o + i] == 0) {
                n++;
            }
        }
        return n;
    }

    static String describe(ExactCheck.Result[] r) {
        return "full " + r[0] + "; agreeing pairs " + r[1] + "; colour-0 count " + r[2];
    }
}
