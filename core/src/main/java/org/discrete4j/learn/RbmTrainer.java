package org.discrete4j.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.distribution.LogSpace;
import org.discrete4j.model.Rbm;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Parameters;
import org.discrete4j.train.Seeds;

/**
 * Maximum-likelihood training of a Bernoulli RBM (model.Rbm: log p̃(v) = bᵀv + Σ_j softplus(c_j + W_j·v)) on binary
 * images by contrastive divergence (CD-k, Hinton, Neural Computation 14, 2002) or persistent contrastive divergence
 * (PCD-k, Tieleman, ICML 2008), with Adam.
 *
 * <p>The gradient of the mean log-likelihood is E_data[∇ log p̃(v)] − E_model[∇ log p̃(v)]; the model expectation is
 * replaced by the mean over negative samples: k block-Gibbs steps (h ~ Bern(σ(c + Wv)), v ~ Bern(σ(b + Wᵀh)), the
 * closed-form conditionals) started at the data batch (CD) or continued from the persistent chains of the previous
 * update (PCD). Autograd differentiates the loss mean log p̃(v⁻) − mean log p̃(v⁺), whose gradient with respect to
 * W is −(mean v⁺σ(a⁺)ᵀ − mean v⁻σ(a⁻)ᵀ): the hidden units are summed out, not sampled, on both sides.
 *
 * <p>Initialisation follows Hinton's practical guide (UTML TR 2010-003, §8): W ~ N(0, 0.01²), hidden biases 0,
 * visible biases log(p/(1 − p)) of the data mean p (clipped to [0.01, 0.99]). The persistent chains start from
 * Bernoulli(p). Every random source is reseeded at the start of each epoch from {@link Seeds#of} (the minibatch order,
 * the engine generator for the Gibbs draws and dynamic binarisation), so a run resumed from an epoch's checkpoint
 * makes exactly the updates the uninterrupted run makes.
 */
public final class RbmTrainer implements AutoCloseable {

    /** How the negative samples start. */
    public enum Method {
        /** Contrastive divergence: k Gibbs steps from the data batch. */
        CD,
        /** Persistent contrastive divergence: k Gibbs steps continuing the previous update's chains. */
        PCD;

        /** Parses "cd" or "pcd" (any case). */
        public static Method parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown training method '" + s + "' (cd or pcd)", e);
            }
        }
    }

    /**
     * @param hidden hidden units H
     * @param method CD or PCD
     * @param k Gibbs steps per update
     * @param batchSize images per update, and persistent chains for PCD
     * @param learningRate Adam's step size
     * @param weightStd standard deviation of the initial weights
     */
    public record Settings(int hidden, Method method, int k, int batchSize, double learningRate, double weightStd) {
        public Settings {
            if (hidden < 1 || k < 1 || batchSize < 1) {
                throw new IllegalArgumentException("hidden units, k and batch size must be >= 1, got " + hidden + ", "
                        + k + ", " + batchSize);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
            }
            if (!(weightStd >= 0) || Double.isInfinite(weightStd)) {
                throw new IllegalArgumentException("initial weight std must be finite and >= 0, got " + weightStd);
            }
            if (method == null) {
                throw new IllegalArgumentException("method must be cd or pcd");
            }
        }
    }

    /** What one epoch did: updates made and the mean reconstruction error of the training batches. */
    public record Epoch(int updates, double reconstructionError) {}

    /** Probabilities are clipped to [CLIP, 1 − CLIP] before they become logits. */
    public static final double CLIP = 0.01;

    private final NDManager manager;
    private final Settings settings;
    private final int visible;
    private final long seed;
    private final NDArray w; // V × H, so that a = vW + c for a batch of rows v
    private final NDArray b;
    private final NDArray c;
    private final NDArray chains; // batchSize × V persistent chains (PCD)
    private final Adam adam;

    /**
     * A new RBM for images of {@code dataMean.length} pixels whose training set has the given pixel means, with its
     * parameters and optimiser state in a sub-manager of {@code parent}.
     */
    public RbmTrainer(NDManager parent, Settings settings, double[] dataMean, long seed) {
        this.settings = settings;
        this.visible = dataMean.length;
        this.seed = seed;
        if (visible < 1) {
            throw new IllegalArgumentException("images need at least one pixel");
        }
        int h = settings.hidden();
        SplittableRandom rng = new SplittableRandom(Seeds.of(seed, 0x7262_6d69L)); // "rbmi": initial state
        float[] w0 = new float[visible * h];
        for (int n = 0; n < w0.length; n++) {
            w0[n] = (float) (settings.weightStd() * rng.nextGaussian());
        }
        float[] b0 = new float[visible];
        float[] x0 = new float[settings.batchSize() * visible];
        for (int i = 0; i < visible; i++) {
            double p = clip(dataMean[i]);
            b0[i] = (float) (Math.log(p) - Math.log1p(-p));
        }
        for (int r = 0; r < settings.batchSize(); r++) {
            for (int i = 0; i < visible; i++) {
                x0[r * visible + i] = rng.nextDouble() < clip(dataMean[i]) ? 1f : 0f;
            }
        }
        this.manager = parent.newSubManager();
        this.w = manager.create(w0, new Shape(visible, h));
        this.b = manager.create(b0, new Shape(visible));
        this.c = manager.zeros(new Shape(h));
        this.chains = manager.create(x0, new Shape(settings.batchSize(), visible));
        for (NDArray p : List.of(w, b, c)) {
            p.setRequiresGradient(true);
        }
        this.adam = new Adam(List.of(w, b, c), settings.learningRate());
    }

    /** p clipped to [{@value #CLIP}, 1 − {@value #CLIP}]. */
    public static double clip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a pixel mean must be in [0, 1], got " + p);
        }
        return Math.min(Math.max(p, CLIP), 1 - CLIP);
    }

    /** Sets Adam's step size for the following updates (a schedule over epochs is the caller's). */
    public void setLearningRate(double learningRate) {
        adam.setLearningRate(learningRate);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * One pass over {@code train} (a set prepared by {@code binarization}) in a random order of minibatches (a last
     * partial batch is dropped), reseeding every random source from the run's seed and {@code epoch}.
     */
    public Epoch epoch(ImageSet train, Binarization binarization, int epoch) {
        if (train.dim() != visible) {
            throw new IllegalArgumentException("images have " + train.dim() + " pixels, the RBM " + visible
                    + " visible units");
        }
        int n = settings.batchSize();
        if (train.count() < n) {
            throw new IllegalArgumentException("the training set has " + train.count() + " images, fewer than a batch ("
                    + n + ")");
        }
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(seed, epoch, 1));
        int[] order = Seeds.permutation(train.count(), new SplittableRandom(Seeds.of(seed, epoch, 2)));
        int updates = train.count() / n;
        double error = 0;
        int[] idx = new int[n];
        for (int u = 0; u < updates; u++) {
            System.arraycopy(order, u * n, idx, 0, n);
            try (NDManager step = manager.newSubManager()) {
                NDArray positive = binarization.batch(train.toFloat(step, idx));
                NDArray negative = negatives(step, positive);
                error += reconstructionError(positive);
                gradient(positive, negative);
                adam.step();
                if (settings.method() == Method.PCD) {
                    Parameters.copyInto(chains, negative);
                }
            }
        }
        return new Epoch(updates, error / updates);
    }

    /** k block-Gibbs steps from the data batch (CD) or the persistent chains (PCD), in {@code step}. */
    NDArray negatives(NDManager step, NDArray positive) {
        NDArray v = settings.method() == Method.CD ? positive : copy(step, chains);
        NDArray wt = transposed(step);
        try (GradMode off = GradMode.disabled()) {
            for (int s = 0; s < settings.k(); s++) {
                NDArray h = bernoulli(sigmoid(v.matMul(w).add(c)));
                v = bernoulli(sigmoid(h.matMul(wt).add(b)));
            }
        }
        return v;
    }

    /**
     * Sets the parameters' gradients to those of mean log p̃(negative) − mean log p̃(positive), the negated
     * stochastic log-likelihood gradient that Adam descends.
     */
    void gradient(NDArray positive, NDArray negative) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(logProb(negative).mean().sub(logProb(positive).mean()));
        }
    }

    /** The parameters' current gradients {W (V × H, row-major), b, c}, copied. */
    float[][] gradients() {
        float[][] g = new float[3][];
        NDArray[] p = {w, b, c};
        for (int i = 0; i < 3; i++) {
            try (NDArray grad = p[i].getGradient()) {
                g[i] = grad.toFloatArray();
            }
        }
        return g;
    }

    /** log p̃(v) = vb + Σ_j softplus(vW + c) for each row of a batch. */
    private NDArray logProb(NDArray v) {
        return v.matMul(b).add(LogSpace.softplus(v.matMul(w).add(c)).sum(new int[] {1}));
    }

    /** Mean over the batch of the squared error of the mean-field reconstruction σ(b + Wᵀσ(c + Wv)). */
    private double reconstructionError(NDArray v) {
        try (GradMode off = GradMode.disabled()) {
            NDArray hidden = sigmoid(v.matMul(w).add(c));
            NDArray r = sigmoid(hidden.matMul(transposed(v.getManager())).add(b));
            return r.sub(v).square().sum().getFloat() / v.getShape().get(0);
        }
    }

    /** The RBM as it stands, in double precision (model.Rbm). */
    public Rbm rbm() {
        int h = settings.hidden();
        float[] wv = w.toFloatArray();
        double[][] weights = new double[h][visible];
        for (int i = 0; i < visible; i++) {
            for (int j = 0; j < h; j++) {
                weights[j][i] = wv[i * h + j];
            }
        }
        return Rbm.of(weights, toDoubles(b.toFloatArray()), toDoubles(c.toFloatArray()));
    }

    /** The persistent chains' current states (batchSize × V values 0/1). */
    public int[] chains() {
        float[] x = chains.toFloatArray();
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] != 0 ? 1 : 0;
        }
        return out;
    }

    /** Everything a checkpoint needs to continue exactly: parameters, persistent chains, Adam's state. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        s.put("rbm.W", w);
        s.put("rbm.b", b);
        s.put("rbm.c", c);
        s.put("rbm.chains", chains);
        s.putAll(adam.state("adam"));
        return s;
    }

    /** Restores what {@link #state} saved. */
    public void load(Checkpoint checkpoint) {
        for (Map.Entry<String, NDArray> e : Map.of("rbm.W", w, "rbm.b", b, "rbm.c", c, "rbm.chains", chains)
                .entrySet()) {
            checkpoint.restore(e.getKey(), e.getValue());
        }
        adam.load(checkpoint, "adam");
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Wᵀ as a view owned by {@code step}: left on the parameters' manager, one handle per update would pile up. */
    private NDArray transposed(NDManager step) {
        NDArray t = w.transpose();
        t.attach(step);
        return t;
    }

    /** The number of arrays the trainer's manager holds (parameters, chains, optimiser state): constant. */
    int managedArrays() {
        return manager.getManagedArrays().size();
    }

    private static NDArray copy(NDManager step, NDArray x) {
        NDArray d = x.duplicate();
        d.attach(step);
        return d;
    }

    private static NDArray sigmoid(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }

    private static NDArray bernoulli(NDArray p) {
        return p.getManager().randomUniform(0f, 1f, p.getShape()).lt(p).toType(DataType.FLOAT32, false);
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
