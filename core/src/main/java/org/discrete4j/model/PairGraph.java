package org.discrete4j.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coupled pairs of a pairwise model (Ising, Potts): each unordered pair once, in construction order (so an
 * exported and rebuilt model sums in the same order), and the same pairs as CSR neighbour lists with every pair
 * stored at both ends, for the models' per-site loops.
 */
final class PairGraph {

    final int dim;
    final int[][] pairs; // i < j, in construction order
    final double[] pairCoupling;
    final int[] start; // CSR: the neighbours of site i are neighbour[start[i]..start[i+1])
    final int[] neighbour;
    final double[] coupling;

    /** Pairs keyed by {@link #key} in the order they were added. */
    PairGraph(int dim, Map<Long, Double> pairMap) {
        this.dim = dim;
        this.pairs = new int[pairMap.size()][];
        this.pairCoupling = new double[pairMap.size()];
        int[] degree = new int[dim];
        int p = 0;
        for (Map.Entry<Long, Double> e : pairMap.entrySet()) {
            int i = (int) (e.getKey() / dim);
            int j = (int) (e.getKey() % dim);
            pairs[p] = new int[] {i, j};
            pairCoupling[p++] = e.getValue();
            degree[i]++;
            degree[j]++;
        }
        start = new int[dim + 1];
        for (int i = 0; i < dim; i++) {
            start[i + 1] = start[i] + degree[i];
        }
        neighbour = new int[start[dim]];
        coupling = new double[start[dim]];
        int[] fill = Arrays.copyOf(start, dim);
        for (int q = 0; q < pairs.length; q++) {
            int i = pairs[q][0];
            int j = pairs[q][1];
            neighbour[fill[i]] = j;
            coupling[fill[i]++] = pairCoupling[q];
            neighbour[fill[j]] = i;
            coupling[fill[j]++] = pairCoupling[q];
        }
    }

    /** The map key of the unordered pair {i, j} among d sites. */
    static long key(int i, int j, int d) {
        return (long) Math.min(i, j) * d + Math.max(i, j);
    }

    /** The nearest-neighbour pairs of an L×L periodic square lattice (row-major sites), all with coupling w. */
    static Map<Long, Double> lattice(int size, double w) {
        int d = size * size;
        Map<Long, Double> pairs = new LinkedHashMap<>();
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                int i = r * size + c;
                addPair(pairs, d, i, r * size + (c + 1) % size, w);
                addPair(pairs, d, i, ((r + 1) % size) * size + c, w);
            }
        }
        return pairs;
    }

    private static void addPair(Map<Long, Double> pairs, int d, int i, int j, double w) {
        if (i == j) {
            return;
        }
        pairs.putIfAbsent(key(i, j, d), w); // each pair once, also on a 2×2 torus where it appears twice
    }

    /** A copy of the pairs, {i, j} with i &lt; j, for a model's parameters. */
    int[][] pairsCopy() {
        int[][] e = new int[pairs.length][];
        for (int q = 0; q < pairs.length; q++) {
            e[q] = pairs[q].clone();
        }
        return e;
    }
}
