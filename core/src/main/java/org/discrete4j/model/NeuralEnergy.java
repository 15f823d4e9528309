package org.discrete4j.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * log p̃ given by any DJL {@link Block}, with the gradient by autograd: the fallback for energies without a closed
 * form (deep EBMs as in Grathwohl et al. 2021).
 *
 * <p>Input encoding: for binary models (K = 2) the block sees the states as a float32 (chains, dim) array of 0/1;
 * for K ≥ 3 it sees their one-hot encoding, a float32 (chains, dim·K) array with entry i·K + k = 1[x_i = k]. It
 * must return log p̃ as (chains) or (chains, 1). The gradient is taken with respect to that input, so for K = 2 the
 * one-hot gradient entry (c, i, 1) is ∂f/∂x_i and entry (c, i, 0) is 0.
 *
 * <p>Every array of an evaluation lives in a sub-manager of the given manager that is closed before returning, so
 * long runs hold memory flat. {@link #logProbAndGradient} opens its own {@link GradientCollector}: DJL allows one
 * collector at a time per process, so it must not be called while the caller holds one (it throws
 * IllegalStateException if it is). While it runs, the block's parameters are excluded from autograd, so the
 * parameter gradients a training loop accumulates are not touched by sampling.
 */
public final class NeuralEnergy implements EnergyModel {

    /** Rows per forward pass when many neighbour states are evaluated at once. */
    private static final int ROWS = 1024;

    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final int dim;
    private final int k;
    private final int width;

    /**
     * An energy from an initialised block whose parameters live in {@code manager}; the evaluations' arrays are
     * created in sub-managers of it.
     */
    public NeuralEnergy(Block block, NDManager manager, int dim, int numValues) {
        if (block == null || manager == null) {
            throw new IllegalArgumentException("block and manager must not be null");
        }
        Models.checkAtLeast(dim, 1, "dim");
        Models.checkAtLeast(numValues, 2, "numValues");
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("block must be initialised (block.initialize(manager, FLOAT32, "
                    + "new Shape(chains, " + (numValues == 2 ? dim : "dim·K") + ")))");
        }
        if ((long) dim * numValues > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("dim·K is too large");
        }
        this.block = block;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.dim = dim;
        this.k = numValues;
        this.width = numValues == 2 ? dim : dim * numValues;
    }

    /** An energy from a model's block and manager. */
    public NeuralEnergy(Model model, int dim, int numValues) {
        this(model.getBlock(), model.getNDManager(), dim, numValues);
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int numValues() {
        return k;
    }

    @Override
    public String toString() {
        return "neural " + block.getClass().getSimpleName() + " dim=" + dim + " K=" + k;
    }

    private float[] encode(int[] x, int rows) {
        float[] in = new float[rows * width];
        if (k == 2) {
            for (int n = 0; n < rows * dim; n++) {
                in[n] = x[n];
            }
        } else {
            for (int n = 0; n < rows * dim; n++) {
                in[n * k + x[n]] = 1f;
            }
        }
        return in;
    }

    private NDArray forward(NDArray in, int rows) {
        NDArray out = block.forward(store, new NDList(in), false).singletonOrThrow();
        Shape s = out.getShape();
        boolean ok = s.dimension() == 1 && s.get(0) == rows || s.dimension() == 2 && s.get(0) == rows && s.get(1) == 1;
        if (!ok) {
            throw new IllegalArgumentException("energy block must return log p̃ of shape (" + rows + ") or (" + rows
                    + ", 1), got " + s);
        }
        return out;
    }

    private static void copy(NDArray out, double[] dest, int offset) {
        double[] v = out.toType(DataType.FLOAT64, false).toDoubleArray();
        System.arraycopy(v, 0, dest, offset, v.length);
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray in = sub.create(encode(x, chains), new Shape(chains, width));
            copy(forward(in, chains), out, 0);
        }
    }

    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray in = sub.create(encode(x, chains), new Shape(chains, width));
            in.setRequiresGradient(true);
            List<NDArray> frozen = freezeParameters();
            try (GradientCollector gc = newCollector()) {
                NDArray out = forward(in, chains);
                copy(out, logProb, 0);
                gc.backward(out.sum());
            } finally {
                for (NDArray p : frozen) {
                    p.setRequiresGradient(true);
                }
            }
            NDArray g = in.getGradient();
            g.attach(sub);
            float[] gv = g.toType(DataType.FLOAT32, false).toFloatArray();
            if (k == 2) {
                for (int n = 0; n < chains * dim; n++) {
                    grad[2 * n] = 0f;
                    grad[2 * n + 1] = gv[n];
                }
            } else {
                System.arraycopy(gv, 0, grad, 0, chains * width);
            }
        }
    }

    private GradientCollector newCollector() {
        try {
            return manager.getEngine().newGradientCollector();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("NeuralEnergy.logProbAndGradient opens its own GradientCollector and "
                    + "must not be called while the caller holds one (DJL allows one at a time)", e);
        }
    }

    /**
     * Takes the block's parameters out of autograd for one evaluation: gradients accumulate across collectors on
     * the PyTorch engine, so a sampler's backward pass would otherwise add into a training loop's parameter
     * gradients.
     */
    private List<NDArray> freezeParameters() {
        List<NDArray> frozen = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (param.isInitialized() && param.getArray().hasGradient()) {
                param.getArray().setRequiresGradient(false);
                frozen.add(param.getArray());
            }
        }
        return frozen;
    }

    /** Evaluates every single-site neighbour, {@value #ROWS} states per forward pass. */
    @Override
    public void deltas(int[] x, int chains, double[] out) {
        double[] base = new double[chains];
        logProb(x, chains, base);
        int[] rows = new int[ROWS * dim];
        int[] where = new int[ROWS]; // output index of each buffered neighbour
        double[] lp = new double[ROWS];
        int n = 0;
        for (int c = 0; c < chains; c++) {
            for (int i = 0; i < dim; i++) {
                int cur = x[c * dim + i];
                for (int v = 0; v < k; v++) {
                    int o = (c * dim + i) * k + v;
                    if (v == cur) {
                        out[o] = 0;
                        continue;
                    }
                    System.arraycopy(x, c * dim, rows, n * dim, dim);
                    rows[n * dim + i] = v;
                    where[n++] = o;
                    if (n == ROWS) {
                        flush(rows, n, where, lp, out, base);
                        n = 0;
                    }
                }
            }
        }
        if (n > 0) {
            flush(rows, n, where, lp, out, base);
        }
    }

    private void flush(int[] rows, int n, int[] where, double[] lp, double[] out, double[] base) {
        logProb(rows, n, lp);
        for (int r = 0; r < n; r++) {
            out[where[r]] = lp[r] - base[where[r] / (dim * k)];
        }
    }

    @Override
    public SiteCache cache(int[] x, int chains) {
        return new NeuralCache(x, chains);
    }

    /**
     * Keeps each chain's log p̃ so a single-site question costs one forward pass of the K − 1 neighbours (the
     * generic cache would evaluate the current state again every time).
     */
    private final class NeuralCache extends AbstractSiteCache {
        private final double[] base;
        private final boolean[] fresh;
        private final int[] rows = new int[k * dim];
        private final double[] lp = new double[k];

        NeuralCache(int[] x, int chains) {
            super(checked(x, chains, NeuralEnergy.this.dim, "dim"), NeuralEnergy.this.dim);
            this.base = new double[chains];
            this.fresh = new boolean[chains];
        }

        private double base(int chain) {
            if (!fresh[chain]) {
                System.arraycopy(x, chain * dim, rows, 0, dim);
                logProb(rows, 1, lp);
                base[chain] = lp[0];
                fresh[chain] = true;
            }
            return base[chain];
        }

        @Override
        public double delta(int chain, int site, int value) {
            if (value == x[chain * dim + site]) {
                return 0;
            }
            double b = base(chain);
            System.arraycopy(x, chain * dim, rows, 0, dim);
            rows[site] = value;
            logProb(rows, 1, lp);
            return lp[0] - b;
        }

        @Override
        public void siteDeltas(int chain, int site, double[] out) {
            double b = base(chain);
            int cur = x[chain * dim + site];
            int n = 0;
            for (int v = 0; v < k; v++) {
                if (v != cur) {
                    System.arraycopy(x, chain * dim, rows, n * dim, dim);
                    rows[n * dim + site] = v;
                    n++;
                }
            }
            logProb(rows, n, lp);
            n = 0;
            for (int v = 0; v < k; v++) {
                out[v] = v == cur ? 0 : lp[n++] - b;
            }
        }

        @Override
        public void set(int chain, int site, int value) {
            int o = chain * dim + site;
            if (value != x[o]) {
                x[o] = value;
                fresh[chain] = false;
            }
        }
    }
}
