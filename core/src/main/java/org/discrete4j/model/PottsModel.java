package org.discrete4j.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pairwise Potts model over K colours: log p̃(x) = Σ_{i<j} J_ij 1[x_i = x_j] + Σ_i f_{i,x_i}, each coupled pair
 * counted once, with per-site per-colour fields f.
 *
 * <p>In the one-hot encoding x_{ik} = 1[x_i = k] the model is multilinear, 1[x_i = x_j] = Σ_k x_{ik} x_{jk}, so the
 * gradient is g_{ik} = Σ_{j∈N(i)} J_ij 1[x_j = k] + f_{ik} and, because no site interacts with itself, recolouring
 * site i to k changes log p̃ by exactly g_{ik} − g_{i,x_i}. The cache keeps g (the colour counts of the neighbours
 * weighted by the couplings, plus the field) and a move updates the neighbours' entries only.
 */
public final class PottsModel implements EnergyModel {

    static final String TYPE = "potts";

    private final int dim;
    private final int k;
    private final PairGraph graph; // each pair once, i < j, in insertion order (for parameters())
    private final int[] start; // the graph's CSR neighbour lists, held here for the per-site loops
    private final int[] neighbour;
    private final double[] coupling;
    private final double[] field; // dim × K
    private final String description;

    private PottsModel(PairGraph graph, int k, double[] field, String description) {
        this.dim = graph.dim;
        this.k = k;
        this.field = field;
        this.description = description;
        this.graph = graph;
        this.start = graph.start;
        this.neighbour = graph.neighbour;
        this.coupling = graph.coupling;
    }

    /**
     * Potts model with K colours on an L×L periodic square lattice, uniform coupling J and a field h on colour 0:
     * log p̃(x) = J Σ_{⟨ij⟩} 1[x_i = x_j] + h Σ_i 1[x_i = 0]; sites in row-major order.
     */
    public static PottsModel lattice(int size, int colours, double coupling, double field) {
        if (size < 2) {
            throw new IllegalArgumentException("lattice size must be >= 2, got " + size);
        }
        checkColours(colours);
        Models.checkFinite(coupling, "coupling");
        Models.checkFinite(field, "field");
        int d = size * size;
        double[] f = new double[d * colours];
        for (int i = 0; i < d; i++) {
            f[i * colours] = field;
        }
        return new PottsModel(new PairGraph(d, PairGraph.lattice(size, coupling)), colours, f, "potts lattice " + size
                + "x" + size + " K=" + colours + " J=" + coupling + " h=" + field);
    }

    /**
     * A model from a sparse list of pairs {i, j} (each unordered pair at most once, i ≠ j) with their couplings,
     * and fields {@code fields[i][k]} (dim × K).
     */
    public static PottsModel of(int colours, int[][] pairs, double[] couplings, double[][] fields) {
        checkColours(colours);
        int d = fields.length;
        if (d < 1) {
            throw new IllegalArgumentException("fields must have at least one site");
        }
        if (pairs.length != couplings.length) {
            throw new IllegalArgumentException("pairs (" + pairs.length + ") and couplings (" + couplings.length
                    + ") differ in length");
        }
        double[] f = new double[d * colours];
        for (int i = 0; i < d; i++) {
            if (fields[i].length != colours) {
                throw new IllegalArgumentException("fields[" + i + "] has " + fields[i].length + " values, expected "
                        + colours);
            }
            for (int v = 0; v < colours; v++) {
                Models.checkFinite(fields[i][v], "field");
                f[i * colours + v] = fields[i][v];
            }
        }
        Map<Long, Double> map = new LinkedHashMap<>();
        for (int p = 0; p < pairs.length; p++) {
            if (pairs[p].length != 2) {
                throw new IllegalArgumentException("pair " + p + " must have two sites, got " + pairs[p].length);
            }
            int i = pairs[p][0];
            int j = pairs[p][1];
            if (i < 0 || j < 0 || i >= d || j >= d || i == j) {
                throw new IllegalArgumentException("pair " + p + " = {" + i + ", " + j + "} must be two distinct sites"
                        + " in 0.." + (d - 1));
            }
            Models.checkFinite(couplings[p], "coupling");
            if (map.put(PairGraph.key(i, j, d), couplings[p]) != null) {
                throw new IllegalArgumentException("pair {" + i + ", " + j + "} listed twice");
            }
        }
        return new PottsModel(new PairGraph(d, map), colours, f, "potts " + d + " sites K=" + colours + " "
                + pairs.length + " pairs");
    }

    /**
     * Every parameter needed to rebuild the model exactly, as plain values a JSON writer can save: {@code type}
     * ("potts"), {@code description}, {@code dim}, {@code colors}, {@code edges} (int[P][2], i &lt; j, in construction
     * order so a rebuilt model sums in the same order), {@code couplings} (double[P]) and {@code fields}
     * (double[D][K]).
     */
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("description", description);
        m.put("dim", dim);
        m.put("colors", k);
        m.put("edges", graph.pairsCopy());
        m.put("couplings", graph.pairCoupling.clone());
        double[][] f = new double[dim][k];
        for (int i = 0; i < dim; i++) {
            System.arraycopy(field, i * k, f[i], 0, k);
        }
        m.put("fields", f);
        return m;
    }

    /**
     * The model {@link #parameters()} describes. Arrays may also be nested lists of numbers, as a JSON reader
     * returns them.
     */
    public static PottsModel fromParameters(Map<String, ?> parameters) {
        if (!TYPE.equals(parameters.get("type"))) {
            throw new IllegalArgumentException("expected model type '" + TYPE + "', got '" + parameters.get("type")
                    + "'");
        }
        @SuppressWarnings("unchecked") // only read
        Map<String, Object> p = (Map<String, Object>) parameters;
        int colours = Models.integer(p, "colors");
        double[][] e = Models.matrix(p, "edges");
        double[] j = Models.doubles(p, "couplings");
        double[][] f = Models.matrix(p, "fields");
        int d = Models.integer(p, "dim");
        if (f.length != d) {
            throw new IllegalArgumentException("fields has " + f.length + " rows, expected dim = " + d);
        }
        int[][] pairs = new int[e.length][];
        for (int q = 0; q < e.length; q++) {
            if (e[q].length != 2) {
                throw new IllegalArgumentException("edges[" + q + "] must be a pair of sites");
            }
            pairs[q] = new int[] {site(e[q][0]), site(e[q][1])};
        }
        PottsModel m = of(colours, pairs, j, f);
        Object description = parameters.get("description");
        return description instanceof String
                ? new PottsModel(m.graph, m.k, m.field, (String) description)
                : m;
    }

    private static int site(double v) {
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException("'edges' must hold integers, got " + v);
        }
        return (int) v;
    }

    private static void checkColours(int colours) {
        if (colours < 2) {
            throw new IllegalArgumentException("colours must be >= 2, got " + colours);
        }
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int numValues() {
        return k;
    }

    /** Neighbours of site i are the CSR slice starts()[i]..starts()[i+1] of {@link #neighbours()}. */
    public int[] starts() {
        return start;
    }

    public int[] neighbours() {
        return neighbour;
    }

    /** Couplings aligned with {@link #neighbours()}. */
    public double[] couplings() {
        return coupling;
    }

    /** Fields f_{ik} at index i·K + k. */
    public double[] fields() {
        return field.clone();
    }

    @Override
    public String toString() {
        return description;
    }

    /** g_{ik} = Σ_j J_ij 1[x_j = k] + f_{ik} for all k of one site, into out[o..o+K). */
    private void siteGradient(int[] x, int base, int i, double[] out, int o) {
        System.arraycopy(field, i * k, out, o, k);
        for (int n = start[i]; n < start[i + 1]; n++) {
            out[o + x[base + neighbour[n]]] += coupling[n];
        }
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            double pair = 0;
            double single = 0;
            for (int i = 0; i < dim; i++) {
                int xi = x[o + i];
                single += field[i * k + xi];
                for (int n = start[i]; n < start[i + 1]; n++) {
                    if (x[o + neighbour[n]] == xi) {
                        pair += coupling[n];
                    }
                }
            }
            out[c] = 0.5 * pair + single; // each pair was visited from both ends
        }
    }

    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        logProb(x, chains, logProb);
        double[] g = new double[k];
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            for (int i = 0; i < dim; i++) {
                siteGradient(x, o, i, g, 0);
                for (int v = 0; v < k; v++) {
                    grad[(o + i) * k + v] = (float) g[v];
                }
            }
        }
    }

    @Override
    public void deltas(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            for (int i = 0; i < dim; i++) {
                int at = (o + i) * k;
                siteGradient(x, o, i, out, at);
                double cur = out[at + x[o + i]];
                for (int v = 0; v < k; v++) {
                    out[at + v] -= cur;
                }
                out[at + x[o + i]] = 0; // exactly, not cur − cur
            }
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        return new ColourFieldCache(AbstractSiteCache.checked(x, chains, dim, "dim"), chains);
    }

    /**
     * The per-site colour fields g_{ik} of every chain. A move of site i recomputes the fields of i's neighbours from
     * the states (O(degree·(K + degree)) rather than two adds per neighbour, but the cache then stays exactly what a
     * fresh evaluation gives, however long the chains run).
     */
    private final class ColourFieldCache extends AbstractSiteCache implements GradientCache {
        private final double[] g; // chains × dim × K
        private final double[] fields; // one chain's proposal fields, dim × K
        private final double[] site = new double[k];
        private final int[] path; // one chain's state, walked through its proposal's moves
        private int[] proposals;
        private int[] sites;
        private int[] counts;

        ColourFieldCache(int[] x, int chains) {
            super(x, PottsModel.this.dim);
            this.g = new double[chains * dim * k];
            this.fields = new double[dim * k];
            this.path = new int[dim];
            computeFields();
        }

        private void computeFields() {
            int chains = g.length / (dim * k);
            for (int c = 0; c < chains; c++) {
                for (int i = 0; i < dim; i++) {
                    siteGradient(x, c * dim, i, g, (c * dim + i) * k);
                }
            }
        }

        @Override
        public void refresh(double[] logProb, float[] grad) {
            computeFields();
            logProbAndGradient(x, g.length / (dim * k), logProb, grad);
        }

        @Override
        public double delta(int chain, int site, int value) {
            int o = chain * dim + site;
            int cur = x[o];
            return value == cur ? 0 : g[o * k + value] - g[o * k + cur];
        }

        @Override
        public void siteDeltas(int chain, int site, double[] out) {
            int o = chain * dim + site;
            double cur = g[o * k + x[o]];
            for (int v = 0; v < k; v++) {
                out[v] = g[o * k + v] - cur;
            }
            out[x[o]] = 0;
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
                siteGradient(x, base, j, g, (base + j) * k);
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
                    d = g[(o + i) * k + proposals[o + i]] - g[(o + i) * k + x[o + i]];
                } else {
                    // Several moves: one at a time, each delta from the fields of the state so far.
                    System.arraycopy(x, o, path, 0, dim);
                    d = 0;
                    for (int t = 0; t < n; t++) {
                        int i = sites[o + t];
                        siteGradient(path, 0, i, site, 0);
                        d += site[proposals[o + i]] - site[path[i]];
                        path[i] = proposals[o + i];
                    }
                }
                delta[c] = d;
                System.arraycopy(g, o * k, fields, 0, dim * k);
                for (int t = 0; t < n; t++) {
                    int i = sites[o + t];
                    for (int e = start[i]; e < start[i + 1]; e++) {
                        int j = neighbour[e];
                        siteGradient(proposals, o, j, fields, j * k);
                    }
                }
                for (int e = 0; e < dim * k; e++) {
                    grad[o * k + e] = (float) fields[e];
                }
            }
        }

        @Override
        public void accept(int chain) {
            int o = chain * dim;
            for (int t = 0; t < counts[chain]; t++) {
                int i = sites[o + t];
                set(chain, i, proposals[o + i]);
            }
        }
    }
}
