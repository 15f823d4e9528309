package org.discrete4j.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.estimator.Stateful;
import org.discrete4j.schedule.Exponential;
import org.discrete4j.schedule.TemperatureSchedule;
import org.discrete4j.autograd.FusedAdam;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Seeds;

/**
 * Minibatch training of a {@link Trainable} by epochs with Adam, one gradient estimator per stochastic layer, a
 * temperature schedule and a checkpoint after every epoch.
 *
 * <p>Every random source is reseeded at the start of each epoch from {@code Seeds.of(seed, epoch)} (the engine's
 * generator for draws and dynamic binarisation, a {@link SplittableRandom} for the shuffle), and the checkpoint holds
 * the parameters, Adam's moments, the estimators' state ({@link Stateful}) and the learning curve; so a run resumed
 * from the checkpoint of epoch e computes exactly what the uninterrupted run computes.
 *
 * <p>The optimiser is {@link FusedAdam} (one pass over each parameter per step). Estimators are created from the {@link Estimators} registry with the temperature of the schedule at the current
 * step, and created anew (carrying any state over) whenever the temperature changes.
 */
public final class Trainer {

    /** The columns of {@link #curve} that the trainer fills; evaluator columns follow. */
    public static final List<String> COLUMNS = List.of("epoch", "step", "tau", "train_loss", "train_seconds");

    /**
     * How to train.
     *
     * @param estimator a name from the {@link Estimators} registry
     * @param k draws per estimate of multi-draw estimators
     * @param tau τ0, the initial temperature of tempered estimators
     * @param tauMin the floor of the temperature
     * @param tauRate r, per step: τ = max(τmin, τ0·exp(−r·t)) (Jang, Gu and Poole's schedule); 0 keeps τ0
     * @param tauEvery N, steps between temperature updates
     * @param epochs passes over the training set
     * @param batch rows per step (the last, smaller batch of an epoch is dropped)
     * @param learningRate Adam's step size
     * @param seed the run's seed
     * @param binarization how grey images become binary
     */
    public record Settings(String estimator, int k, double tau, double tauMin, double tauRate, long tauEvery,
            int epochs, int batch, double learningRate, long seed, Binarization binarization) {
        public Settings {
            if (epochs < 0 || batch < 1 || !(learningRate > 0) || k < 1) {
                throw new IllegalArgumentException("training needs epochs >= 0, batch >= 1, k >= 1 and a learning"
                        + " rate > 0");
            }
            schedule(tau, tauMin, tauRate, tauEvery);
        }

        /** The temperature at each step. */
        public TemperatureSchedule schedule() {
            return schedule(tau, tauMin, tauRate, tauEvery);
        }

        private static TemperatureSchedule schedule(double tau, double tauMin, double rate, long every) {
            return new Exponential(tau, rate, Math.min(tauMin, tau), every);
        }
    }

    /** Figures computed after each epoch (e.g. on test data) for the learning curve. */
    public interface Evaluator {
        /** The names of the figures. */
        List<String> columns();

        /** The figures after {@code epoch} (1-based) epochs. */
        double[] evaluate(int epoch);
    }

    /** Called after each epoch with the curve so far. */
    public interface Listener {
        void epochDone(int epoch, List<double[]> curve);
    }

    private final Trainable model;
    private final Settings settings;
    private final ImageSet train;
    private final NDManager manager;
    private final FusedAdam adam;
    private final Map<String, NDArray> parameters;
    private final List<double[]> curve = new ArrayList<>();
    private List<GradientEstimator> estimators;
    private double estimatorTau = Double.NaN;
    private long step;
    private int epochsDone;
    private double seconds;

    /**
     * @param manager the manager of the model's parameters; each step works in a sub-manager of it
     * @param train the training images (binarised here by {@code settings.binarization()} with the run's seed)
     */
    public Trainer(NDManager manager, Trainable model, Settings settings, ImageSet train) {
        this.manager = manager;
        this.model = model;
        this.settings = settings;
        if (train.count() < settings.batch()) {
            throw new IllegalArgumentException("the training set has " + train.count() + " images, fewer than one"
                    + " batch of " + settings.batch());
        }
        this.train = settings.binarization().prepare(train, Seeds.of(settings.seed(), -1));
        this.parameters = model.parameters();
        this.adam = new FusedAdam(new ArrayList<>(parameters.values()), settings.learningRate());
        this.estimators = createEstimators(settings.schedule().temperature(0));
    }

    /** The figures of every finished epoch, columns {@link #COLUMNS} then the evaluator's. */
    public List<double[]> curve() {
        return List.copyOf(curve);
    }

    public int epochsDone() {
        return epochsDone;
    }

    public long steps() {
        return step;
    }

    /** Seconds spent in training steps (evaluation excluded), over all epochs including resumed ones. */
    public double trainSeconds() {
        return seconds;
    }

    /**
     * Trains until {@code settings.epochs()} epochs are done, evaluating and writing {@code checkpoint} after each.
     *
     * @param resume continue from {@code checkpoint} (which must exist and match these settings)
     */
    public void run(Path checkpoint, boolean resume, Evaluator evaluator, Listener listener) {
        if (resume) {
            restore(checkpoint);
        }
        for (int epoch = epochsDone; epoch < settings.epochs(); epoch++) {
            double loss = epoch(epoch);
            double[] extra = evaluator == null ? new double[0] : evaluator.evaluate(epoch + 1);
            double[] row = new double[COLUMNS.size() + extra.length];
            row[0] = epoch + 1;
            row[1] = step;
            row[2] = estimatorTau;
            row[3] = loss;
            row[4] = seconds;
            System.arraycopy(extra, 0, row, COLUMNS.size(), extra.length);
            curve.add(row);
            epochsDone = epoch + 1;
            if (checkpoint != null) {
                save(checkpoint);
            }
            if (listener != null) {
                listener.epochDone(epochsDone, curve());
            }
        }
    }

    /** One pass over the training set in a random order; returns the mean loss of its batches. */
    double epoch(int epoch) {
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), epoch));
        int[] order = Seeds.permutation(train.count(), new SplittableRandom(Seeds.of(settings.seed(), epoch, 1)));
        int batch = settings.batch();
        int[] rows = new int[batch];
        double sum = 0;
        int count = 0;
        long start = System.nanoTime();
        for (int from = 0; from + batch <= order.length; from += batch) {
            System.arraycopy(order, from, rows, 0, batch);
            sum += step(rows);
            count++;
        }
        seconds += (System.nanoTime() - start) * 1e-9;
        return sum / count;
    }

    /** One optimiser step on the images at {@code rows}; returns the batch loss. */
    double step(int[] rows) {
        try (NDManager scope = manager.newSubManager()) {
            return step(settings.binarization().batch(train.toFloat(scope, rows)));
        }
    }

    /**
     * One optimiser step on a batch of binary images {@code (B, pixels)}; returns the batch loss. Every array the
     * step creates is closed before it returns (an {@link NDScope}), so memory stays flat over any number of steps.
     */
    public double step(NDArray batch) {
        double tau = settings.schedule().temperature(step);
        if (tau != estimatorTau) {
            estimators = createEstimators(tau);
        }
        double loss;
        try (NDScope scope = new NDScope()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = model.loss(batch, estimators);
                collector.backward(l);
                loss = l.getFloat();
            }
            adam.step();
        }
        step++;
        return loss;
    }

    /** Estimators for temperature τ, one per layer, taking over the state of the current ones. */
    private List<GradientEstimator> createEstimators(double tau) {
        List<GradientEstimator> out = new ArrayList<>();
        for (int i = 0; i < model.stochasticLayers(); i++) {
            GradientEstimator e = Estimators.create(settings.estimator(), new Estimators.Options(tau, settings.k()));
            if (estimators != null && e instanceof Stateful) {
                ((Stateful) e).restore(((Stateful) estimators.get(i)).state());
            }
            out.add(e);
        }
        estimatorTau = tau;
        return out;
    }

    /** What must match between a checkpoint and the run that resumes from it. */
    private String fingerprint() {
        Map<String, Object> f = new LinkedHashMap<>(model.describe());
        f.put("estimator", settings.estimator());
        f.put("k", settings.k());
        f.put("tau", settings.tau());
        f.put("tauMin", settings.tauMin());
        f.put("tauRate", settings.tauRate());
        f.put("tauEvery", settings.tauEvery());
        f.put("batch", settings.batch());
        f.put("learningRate", settings.learningRate());
        f.put("seed", settings.seed());
        f.put("binarization", settings.binarization().toString());
        f.put("trainImages", train.count());
        return f.toString();
    }

    /** Writes the state after {@link #epochsDone} epochs to {@code file}, atomically. */
    public void save(Path file) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        parameters.forEach((name, a) -> arrays.put("param." + name, a));
        arrays.putAll(adam.state("adam"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("fingerprint", fingerprint());
        values.put("epochsDone", (long) epochsDone);
        values.put("step", step);
        values.put("trainSeconds", seconds);
        int width = curve.isEmpty() ? 0 : curve.get(0).length;
        double[] flat = new double[curve.size() * width];
        for (int i = 0; i < curve.size(); i++) {
            System.arraycopy(curve.get(i), 0, flat, i * width, width);
        }
        values.put("curveWidth", (long) width);
        values.put("curve", flat);
        for (int i = 0; i < estimators.size(); i++) {
            if (estimators.get(i) instanceof Stateful) {
                String prefix = "estimator." + i + ".";
                ((Stateful) estimators.get(i)).state().forEach((k, v) -> values.put(prefix + k, v));
            }
        }
        Checkpoint.save(file, arrays, values);
    }

    private void restore(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cannot resume: no checkpoint at " + file);
        }
        try (NDManager scope = manager.newSubManager()) {
            Checkpoint c = Checkpoint.load(file, scope);
            String expected = fingerprint();
            if (!expected.equals(c.getString("fingerprint"))) {
                throw new IllegalArgumentException("cannot resume from " + file + ": it was written by a run with"
                        + " other settings (" + c.getString("fingerprint") + "; this run: " + expected + ")");
            }
            parameters.forEach((name, a) -> c.restore("param." + name, a));
            adam.load(c, "adam");
            epochsDone = Math.toIntExact(c.getLong("epochsDone"));
            step = c.getLong("step");
            seconds = c.getDouble("trainSeconds");
            int width = Math.toIntExact(c.getLong("curveWidth"));
            double[] flat = c.getDoubles("curve");
            curve.clear();
            for (int i = 0; width > 0 && i < flat.length / width; i++) {
                curve.add(java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width));
            }
            estimators = createEstimators(settings.schedule().temperature(step));
            for (int i = 0; i < estimators.size(); i++) {
                if (estimators.get(i) instanceof Stateful) {
                    String prefix = "estimator." + i + ".";
                    Map<String, Object> state = new LinkedHashMap<>();
                    c.values().forEach((k, v) -> {
                        if (k.startsWith(prefix)) {
                            state.put(k.substring(prefix.length()), v);
                        }
                    });
                    ((Stateful) estimators.get(i)).restore(state);
                }
            }
        }
    }
}
