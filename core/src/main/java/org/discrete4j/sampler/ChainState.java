package org.discrete4j.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.SiteCache;

/**
 * The state of a batch of chains: what a kernel must carry from one step to the next. It caches log p̃ and, for
 * kernels that read it, the one-hot gradient and a {@link SiteCache} of the current states, so nothing is
 * computed twice; kernels keep these in step with {@link #x}.
 */
public final class ChainState {

    private final EnergyModel model;
    private final int chains;
    private final int[] x;
    private final double[] logProb;
    private float[] grad;
    private SiteCache cache;
    private final SplittableRandom rng;
    private long evaluations;
    /** The gradient kernel that moved the chains last: its per-chain caches describe them (see GradientKernel). */
    GradientKernel stepper;

    /**
     * Chains starting at {@code x0} ({@code chains × dim} values in 0..K−1, copied), with their own random stream.
     */
    public ChainState(EnergyModel model, int[] x0, int chains, long seed) {
        int d = model.dim();
        if (chains < 1) {
            throw new IllegalArgumentException("chains must be >= 1, got " + chains);
        }
        if (x0.length != (long) chains * d) {
            throw new IllegalArgumentException("initial states have " + x0.length + " values, expected chains × dim = "
                    + chains + " × " + d);
        }
        int k = model.numValues();
        for (int v : x0) {
            if (v < 0 || v >= k) {
                throw new IllegalArgumentException("initial state value " + v + " outside 0.." + (k - 1));
            }
        }
        this.model = model;
        this.chains = chains;
        this.x = x0.clone();
        this.logProb = new double[chains];
        this.rng = new SplittableRandom(seed);
        model.logProb(x, chains, logProb);
        this.evaluations = 1;
    }

    /** Chains starting uniformly at random. */
    public static ChainState uniform(EnergyModel model, int chains, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int[] x0 = new int[chains * model.dim()];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = r.nextInt(model.numValues());
        }
        return new ChainState(model, x0, chains, seed);
    }

    /** Chains starting at the rows of a (chains, dim) integer or float array. */
    public static ChainState of(EnergyModel model, NDArray x0, long seed) {
        Shape s = x0.getShape();
        if (s.dimension() != 2 || s.get(1) != model.dim()) {
            throw new IllegalArgumentException("initial states must have shape (chains, " + model.dim() + "), got " + s);
        }
        int[] v = x0.toType(DataType.INT32, false).toIntArray();
        return new ChainState(model, v, (int) s.get(0), seed);
    }

    /** The current states as a (chains, dim) int32 array. */
    public NDArray toNDArray(NDManager manager) {
        return manager.create(x.clone(), new Shape(chains, model.dim()));
    }

    public EnergyModel model() {
        return model;
    }

    public int chains() {
        return chains;
    }

    public int dim() {
        return model.dim();
    }

    public int numValues() {
        return model.numValues();
    }

    /** The current states, {@code chains × dim}, shared: kernels update them in place. */
    public int[] x() {
        return x;
    }

    /** Cached log p̃ of each chain's current state, shared. */
    public double[] logProb() {
        return logProb;
    }

    /** Cached one-hot gradient at the current states, computing it (one evaluation) on first use. */
    public float[] gradient() {
        if (grad == null) {
            grad = new float[chains * model.dim() * model.numValues()];
            model.logProbAndGradient(x, chains, logProb, grad);
            evaluations++;
        }
        return grad;
    }

    /** Drops the cached gradient (after a move that a kernel did not track). */
    public void invalidateGradient() {
        grad = null;
    }

    /** The model's incremental cache over the current states, created on first use. */
    public SiteCache cache() {
        if (cache == null) {
            cache = model.cache(x, chains);
        }
        return cache;
    }

    /** Drops the site cache (after states changed behind its back). */
    public void invalidateCache() {
        cache = null;
    }

    public SplittableRandom rng() {
        return rng;
    }

    /**
     * Energy evaluations per chain so far: full evaluations of log p̃ (with or without gradient) count 1, and so
     * does each single-site change of log p̃ that a kernel asks for (the convention of the DISCS benchmark).
     */
    public long evaluations() {
        return evaluations;
    }

    public void addEvaluations(long n) {
        evaluations += n;
    }
}
