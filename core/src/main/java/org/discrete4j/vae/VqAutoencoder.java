package org.discrete4j.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.data.ImageSet;
import org.discrete4j.quantize.VectorQuantizer;
import org.discrete4j.schedule.TemperatureSchedule;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Parameters;
import org.discrete4j.train.Seeds;

/**
 * An autoencoder with a discrete bottleneck on grey-level images, as in VQ-VAE (van den Oord, Vinyals and
 * Kavukcuoglu, "Neural Discrete Representation Learning", NeurIPS 2017): an MLP encoder maps an image to L vectors
 * of dimension D, each is replaced by one of K codes, and an MLP decoder maps the L code vectors back to the image.
 * The reconstruction cost is the mean squared error per pixel divided by the training set's pixel variance (the
 * normalisation of DeepMind's VQ-VAE example, so that predicting the mean image costs about 1 and β = 0.25 keeps
 * its meaning); the decoder's output is linear. With a uniform prior over codes the VQ-VAE's KL term is the
 * constant L·log K, so this autoencoder is the VQ-VAE objective without its (separately trained) prior.
 *
 * <p>Methods, by name:
 * <ul>
 *   <li>{@value #VQ_EMA}: nearest code, codebook by exponential moving averages (paper, App. A.1) and restart of
 *       codes left unused for a number of steps;
 *   <li>{@value #VQ_EMA_NO_RESTART}: the same without restarts;
 *   <li>{@value #VQ_CODEBOOK_LOSS}: the codebook trained by its loss ‖sg(z_e) − e‖² (paper, eq. 3);
 *   <li>the name of a pathwise gradient estimator for one-hot categoricals ({@link #SAMPLED_METHODS}, e.g.
 *       {@code gumbel-softmax}, {@code st-gumbel-softmax}): a categorical over the same K codes at each of the L
 *       positions ({@link SampledCode}), so the same L·log2 K bits, trained through that estimator.
 * </ul>
 *
 * <p>Architecture: encoder P → H → H → L·D with ReLU, decoder L·D → H → H → P with ReLU and a linear output. The
 * encoder and decoder are initialised from the same seed for every method, so methods differ only in the bottleneck.
 * Training: Adam on all trained arrays, one step per batch. Randomness: {@link #trainEpoch} reseeds the engine and
 * the shuffle from the run's seed and the epoch number, so every method sees the same batches and a run resumed
 * from a checkpoint at an epoch boundary repeats the uninterrupted run exactly.
 */
public final class VqAutoencoder {

    public static final String VQ_EMA = "vq-ema";
    public static final String VQ_EMA_NO_RESTART = "vq-ema-no-restart";
    public static final String VQ_CODEBOOK_LOSS = "vq-codebook-loss";

    /** The vector-quantisation methods. */
    public static final List<String> VQ_METHODS = List.of(VQ_EMA, VQ_CODEBOOK_LOSS, VQ_EMA_NO_RESTART);

    /**
     * The estimators a categorical bottleneck can train with: those that differentiate f at a relaxed or
     * straight-through stand-in for the draw (by {@code Estimators} name). Score-function estimators would apply
     * in principle, but one learning signal per image for L·K logits leaves their variance far too high here.
     */
    public static final List<String> SAMPLED_METHODS = List.of("gumbel-softmax", "st-gumbel-softmax", "gumbel-rao",
            "reinmax", "st");

    private static final long INIT_STREAM = -1;

    /**
     * Hyper-parameters.
     *
     * @param pixelMeans the training set's mean image (P values in [0, 1]): the decoder's initial output bias, so
     *     that training starts from the mean image instead of spending its first hundreds of Adam steps (each
     *     moving a weight by about the learning rate) getting there
     * @param hidden H, width of the two hidden layers on each side
     * @param positions L, latent positions
     * @param dimension D, dimension of each latent vector and code
     * @param codes K, the number of codes
     * @param learningRate Adam's step size
     * @param commitmentCost β of the commitment loss (VQ)
     * @param decay γ of the codebook's moving averages (VQ with EMA)
     * @param deadCodeLimit steps a code may go unused before it is restarted ({@value #VQ_EMA})
     * @param dataVariance the training pixels' variance, which divides the squared error
     * @param schedule temperature of relaxed estimators by step (sampled codes)
     * @param draws draws per estimate for multi-sample estimators (sampled codes)
     */
    public record Settings(double[] pixelMeans, int hidden, int positions, int dimension, int codes,
            double learningRate, double commitmentCost, double decay, int deadCodeLimit, double dataVariance,
            TemperatureSchedule schedule, int draws) {
        public Settings {
            if (pixelMeans == null || pixelMeans.length < 1 || hidden < 1 || positions < 1 || dimension < 1
                    || codes < 2) {
                throw new IllegalArgumentException("pixel means, hidden, positions and dimension must be >= 1 and codes"
                        + " >= 2");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
            }
            if (!(decay > 0 && decay < 1)) {
                throw new IllegalArgumentException("EMA decay must lie in (0, 1), got " + decay);
            }
            if (deadCodeLimit < 1) {
                throw new IllegalArgumentException("dead-code limit must be >= 1, got " + deadCodeLimit);
            }
            if (!(dataVariance > 0) || Double.isInfinite(dataVariance)) {
                throw new IllegalArgumentException("data variance must be finite and > 0, got " + dataVariance);
            }
            if (schedule == null || draws < 1) {
                throw new IllegalArgumentException("a temperature schedule and draws >= 1 are required");
            }
        }

        /** P, pixels per image. */
        public int pixels() {
            return pixelMeans.length;
        }

        /** L·log2 K, the information the bottleneck carries per image. */
        public double bits() {
            return positions * Math.log(codes) / Math.log(2);
        }
    }

    /** One epoch of training: means over its batches (per image), and the codes the training images chose. */
    public record EpochStats(double loss, double mse, CodeUsage usage, double temperature, double seconds) {}

    /** Reconstruction error per pixel over a set, and the codes its images chose. */
    public record Evaluation(double mse, CodeUsage usage) {}

    private final String method;
    private final Settings settings;
    private final NDManager manager;
    private final SequentialBlock encoder;
    private final SequentialBlock decoder;
    private final DiscreteBottleneck bottleneck;
    private final ParameterStore store;
    private final Adam adam;

    private VqAutoencoder(String method, Settings s, NDManager manager, long seed) {
        this.method = method;
        this.settings = s;
        this.manager = manager;
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(seed, INIT_STREAM));
        encoder = mlp(s.hidden, s.positions * s.dimension);
        decoder = mlp(s.hidden, s.pixels());
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, s.pixels()));
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, (long) s.positions * s.dimension));
        float[] mean = new float[s.pixels()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) s.pixelMeans[i];
        }
        Parameters.named(decoder, "").get(outputBias(decoder)).set(mean);
        bottleneck = bottleneck(method, s, manager);
        store = new ParameterStore(manager, false);
        List<NDArray> trained = new ArrayList<>(Parameters.of(encoder));
        trained.addAll(Parameters.of(decoder));
        trained.addAll(bottleneck.parameters());
        adam = new Adam(trained, s.learningRate);
    }

    /**
     * A new model whose arrays live in {@code manager}, initialised from {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown method
     */
    public static VqAutoencoder create(String method, Settings settings, NDManager manager, long seed) {
        checkMethod(method);
        return new VqAutoencoder(method.toLowerCase(Locale.ROOT), settings, manager, seed);
    }

    /** Rejects a name that is neither a VQ method nor one of {@link #SAMPLED_METHODS}. */
    public static void checkMethod(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        if (!VQ_METHODS.contains(m) && !SAMPLED_METHODS.contains(m)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; known: "
                    + String.join(", ", VQ_METHODS) + ", " + String.join(", ", SAMPLED_METHODS));
        }
    }

    /** The variance of all pixels of a set, as values in [0, 1]. */
    public static double pixelVariance(ImageSet set) {
        double sum = 0;
        double squares = 0;
        for (byte b : set.pixels()) {
            double v = (b & 0xff) / 255.0;
            sum += v;
            squares += v * v;
        }
        double n = set.pixels().length;
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    /** The name of the bias of the decoder's last layer. */
    private static String outputBias(SequentialBlock block) {
        String last = null;
        for (String name : Parameters.named(block, "").keySet()) {
            last = name;
        }
        if (last == null || !last.endsWith("bias")) {
            throw new IllegalStateException("the decoder's last parameter is not a bias: " + last);
        }
        return last;
    }

    private static SequentialBlock mlp(int hidden, int out) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(out).build());
    }

    private static DiscreteBottleneck bottleneck(String method, Settings s, NDManager manager) {
        switch (method) {
            case VQ_EMA:
            case VQ_EMA_NO_RESTART:
                return new NearestCode(VectorQuantizer.builder().setSize(s.codes).setDimension(s.dimension)
                        .optCommitmentCost(s.commitmentCost).optExponentialMovingAverage(s.decay)
                        .optDeadCodeLimit(VQ_EMA.equals(method) ? s.deadCodeLimit : 0).build(manager));
            case VQ_CODEBOOK_LOSS:
                return new NearestCode(VectorQuantizer.builder().setSize(s.codes).setDimension(s.dimension)
                        .optCommitmentCost(s.commitmentCost).build(manager));
            default:
                return new SampledCode(method, s.schedule, s.draws, s.codes, s.dimension, manager);
        }
    }

    public String method() {
        return method;
    }

    public Settings settings() {
        return settings;
    }

    /** Optimiser steps taken. */
    public long steps() {
        return adam.steps();
    }

    /**
     * One pass over {@code train} in batches of {@code batchSize} (the last may be smaller), in an order drawn from
     * {@code (seed, epoch)}; the engine's generator is reseeded from the same pair first.
     */
    public EpochStats trainEpoch(ImageSet train, int batchSize, long seed, int epoch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        long start = System.nanoTime();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(seed, epoch));
        int[] order = Seeds.permutation(train.count(), new SplittableRandom(Seeds.of(seed, epoch)));
        CodeUsage usage = new CodeUsage(settings.codes);
        double loss = 0;
        double cost = 0;
                for (int from = 0; from < order.length; from += batchSize) {
            int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
            try (NDManager step = manager.newSubManager()) {
                NDArray x = train.toFloat(step, rows);
                DiscreteBottleneck.Pass pass;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    pass = bottleneck.train(encode(x, true), z -> cost(z, x, true), adam.steps());
                    gc.backward(pass.loss());
                }
                adam.step();
                pass.afterStep().run();
                loss += pass.loss().getFloat() * rows.length;
                cost += pass.cost().sum().getFloat();
                usage.add(pass.indices());
            }
        }
        double n = order.length;
        return new EpochStats(loss / n, cost / n * settings.dataVariance, usage,
                bottleneck.temperature(Math.max(0, adam.steps() - 1)), (System.nanoTime() - start) / 1e9);
    }

    /** Mean squared error per pixel of the deterministic reconstructions, and the codes chosen, over a set. */
    public Evaluation evaluate(ImageSet set, int batchSize) {
        CodeUsage usage = new CodeUsage(settings.codes);
        double squares = 0;
                for (int from = 0; from < set.count(); from += batchSize) {
            int to = Math.min(set.count(), from + batchSize);
            try (NDManager step = manager.newSubManager(); GradMode off = GradMode.disabled()) {
                NDArray x = set.toFloat(step, from, to);
                DiscreteBottleneck.Codes codes = bottleneck.encode(encode(x, false));
                squares += decode(codes.decoderInput(), false).sub(x).square().sum().getFloat();
                usage.add(codes.indices());
            }
        }
        return new Evaluation(squares / ((double) set.count() * settings.pixels()), usage);
    }

    /** The deterministic reconstructions of images {@code from}..{@code to − 1} of a set, one float[] per image. */
    public float[][] reconstruct(ImageSet set, int from, int to) {
                try (NDManager step = manager.newSubManager(); GradMode off = GradMode.disabled()) {
            NDArray x = set.toFloat(step, from, to);
            float[] flat = decode(bottleneck.encode(encode(x, false)).decoderInput(), false).toFloatArray();
            float[][] out = new float[to - from][];
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * settings.pixels(), (i + 1) * settings.pixels());
            }
            return out;
        }
    }

    /**
     * Parameters, optimiser moments and the bottleneck's state, for a {@link Checkpoint}. A few small arrays (step and
     * dead-code counters) are created in the model's manager for it: save within an {@code NDScope} to free them.
     */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>(Parameters.named(encoder, "encoder."));
        out.putAll(Parameters.named(decoder, "decoder."));
        out.putAll(bottleneck.state("bottleneck"));
        out.putAll(adam.state("adam"));
        return out;
    }

    /** Restores what {@link #state} saved. */
    public void load(Checkpoint checkpoint) {
        Parameters.restore(encoder, "encoder.", checkpoint);
        Parameters.restore(decoder, "decoder.", checkpoint);
        bottleneck.load(checkpoint, "bottleneck");
        adam.load(checkpoint, "adam");
    }

    /** (B, P) images to (B, L, D) encoder vectors. */
    private NDArray encode(NDArray x, boolean training) {
        NDArray h = encoder.forward(store, new NDList(x), training).singletonOrThrow();
        return h.reshape(x.getShape().get(0), settings.positions, settings.dimension);
    }

    /** Decoder inputs (n…, L, D) to reconstructions (n…, P). */
    private NDArray decode(NDArray z, boolean training) {
        Shape s = z.getShape();
        Shape lead = s.slice(0, s.dimension() - 2);
        NDArray flat = z.reshape(-1, (long) settings.positions * settings.dimension);
        NDArray out = decoder.forward(store, new NDList(flat), training).singletonOrThrow();
        return out.reshape(lead.add(settings.pixels()));
    }

    /** Per-image cost (n…): mean squared error over pixels divided by the data variance; x broadcasts over n. */
    private NDArray cost(NDArray z, NDArray x, boolean training) {
        return Scalars.div(decode(z, training).sub(x).square().mean(new int[] {-1}), settings.dataVariance);
    }
}
