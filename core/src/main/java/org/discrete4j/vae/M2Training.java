package org.discrete4j.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.schedule.Exponential;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Seeds;
import org.discrete4j.vae.M2.Method;

/**
 * Semi-supervised training of {@link M2} as in Jang, Gu and Poole (ICLR 2017, §4.3): a few labelled images balanced
 * over the classes, the rest of the training set unlabelled; each step takes a batch of unlabelled images and a
 * batch of labelled ones and follows Kingma et al.'s J^α ({@link M2#objective}) with Adam. The temperature follows
 * {@code τ = max(τmin, τ0·exp(−r·t))}, updated every N steps (the paper: τ0 = 1, τmin = 0.5, r = 3e-5, N = 2000).
 *
 * <p>A run is a sequence of epochs (passes over the unlabelled images). Every random source is reseeded at the
 * start of each epoch from the run's seed and the epoch, and the model, Adam's state and the learning curve are
 * checkpointed after each, so a run resumed from its checkpoint ends bit-identical to an uninterrupted one.
 */
public final class M2Training {

    private static final long INIT = 1;
    private static final long EPOCH = 2;
    private static final long EVAL = 3;
    private static final long LABELS = 4;
    private static final long BINARISE = 5;

    /**
     * Everything that defines a run.
     *
     * @param labels labelled training images, balanced over the classes
     * @param epochs passes over the unlabelled images
     * @param batch unlabelled images per step
     * @param labelledBatch labelled images per step (at most {@code labels})
     * @param learningRate Adam's step size
     * @param alphaPerN the weight of the classification loss, Kingma et al.'s α divided by the number of images N
     * @param labelledWeight the weight of the labelled bound per unlabelled image's; NaN for Kingma et al.'s N_l/N_u
     *     (each image of the training set counted once)
     * @param tau0 initial temperature
     * @param annealRate r of the schedule
     * @param tauMin floor of the schedule
     * @param annealEvery N, steps between temperature updates
     */
    public record Settings(Method method, int labels, int epochs, int batch, int labelledBatch, double learningRate,
            double alphaPerN, double labelledWeight, int latent, int hidden, Binarization binarization, double tau0, double annealRate,
            double tauMin, long annealEvery, long seed) {
        public Settings {
            if (labels < 1 || epochs < 0 || batch < 1 || labelledBatch < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("M2 training needs labels >= 1, epochs >= 0, batch sizes >= 1 and "
                        + "a positive learning rate");
            }
        }

        /** The settings a checkpoint must match to be resumed (everything but the number of epochs). */
        String fingerprint(int classes) {
            return String.join(" ", method.label(), "classes=" + classes, "labels=" + labels, "batch=" + batch,
                    "labelledBatch=" + labelledBatch, "lr=" + learningRate, "alphaPerN=" + alphaPerN, "labelledWeight=" + labelledWeight,
                    "latent=" + latent, "hidden=" + hidden, "binarization=" + binarization, "tau0=" + tau0,
                    "annealRate=" + annealRate, "tauMin=" + tauMin, "annealEvery=" + annealEvery, "seed=" + seed);
        }
    }

    /** The state after one epoch: the temperature at its end, the mean training objective, test figures. */
    public record EpochResult(int epoch, long step, double tau, double trainLoss, double testElbo,
            double testAccuracy, double seconds) {}

    /**
     * A finished (or resumed and finished) run.
     *
     * @param samples class-conditional decoder means: for each class, {@code columns} images that share their z
     *     across the classes
     */
    public record Result(Method method, List<EpochResult> curve, double trainSeconds, float[][] samples) {
        public EpochResult last() {
            return curve.get(curve.size() - 1);
        }
    }

    private final ImageSet train;
    private final ImageSet test;
    private final Settings settings;
    private final int classes;

    /**
     * @param train training images; {@code settings.labels()} of them keep their labels
     * @param test images for the test accuracy and bound
     * @param classes K, which may exceed the classes of the data (labels of the labelled images are then drawn at
     *     random from 0..K−1: meaningless, for timing the cost of K classes)
     */
    public M2Training(ImageSet train, ImageSet test, Settings settings, int classes) {
        if (train.dim() != test.dim()) {
            throw new IllegalArgumentException("training and test images differ in size: " + train.dim() + " and "
                    + test.dim() + " pixels");
        }
        if (classes < train.numClasses()) {
            throw new IllegalArgumentException("the data have " + train.numClasses() + " classes, more than K = "
                    + classes);
        }
        if (settings.labels() >= train.count()) {
            throw new IllegalArgumentException("--labels " + settings.labels() + " leaves no unlabelled image among "
                    + train.count());
        }
        this.train = train;
        this.test = test;
        this.settings = settings;
        this.classes = classes;
    }

    /**
     * Indices of {@code count} images balanced over the classes (count / K of each, the remainder to the first
     * classes), each class's chosen at random with {@code seed}; in increasing order.
     */
    public static int[] balancedLabels(int[] labels, int classes, int count, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] out = new int[count];
        int filled = 0;
        for (int c = 0; c < classes; c++) {
            int want = count / classes + (c < count % classes ? 1 : 0);
            List<Integer> members = byClass.get(c);
            if (members.size() < want) {
                throw new IllegalArgumentException("class " + c + " has " + members.size() + " images, fewer than the "
                        + want + " labelled ones it needs");
            }
            int[] order = Seeds.permutation(members.size(), rng);
            for (int j = 0; j < want; j++) {
                out[filled++] = members.get(order[j]);
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** The model, its optimiser and the data split of one run. */
    private final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final M2 model;
        final Adam adam;
        final ImageSet prepared;
        final int[] labelled;
        final int[] labelledClasses;
        final int[] unlabelled;
        final M2.Weights weights;
        final Exponential schedule;

        Run() {
            prepared = settings.binarization().prepare(train, Seeds.of(settings.seed(), BINARISE));
            labelled = balancedLabels(train.labels(), train.numClasses(), settings.labels(),
                    Seeds.of(settings.seed(), LABELS));
            labelledClasses = train.labels(labelled);
            if (classes != train.numClasses()) {
                SplittableRandom rng = new SplittableRandom(Seeds.of(settings.seed(), LABELS, classes));
                for (int i = 0; i < labelledClasses.length; i++) {
                    labelledClasses[i] = rng.nextInt(classes);
                }
            }
            boolean[] isLabelled = new boolean[train.count()];
            for (int i : labelled) {
                isLabelled[i] = true;
            }
            unlabelled = new int[train.count() - labelled.length];
            for (int i = 0, j = 0; i < train.count(); i++) {
                if (!isLabelled[i]) {
                    unlabelled[j++] = i;
                }
            }
            M2.Weights kingma = M2.Weights.of(labelled.length, unlabelled.length, settings.alphaPerN());
            weights = Double.isNaN(settings.labelledWeight()) ? kingma
                    : new M2.Weights(settings.labelledWeight(), kingma.classification());
            schedule = new Exponential(settings.tau0(), settings.annealRate(), settings.tauMin(),
                    settings.annealEvery());
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), INIT));
            model = new M2(manager, new M2.Architecture(train.dim(), classes, settings.latent(), settings.hidden()));
            adam = new Adam(model.parameters(), settings.learningRate());
        }

        /** One optimisation step; returns the objective before the step. */
        double step(int[] batch, int[] labelledBatch) {
            double tau = schedule.temperature(adam.steps());
            double value;
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray xu = settings.binarization().batch(prepared.toFloat(step, batch));
                NDArray xl = settings.binarization().batch(prepared.toFloat(step, labelledBatch));
                int[] y = new int[labelledBatch.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = labelledClasses[Arrays.binarySearch(labelled, labelledBatch[i])];
                }
                NDArray labels = step.create(y).oneHot(classes).toType(DataType.FLOAT32, false);
                NDArray loss = model.objective(xu, xl, labels, settings.method(), tau, weights);
                collector.backward(loss);
                value = loss.getFloat();
            }
            adam.step();
            return value;
        }

        /** One pass over the unlabelled images in an order drawn with {@code rng}; the mean objective. */
        double epoch(SplittableRandom rng) {
            int[] order = Seeds.permutation(unlabelled.length, rng);
            int[] labelledOrder = Seeds.permutation(labelled.length, rng);
            int lb = Math.min(settings.labelledBatch(), labelled.length);
            int cursor = 0;
            double sum = 0;
            int steps = 0;
            for (int start = 0; start < order.length; start += settings.batch()) {
                int size = Math.min(settings.batch(), order.length - start);
                int[] batch = new int[size];
                for (int i = 0; i < size; i++) {
                    batch[i] = unlabelled[order[start + i]];
                }
                int[] labelledBatch = new int[lb];
                for (int i = 0; i < lb; i++) {
                    if (cursor == labelledOrder.length) {
                        cursor = 0;
                    }
                    labelledBatch[i] = labelled[labelledOrder[cursor++]];
                }
                sum += step(batch, labelledBatch);
                steps++;
            }
            return sum / steps;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /**
     * Trains for {@code settings.epochs()} epochs, or continues from {@code checkpoint} when {@code resume} is set
     * and the file exists, saving it after every epoch. {@code onEpoch} sees each new epoch's figures.
     */
    public Result run(Path checkpoint, boolean resume, Consumer<EpochResult> onEpoch) {
        try (Run run = new Run()) {
            List<EpochResult> curve = new ArrayList<>();
            double trainSeconds = 0;
            String fingerprint = settings.fingerprint(classes);
            if (resume && checkpoint != null && Files.exists(checkpoint)) {
                Checkpoint c = Checkpoint.load(checkpoint, run.manager);
                if (!fingerprint.equals(c.getString("settings"))) {
                    throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with other settings ("
                            + c.getString("settings") + "); it cannot be resumed with " + fingerprint);
                }
                run.model.restore(c);
                run.adam.load(c, "adam");
                curve.addAll(curveFrom(c));
                trainSeconds = c.getDouble("trainSeconds");
            }
            for (int epoch = curve.size(); epoch < settings.epochs(); epoch++) {
                long start = System.nanoTime();
                Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), EPOCH, epoch));
                double loss = run.epoch(new SplittableRandom(Seeds.of(settings.seed(), EPOCH, epoch)));
                trainSeconds += (System.nanoTime() - start) / 1e9;
                double[] figures = evaluate(run, epoch);
                EpochResult r = new EpochResult(epoch + 1, run.adam.steps(),
                        run.schedule.temperature(run.adam.steps()), loss, figures[0], figures[1], trainSeconds);
                curve.add(r);
                if (checkpoint != null) {
                    save(checkpoint, run, curve, trainSeconds, fingerprint);
                }
                onEpoch.accept(r);
            }
            return new Result(settings.method(), curve, trainSeconds, samples(run, 10));
        }
    }

    /**
     * Test figures after epoch {@code epoch}: the bound −mean U(x) with y summed out exactly (whatever the training
     * method; z drawn once per class), and the accuracy of argmax q(y|x). Grey-level test images are binarised once
     * with a fixed seed (by threshold for a threshold run), so every epoch and method sees the same test set.
     */
    private double[] evaluate(Run run, int epoch) {
        if (classes != train.numClasses()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Binarization fixed = settings.binarization() == Binarization.THRESHOLD ? Binarization.THRESHOLD
                : Binarization.STATIC;
        ImageSet set = fixed.prepare(test, Seeds.of(settings.seed(), BINARISE, 1));
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), EVAL, epoch));
        double bound = 0;
        long correct = 0;
        int chunk = 500;
        try (GradMode off = GradMode.disabled()) {
            for (int from = 0; from < set.count(); from += chunk) {
                int to = Math.min(set.count(), from + chunk);
                try (NDManager step = run.manager.newSubManager()) {
                    NDArray x = set.toFloat(step, from, to);
                    NDArray logits = run.model.logits(x);
                    bound += run.model.marginal(x, logits).sum().getFloat();
                    int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                    for (int i = 0; i < predicted.length; i++) {
                        if (predicted[i] == set.labels()[from + i]) {
                            correct++;
                        }
                    }
                }
            }
        }
        return new double[] {-bound / set.count(), (double) correct / set.count()};
    }

    /** Decoder means for every class at {@code columns} draws of z shared across the classes. */
    private float[][] samples(Run run, int columns) {
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), EVAL, -1));
        try (GradMode off = GradMode.disabled(); NDManager step = run.manager.newSubManager()) {
            NDArray z = step.randomNormal(0f, 1f, new Shape(columns, settings.latent()), DataType.FLOAT32);
            int shown = Math.min(classes, 10);
            float[][] out = new float[shown * columns][];
            for (int c = 0; c < shown; c++) {
                NDArray y = step.zeros(new Shape(columns, classes));
                y.set(new ai.djl.ndarray.index.NDIndex(":, {}", c), 1f);
                float[] means = run.model.generate(z, y).toFloatArray();
                for (int j = 0; j < columns; j++) {
                    out[c * columns + j] = Arrays.copyOfRange(means, j * train.dim(), (j + 1) * train.dim());
                }
            }
            return out;
        }
    }

    private static final String[] COLUMNS = {"step", "tau", "trainLoss", "testElbo", "testAccuracy", "seconds"};

    private void save(Path file, Run run, List<EpochResult> curve, double trainSeconds, String fingerprint) {
        Map<String, NDArray> arrays = new LinkedHashMap<>(run.model.named());
        arrays.putAll(run.adam.state("adam"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("settings", fingerprint);
        values.put("trainSeconds", trainSeconds);
        TrainingCurve.put(values, COLUMNS, curve.stream().map(r -> new double[] {r.step(), r.tau(), r.trainLoss(),
            r.testElbo(), r.testAccuracy(), r.seconds()}).toList());
        Checkpoint.save(file, arrays, values);
    }

    private static List<EpochResult> curveFrom(Checkpoint c) {
        List<double[]> rows = TrainingCurve.get(c, COLUMNS);
        List<EpochResult> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            out.add(new EpochResult(i + 1, (long) r[0], r[1], r[2], r[3], r[4], r[5]));
        }
        return out;
    }

    /**
     * Training steps per second of a fresh model: {@code warmup} untimed steps, then steps until {@code seconds}
     * have passed (at least 3). Each step is what {@link #run} does per step, labelled batch included.
     */
    public double stepsPerSecond(int warmup, double seconds) {
        try (Run run = new Run()) {
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), EPOCH, 0));
            SplittableRandom rng = new SplittableRandom(Seeds.of(settings.seed(), EPOCH, 0));
            int lb = Math.min(settings.labelledBatch(), run.labelled.length);
            int b = Math.min(settings.batch(), run.unlabelled.length);
            int[] labelledBatch = Arrays.copyOf(run.labelled, lb);
            int steps = 0;
            long start = 0;
            for (int i = 0; ; i++) {
                if (i == warmup) {
                    start = System.nanoTime();
                }
                int[] batch = new int[b];
                for (int j = 0; j < b; j++) {
                    batch[j] = run.unlabelled[rng.nextInt(run.unlabelled.length)];
                }
                run.step(batch, labelledBatch);
                if (i >= warmup) {
                    steps++;
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    if (steps >= 3 && elapsed >= seconds) {
                        return steps / elapsed;
                    }
                }
            }
        }
    }
}
