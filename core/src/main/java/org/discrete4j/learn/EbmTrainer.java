package org.discrete4j.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.diagnostic.Ais;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.NeuralEnergy;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.Kernel;
import org.discrete4j.sampler.Samplers;
import org.discrete4j.sampler.StepInfo;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Parameters;
import org.discrete4j.train.Seeds;

/**
 * Trains a deep energy-based model on binary images by persistent contrastive divergence, as Grathwohl et al.,
 * "Oops I Took A Gradient" (ICML 2021, §6 and appendix) train theirs. Each iteration:
 * <ol>
 *   <li>takes a batch of states from the {@link ReplayBuffer} (reinitialising each with a set probability; 0 in the
 *       paper's runs) and advances them by K steps of an MCMC kernel (Gibbs-with-Gradients by default) on the current
 *       energy, writing them back;
 *   <li>only then opens the training gradient collector (the kernel's gradient evaluations open their own, and DJL
 *       allows one at a time) and descends the contrastive-divergence loss mean log p̃(x_fake) − mean log p̃(x_data),
 *       whose gradient is the maximum-likelihood gradient when the buffer states are model samples;
 *   <li>takes an Adam step with the learning rate warmed up linearly over the first iterations, and updates an
 *       exponential moving average (EMA) of the weights.
 * </ol>
 *
 * <p>Work is done in chunks of iterations. Each chunk starts by reseeding every random source (engine generator,
 * batch and buffer choices, kernel chains) from {@link Seeds#of}(seed, chunk) and ends, on demand, with a
 * {@link Checkpoint} of everything that carries over (weights, EMA, Adam moments, replay buffer, counters, curves), so
 * a run resumed from a checkpoint continues bit for bit as if it had not stopped.
 *
 * <p>Model selection, cheaply: every {@code evalEvery} iterations the EMA model is scored on the held-out validation
 * images by a short annealed importance sampling run (few temperatures and chains, the same seed every time so that
 * successive scores share their noise), mean log p̃(x_val) − log Ẑ. A short AIS underestimates log Z, so the score
 * overestimates the log-likelihood; it ranks checkpoints, and the final figure needs a long AIS. The EMA weights with
 * the best score are saved to {@link EbmFiles#BEST} in the run folder.
 */
public final class EbmTrainer {

    /**
     * Everything that defines a run.
     *
     * @param energy network kind ({@link EnergyNetwork#KINDS})
     * @param width hidden units (mlp) or channels (resnet)
     * @param iterations training iterations in all
     * @param batch data and buffer states per iteration
     * @param steps MCMC steps per iteration (K)
     * @param sampler kernel name ({@link Samplers})
     * @param bufferSize replay buffer states
     * @param reinit probability that a state taken from the buffer is reinitialised
     * @param learningRate Adam's learning rate after warm-up
     * @param warmup iterations of linear warm-up (0 for none)
     * @param emaDecay the EMA's decay d
     * @param chunk iterations per chunk (checkpoint interval)
     * @param logEvery iterations per learning-curve row (divides chunk)
     * @param evalEvery iterations between validation scores (a multiple of chunk)
     * @param valTemperatures AIS temperatures of a validation score
     * @param valChains AIS runs of a validation score
     * @param evalSampler kernel name used by AIS
     * @param seed the run's seed
     */
    public record Settings(String energy, int width, int iterations, int batch, int steps, String sampler,
            int bufferSize, double reinit, double learningRate, int warmup, double emaDecay, int chunk, int logEvery,
            int evalEvery, int valTemperatures, int valChains, String evalSampler, long seed) {

        public Settings {
            if (!EnergyNetwork.KINDS.contains(energy)) {
                throw new IllegalArgumentException("unknown energy network '" + energy + "' ("
                        + String.join(", ", EnergyNetwork.KINDS) + ")");
            }
            positive(width, "width");
            positive(iterations, "iterations");
            positive(batch, "batch");
            positive(steps, "steps");
            positive(bufferSize, "buffer size");
            positive(chunk, "checkpoint interval");
            positive(logEvery, "log interval");
            positive(evalEvery, "evaluation interval");
            positive(valChains, "validation chains");
            if (valTemperatures < 2) {
                throw new IllegalArgumentException("validation AIS needs >= 2 temperatures, got " + valTemperatures);
            }
            if (batch > bufferSize) {
                throw new IllegalArgumentException("batch " + batch + " exceeds the buffer size " + bufferSize);
            }
            if (!(reinit >= 0 && reinit <= 1)) {
                throw new IllegalArgumentException("reinitialisation probability must be in [0, 1], got " + reinit);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("warm-up must be >= 0, got " + warmup);
            }
            if (!(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + emaDecay);
            }
            if (chunk % logEvery != 0) {
                throw new IllegalArgumentException("the log interval " + logEvery
                        + " must divide the checkpoint interval " + chunk);
            }
            if (evalEvery % chunk != 0) {
                throw new IllegalArgumentException("the evaluation interval " + evalEvery
                        + " must be a multiple of the checkpoint interval " + chunk);
            }
            Samplers.create(sampler);
            Samplers.create(evalSampler);
        }

        private static void positive(int v, String what) {
            if (v < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + v);
            }
        }

        /** Every setting by name, in declaration order (for summaries and for checking a resume). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("energy", energy);
            m.put("width", width);
            m.put("iterations", iterations);
            m.put("batch", batch);
            m.put("steps", steps);
            m.put("sampler", sampler);
            m.put("bufferSize", bufferSize);
            m.put("reinit", reinit);
            m.put("learningRate", learningRate);
            m.put("warmup", warmup);
            m.put("emaDecay", emaDecay);
            m.put("chunk", chunk);
            m.put("logEvery", logEvery);
            m.put("evalEvery", evalEvery);
            m.put("valTemperatures", valTemperatures);
            m.put("valChains", valChains);
            m.put("evalSampler", evalSampler);
            m.put("seed", seed);
            return m;
        }
    }

    /** The learning-curve columns: means over the iterations of a row. */
    public static final List<String> CURVE = List.of("iteration", "learning_rate", "logp_data", "logp_buffer", "gap",
            "acceptance", "flips_per_step", "reinitialised", "seconds");

    /**
     * One validation score.
     *
     * @param iteration iterations done
     * @param logLikelihood mean log p̃(x_val) − log Ẑ of the EMA model
     * @param meanLogProb mean log p̃(x_val)
     * @param logZ log Ẑ from the short AIS
     * @param logZStderr its delta-method standard error
     * @param weightEss effective number of AIS runs
     * @param seconds training wall time so far
     */
    public record Validation(long iteration, double logLikelihood, double meanLogProb, double logZ, double logZStderr,
            double weightEss, double seconds) {}

    /** A log-likelihood estimate: mean log p̃(x) − log Ẑ over a set, with the AIS run behind it. */
    public record LogLikelihood(double value, double meanLogProb, Ais.Result ais) {}

    /** The checkpoint file in the run folder. */
    public static final String CHECKPOINT = "checkpoint.ckpt";

    private static final int VALIDATION_COLUMNS = 7;

    /** Seed streams under the run's seed besides the chunks (0, 1, ...): initialisation and validation AIS. */
    private static final long INIT_STREAM = -1;

    private static final long VALIDATION_STREAM = -2;

    private final Settings settings;
    private final EbmData data;
    private final Path dir;
    private final NDManager manager;
    private final EnergyNetwork network;
    private final EnergyNetwork ema;
    private final NeuralEnergy energy;
    private final ParameterStore store;
    private final Adam adam;
    private final Ema average;
    private final ReplayBuffer buffer;
    private final List<double[]> curve = new ArrayList<>();
    private final List<Validation> validations = new ArrayList<>();
    private long iteration;
    private double seconds;
    private double bestValue = Double.NEGATIVE_INFINITY;
    private long bestIteration = -1;

    private EbmTrainer(Settings settings, EbmData data, Path dir, NDManager manager) {
        this.settings = settings;
        this.data = data;
        this.dir = dir;
        this.manager = manager;
        int rows = data.train().rows();
        int cols = data.train().cols();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), INIT_STREAM));
        this.network = new EnergyNetwork(settings.energy(), rows, cols, settings.width(), data.baseMean(), manager);
        this.ema = network.sameShape(manager);
        ema.copyFrom(network);
        ema.block().freezeParameters(true); // only ever averaged, never differentiated
        this.energy = network.model(manager);
        Kernel probe = Samplers.create(settings.sampler());
        if (!probe.appliesTo(energy)) {
            throw new IllegalArgumentException("sampler " + settings.sampler() + " does not apply to a neural energy");
        }
        this.store = new ParameterStore(manager, false);
        this.adam = new Adam(network.trainable(), settings.learningRate());
        this.average = new Ema(ema.trainable(), network.trainable(), settings.emaDecay());
        this.buffer = new ReplayBuffer(settings.bufferSize(), data.baseMean(), settings.reinit(),
                new SplittableRandom(Seeds.of(settings.seed(), INIT_STREAM)));
        if (settings.batch() > data.train().count()) {
            throw new IllegalArgumentException("batch " + settings.batch() + " exceeds the " + data.train().count()
                    + " training images");
        }
    }

    /** A new run writing its checkpoints and models into {@code dir}; parameters live in {@code manager}. */
    public static EbmTrainer start(Settings settings, EbmData data, Path dir, NDManager manager) {
        return new EbmTrainer(settings, data, dir, manager);
    }

    /**
     * Continues the run whose checkpoint is in {@code dir}. The settings must be those it was started with, except
     * that the number of iterations may change (to extend a finished run).
     */
    public static EbmTrainer resume(Settings settings, EbmData data, Path dir, NDManager manager) {
        EbmTrainer t = new EbmTrainer(settings, data, dir, manager);
        t.load(dir.resolve(CHECKPOINT));
        return t;
    }

    /** Whether {@code dir} holds a checkpoint to resume from. */
    public static boolean hasCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(CHECKPOINT));
    }

    /** Linear warm-up: iteration t (from 0) uses lr·min(1, (t + 1)/W), so no step has a zero rate. */
    public static double learningRate(double base, int warmup, long iteration) {
        if (warmup <= 0 || iteration + 1 >= warmup) {
            return base;
        }
        return base * (iteration + 1) / warmup;
    }

    public Settings settings() {
        return settings;
    }

    public long iteration() {
        return iteration;
    }

    public boolean done() {
        return iteration >= settings.iterations();
    }

    public EnergyNetwork network() {
        return network;
    }

    /** The EMA copy, used for evaluation. */
    public EnergyNetwork ema() {
        return ema;
    }

    public ReplayBuffer buffer() {
        return buffer;
    }

    /** Learning-curve rows, columns {@link #CURVE}. */
    public List<double[]> curve() {
        return Collections.unmodifiableList(curve);
    }

    public List<Validation> validations() {
        return Collections.unmodifiableList(validations);
    }

    public double bestValidation() {
        return bestValue;
    }

    public long bestIteration() {
        return bestIteration;
    }

    /** Training wall time so far (seconds, across resumes). */
    public double seconds() {
        return seconds;
    }

    /**
     * Runs the next chunk of iterations; scores the EMA model on the validation set if the chunk ends on an
     * evaluation boundary or at the end, saving it as the best model if it improved, and saves the final model at the
     * end.
     */
    public void runChunk() {
        if (done()) {
            return;
        }
        long chunkIndex = iteration / settings.chunk();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), chunkIndex));
        SplittableRandom rng = new SplittableRandom(Seeds.of(settings.seed(), chunkIndex));
        Kernel kernel = Samplers.create(settings.sampler());
        long end = Math.min((chunkIndex + 1) * settings.chunk(), settings.iterations());
        double[] row = new double[CURVE.size()];
        int inRow = 0;
        long start = System.nanoTime();
        while (iteration < end) {
            step(kernel, rng, row);
            iteration++;
            inRow++;
            if (iteration % settings.logEvery() == 0 || iteration == end) {
                seconds += (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                curve.add(finishRow(row, inRow));
                row = new double[CURVE.size()];
                inRow = 0;
            }
        }
        if (iteration % settings.evalEvery() == 0 || done()) {
            validate();
        }
        if (done()) {
            EbmFiles.save(dir.resolve(EbmFiles.FINAL), ema, about());
        }
    }

    private double[] finishRow(double[] sums, int n) {
        double[] r = new double[CURVE.size()];
        r[0] = iteration;
        for (int j = 1; j < 7; j++) {
            r[j] = sums[j] / n;
        }
        r[7] = sums[7]; // reinitialised states: a count over the row
        r[8] = seconds;
        return r;
    }

    /** One iteration; adds its figures to the row sums. */
    private void step(Kernel kernel, SplittableRandom rng, double[] row) {
        int b = settings.batch();
        int d = data.dim();
        double lr = learningRate(settings.learningRate(), settings.warmup(), iteration);
        ReplayBuffer.Draw draw = buffer.draw(b, rng);
        int[] dataRows = ReplayBuffer.distinct(b, data.train().count(), rng);
        ChainState chains;
        double acceptance = 0;
        double flips = 0;
        try (GradMode off = GradMode.disabled()) {
            chains = new ChainState(energy, draw.states(), b, rng.nextLong());
            kernel.init(chains);
            for (int k = 0; k < settings.steps(); k++) {
                StepInfo info = kernel.step(chains);
                acceptance += info.acceptance();
                flips += info.flips();
            }
        }
        int[] x = chains.x();
        buffer.write(draw.slots(), x);

        float[] fake = new float[b * d];
        for (int i = 0; i < fake.length; i++) {
            fake[i] = x[i];
        }
        double real;
        double model;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray batch = data.binarization().batch(data.train().toFloat(scratch, dataRows));
            NDArray both = NDArrays.concat(new NDList(batch, scratch.create(fake, new Shape(b, d))));
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray logp = network.block().forward(store, new NDList(both), true).singletonOrThrow().reshape(-1);
                NDArray meanReal = logp.get("0:" + b).mean();
                NDArray meanFake = logp.get(b + ":").mean();
                gc.backward(meanFake.sub(meanReal));
                real = meanReal.getFloat();
                model = meanFake.getFloat();
            }
            adam.setLearningRate(lr);
            adam.step();
            average.update();
        }
        row[1] += lr;
        row[2] += real;
        row[3] += model;
        row[4] += real - model;
        row[5] += acceptance / settings.steps();
        row[6] += flips / settings.steps();
        row[7] += draw.reinitialised();
    }

    /** Scores the EMA model on the validation set (see the class comment) and keeps it if it is the best so far. */
    public Validation validate() {
        long t0 = System.nanoTime();
        LogLikelihood ll = logLikelihood(ema.model(manager), data.baseMean(), data.validation(),
                settings.evalSampler(), settings.valChains(), settings.valTemperatures(),
                Seeds.of(settings.seed(), VALIDATION_STREAM));
        Validation v = new Validation(iteration, ll.value(), ll.meanLogProb(), ll.ais().logZ(), ll.ais().stderr(),
                ll.ais().weightEss(), seconds);
        validations.add(v);
        if (ll.value() > bestValue) {
            bestValue = ll.value();
            bestIteration = iteration;
            EbmFiles.save(dir.resolve(EbmFiles.BEST), ema, about());
        }
        seconds += (System.nanoTime() - t0) / 1e9;
        return v;
    }

    /**
     * The log-likelihood of binary images ({@code count × D} values) under an energy model: mean log p̃(x) − log Ẑ,
     * with log Ẑ by {@link AisLikelihood#logZ} from the Bernoulli({@code baseMean}) base on a linear grid of
     * {@code temperatures}, one step of the kernel {@code sampler} per temperature, {@code chains} runs.
     */
    public static LogLikelihood logLikelihood(EnergyModel model, double[] baseMean, int[] images, String sampler,
            int chains, int temperatures, long seed) {
        try (GradMode off = GradMode.disabled()) {
            Ais.Result ais = AisLikelihood.logZ(model, sampler, baseMean, chains, temperatures, seed, null);
            double mean = meanLogProb(model, images);
            return new LogLikelihood(mean - ais.logZ(), mean, ais);
        }
    }

    /** Mean log p̃ of binary images ({@code count × D} values). */
    public static double meanLogProb(EnergyModel model, int[] images) {
        return AisLikelihood.meanLogProb(model, images, images.length / model.dim())[0];
    }

    /** Writes everything that carries over to the next chunk into the run folder's checkpoint, atomically. */
    public void checkpoint() {
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.putAll(Parameters.named(network.block(), "model."));
            arrays.putAll(Parameters.named(ema.block(), "ema."));
            arrays.putAll(adam.state("adam"));
            arrays.put("buffer", scratch.create(buffer.bytes()));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("settings", resumeKey());
            values.put("iteration", iteration);
            values.put("seconds", seconds);
            values.put("bestValue", bestValue);
            values.put("bestIteration", bestIteration);
            values.put("curve", flatten(curve, CURVE.size()));
            List<double[]> v = new ArrayList<>();
            for (Validation x : validations) {
                v.add(new double[] {x.iteration(), x.logLikelihood(), x.meanLogProb(), x.logZ(), x.logZStderr(),
                    x.weightEss(), x.seconds()});
            }
            values.put("validations", flatten(v, VALIDATION_COLUMNS));
            Checkpoint.save(dir.resolve(CHECKPOINT), arrays, values);
            arrays.get("adam.steps").close();
        }
    }

    private void load(Path file) {
        try (NDManager scratch = manager.newSubManager()) {
            Checkpoint c = Checkpoint.load(file, scratch);
            String saved = c.getString("settings");
            String now = resumeKey();
            if (!saved.equals(now)) {
                throw new IllegalArgumentException("cannot resume " + file + ": it was made with other settings ("
                        + saved + "), not " + now);
            }
            Parameters.restore(network.block(), "model.", c);
            Parameters.restore(ema.block(), "ema.", c);
            adam.load(c, "adam");
            buffer.restore(c.array("buffer").toByteArray());
            iteration = c.getLong("iteration");
            seconds = c.getDouble("seconds");
            bestValue = c.getDouble("bestValue");
            bestIteration = c.getLong("bestIteration");
            curve.addAll(unflatten(c.getDoubles("curve"), CURVE.size()));
            for (double[] r : unflatten(c.getDoubles("validations"), VALIDATION_COLUMNS)) {
                validations.add(new Validation((long) r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
            }
        }
    }

    /** The data and settings, for saved models. */
    private Map<String, Object> about() {
        Map<String, Object> m = new LinkedHashMap<>(data.describe());
        m.putAll(settings.toMap());
        return m;
    }

    /** The data and settings that must agree for a resume: all but the number of iterations. */
    private String resumeKey() {
        Map<String, Object> m = new LinkedHashMap<>(data.describe());
        m.putAll(settings.toMap());
        m.remove("iterations");
        return m.toString();
    }

    private static double[] flatten(List<double[]> rows, int columns) {
        double[] out = new double[rows.size() * columns];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * columns, columns);
        }
        return out;
    }

    private static List<double[]> unflatten(double[] flat, int columns) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < flat.length; i += columns) {
            double[] r = new double[columns];
            System.arraycopy(flat, i, r, 0, columns);
            out.add(r);
        }
        return out;
    }
}
