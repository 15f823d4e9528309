package org.discrete4j.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A pairwise binary model in spin form: with s = 2x − 1 and x ∈ {0, 1},
 * log p̃(x) = Σ_{i<j} J_ij s_i s_j + Σ_i h_i s_i, each coupled pair counted once.
 *
 * <p>Everything is closed form on the local field m_i = Σ_j J_ij s_j + h_i: flipping site i changes log p̃ by
 * −2 s_i m_i, the gradient with respect to x_i is 2 m_i (since ds/dx = 2), and a flip updates the fields of the
 * neighbours only.
 */
public final class IsingModel implements EnergyModel {

    static final String TYPE = "ising";

    private final int dim;
    private final PairGraph graph; // the coupled pairs in construction order, for an exact export
    private final int[] start; // CSR neighbour lists (the graph's, held here for the per-site loops)
    private final int[] neighbour;
    private final double[] coupling;
    private final double[] field;
    private final String description;

    private IsingModel(int dim, Map<Long, Double> pairs, double[] field, String description) {
        this.dim = dim;
        this.field = field.clone();
        this.description = description;
        this.graph = new PairGraph(dim, pairs);
        this.start = graph.start;
        this.neighbour = graph.neighbour;
        this.coupling = graph.coupling;
    }

    /**
     * Ising model on an L×L periodic square lattice with uniform coupling J and field h; sites in row-major order.
     */
    public static IsingModel lattice(int size, double coupling, double field) {
        if (size < 2) {
            throw new IllegalArgumentException("lattice size must be >= 2, got " + size);
        }
        Models.checkFinite(coupling, "coupling");
        Models.checkFinite(field, "field");
        int d = size * size;
        double[] h = new double[d];
        Arrays.fill(h, field);
        return new IsingModel(d, PairGraph.lattice(size, coupling), h, "ising lattice " + size + "x" + size + " J="
                + coupling + " h=" + field);
    }

    /** A model from an explicit symmetric coupling matrix (diagonal ignored) and fields. */
    public static IsingModel of(double[][] couplings, double[] fields) {
        int d = fields.length;
        if (couplings.length != d) {
            throw new IllegalArgumentException("couplings must be " + d + "×" + d);
        }
        Map<Long, Double> pairs = new LinkedHashMap<>();
        for (int i = 0; i < d; i++) {
            if (couplings[i].length != d) {
                throw new IllegalArgumentException("couplings must be " + d + "×" + d);
            }
            Models.checkFinite(fields[i], "field");
            for (int j = i + 1; j < d; j++) {
                Models.checkFinite(couplings[i][j], "coupling");
                if (couplings[i][j] != couplings[j][i]) {
                    throw new IllegalArgumentException("couplings must be symmetric: J[" + i + "][" + j + "] != J["
                            + j + "][" + i + "]");
                }
                if (couplings[i][j] != 0) {
                    pairs.put((long) i * d + j, couplings[i][j]);
                }
            }
        }
        return new IsingModel(d, pairs, fields, "ising dense " + d);
    }

    /**
     * Ising model on an Erdős–Rényi graph G(n, p) with Gaussian couplings J_ij = couplingScale · N(0, 1) on each
     * edge (counted once, as everywhere in this class) and a uniform field; deterministic in the seed (pairs i &lt; j
     * visited in order, one uniform per pair, one Gaussian per edge).
     *
     * <p>This is the ER Ising of Grathwohl et al., "Oops I Took A Gradient", ICML 2021, from their Ising
     * structure-learning experiments (the reference code's {@code ERIsingModel}: edge probability avg_degree / n,
     * weights N(0, 1/avg_degree), energy sᵀJs + bᵀs with a symmetric J, which counts each pair twice). Their model
     * with average degree d is therefore {@code erdosRenyi(n, d / n, 2 / sqrt(d), bias, seed)} here.
     */
    public static IsingModel erdosRenyi(int n, double p, double couplingScale, double field, long seed) {
        if (n < 2) {
            throw new IllegalArgumentException("number of nodes must be >= 2, got " + n);
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("edge probability must lie in [0, 1], got " + p);
        }
        if (!(couplingScale >= 0) || Double.isInfinite(couplingScale)) {
            throw new IllegalArgumentException("couplingScale must be finite and >= 0, got " + couplingScale);
        }
        Models.checkFinite(field, "field");
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Long, Double> pairs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (rng.nextDouble() < p) {
                    pairs.put((long) i * n + j, couplingScale * rng.nextGaussian());
                }
            }
        }
        double[] h = new double[n];
        Arrays.fill(h, field);
        return new IsingModel(n, pairs, h, "ising-er n=" + n + " p=" + p + " scale=" + couplingScale + " h=" + field
                + " seed=" + seed);
    }

    static IsingModel fromParameters(Map<String, Object> p) {
        Models.expectType(p, TYPE);
        int d = Models.integer(p, "dim");
        if (d < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + d);
        }
        double[] fields = Models.doubles(p, "fields");
        Models.checkLength(fields, d, "fields");
        Models.checkFinite(fields, "fields");
        double[][] e = Models.matrix(p, "edges");
        double[] w = Models.doubles(p, "couplings");
        Models.checkLength(w, e.length, "couplings");
        Models.checkFinite(w, "couplings");
        Map<Long, Double> pairs = new LinkedHashMap<>();
        for (int n = 0; n < e.length; n++) {
            if (e[n].length != 2) {
                throw new IllegalArgumentException("edges[" + n + "] must be a pair of sites");
            }
            int i = (int) e[n][0];
            int j = (int) e[n][1];
            if (i != e[n][0] || j != e[n][1] || i < 0 || j >= d || i >= j) {
                throw new IllegalArgumentException("edges[" + n + "] must be sites i < j in 0.." + (d - 1) + ", got "
                        + Arrays.toString(e[n]));
            }
            if (pairs.put((long) i * d + j, w[n]) != null) {
                throw new IllegalArgumentException("edge (" + i + ", " + j + ") appears twice");
            }
        }
        Object desc = p.get("description");
        return new IsingModel(d, pairs, fields, desc instanceof String ? (String) desc : "ising " + d);
    }

    /**
     * Sites, fields, and the coupled pairs (i &lt; j) with their couplings in construction order, so that the
     * rebuilt model sums in the same order and gives bit-identical results.
     */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", TYPE);
        p.put("description", description);
        p.put("dim", dim);
        p.put("fields", field.clone());
        p.put("edges", graph.pairsCopy());
        p.put("couplings", graph.pairCoupling.clone());
        return p;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int numValues() {
        return 2;
    }

    /** Neighbours of site i (CSR slice start(i)..start(i+1) of {@link #neighbours()}). */
    public int[] starts() {
        return start;
    }

    public int[] neighbours() {
        return neighbour;
    }

    public double[] couplings() {
        return coupling;
    }

    public double[] fields() {
        return field.clone();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Local field m_i of one chain's state at offset o. */
    double localField(int[] x, int o, int i) {
        double m = field[i];
        for (int n = start[i]; n < start[i + 1]; n++) {
            m += coupling[n] * (2 * x[o + neighbour[n]] - 1);
        }
        return m;
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            double pair = 0;
            double single = 0;
            for (int i = 0; i < dim; i++) {
                int si = 2 * x[o + i] - 1;
                single += field[i] * si;
                for (int n = start[i]; n < start[i + 1]; n++) {
                    pair += coupling[n] * si * (2 * x[o + neighbour[n]] - 1);
                }
            }
            out[c] = 0.5 * pair + single; // each pair was visited from both ends
        }
    }

    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        logProb(x, chains, logProb);
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            for (int i = 0; i < dim; i++) {
                grad[2 * (o + i)] = 0f;
                grad[2 * (o + i) + 1] = (float) (2 * localField(x, o, i));
            }
        }
    }

    @Override
    public void deltas(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            for (int i = 0; i < dim; i++) {
                int si = 2 * x[o + i] - 1;
                double flip = -2 * si * localField(x, o, i);
                out[2 * (o + i) + x[o + i]] = 0;
                out[2 * (o + i) + 1 - x[o + i]] = flip;
            }
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        return new FieldCache(x, chains);
    }

    /**
     * Local fields of every chain. A flip of site i recomputes the fields of i's neighbours from the states (O(degree²)
     * instead of O(degree) for adding ±2J, but the fields then stay exactly those of a fresh evaluation however long
     * the chains run).
     */
    private final class FieldCache extends AbstractSiteCache implements GradientCache {
        private final double[] m;
        private final double[] fields; // one chain's proposal fields
        private final int[] path; // one chain's state, walked through its proposal's flips
        private final int degree; // the most neighbours of any site
        private final double[] next; // chains × degree: a single-flip proposal's new neighbour fields, for accept
        private int[] proposals;
        private int[] sites;
        private int[] counts;

        FieldCache(int[] x, int chains) {
            super(checked(x, chains, IsingModel.this.dim, "dim"), IsingModel.this.dim);
            this.m = new double[chains * dim];
            this.fields = new double[dim];
            this.path = new int[dim];
            int most = 0;
            for (int i = 0; i < dim; i++) {
                most = Math.max(most, start[i + 1] - start[i]);
            }
            this.degree = most;
            this.next = new double[chains * most];
            computeFields();
        }

        private void computeFields() {
            int chains = m.length / dim;
            for (int c = 0; c < chains; c++) {
                for (int i = 0; i < dim; i++) {
                    m[c * dim + i] = localField(x, c * dim, i);
                }
            }
        }

        @Override
        public void refresh(double[] logProb, float[] grad) {
            computeFields();
            logProbAndGradient(x, m.length / dim, logProb, grad);
        }

        @Override
        public double delta(int chain, int site, int value) {
            int o = chain * dim + site;
            if (value == x[o]) {
                return 0;
            }
            return -2 * (2 * x[o] - 1) * m[o];
        }

        @Override
        public void set(int chain, int site, int value) {
            int o = chain * dim + site;
            if (value == x[o]) {
                return;
            }
            x[o] = value;
            int base = chain * dim;
            for (int n = start[site]; n < start[site + 1]; n++) {
                int j = neighbour[n];
                m[base + j] = localField(x, base, j);
            }
        }

        @Override
        public void evaluate(int[] proposals, int[] sites, int[] counts, double[] delta, float[] grad) {
            this.proposals = proposals;
            this.sites = sites;
            this.counts = counts;
            for (int c = 0; c < counts.length; c++) {
                int n = counts[c];
                if (n < 0) {
                    continue;
                }
                int o = c * dim;
                double d;
                if (n == 1) {
                    int i = sites[o];
                    d = -2 * (2 * x[o + i] - 1) * m[o + i];
                } else {
                    // Several flips: walk through them one at a time, each delta from the fields of the state so far.
                    System.arraycopy(x, o, path, 0, dim);
                    d = 0;
                    for (int t = 0; t < n; t++) {
                        int i = sites[o + t];
                        d += -2 * (2 * path[i] - 1) * localField(path, 0, i);
                        path[i] = proposals[o + i];
                    }
                }
                delta[c] = d;
                if (n == 1) {
                    // The row holds the gradient at x (the contract of evaluate): only the flipped site's neighbours'
                    // fields change (a site's own field does not depend on its spin).
                    int i = sites[o];
                    for (int e = start[i], k = c * degree; e < start[i + 1]; e++, k++) {
                        double f = localField(proposals, o, neighbour[e]);
                        next[k] = f;
                        grad[2 * (o + neighbour[e]) + 1] = (float) (2 * f);
                    }
                    continue;
                }
                System.arraycopy(m, o, fields, 0, dim);
                for (int t = 0; t < n; t++) {
                    int i = sites[o + t];
                    for (int e = start[i]; e < start[i + 1]; e++) {
                        int j = neighbour[e];
                        fields[j] = localField(proposals, o, j);
                    }
                }
                for (int i = 0; i < dim; i++) {
                    grad[2 * (o + i)] = 0f;
                    grad[2 * (o + i) + 1] = (float) (2 * fields[i]);
                }
            }
        }

        @Override
        public void accept(int chain) {
            int o = chain * dim;
            if (counts[chain] == 1) {
                // the fields evaluate computed at the proposal: the same sums that set() would redo
                int i = sites[o];
                x[o + i] = proposals[o + i];
                for (int e = start[i], k = chain * degree; e < start[i + 1]; e++, k++) {
                    m[o + neighbour[e]] = next[k];
                }
                return;
            }
            for (int t = 0; t < counts[chain]; t++) {
                int i = sites[o + t];
                set(chain, i, proposals[o + i]);
            }
        }
    }
}
