package org.discrete4j.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Seeds;

/**
 * Training of a {@link TopicModel} with a chosen gradient estimator for its Poisson counts, by Adam on the mean
 * negative ELBO of batches of documents, with the held-out perplexity after every epoch:
 * {@code exp(−Σ_d bound_d / Σ_d N_d)} over the held-out documents d with N_d words, for the ELBO and for the
 * importance-weighted bound (each bound makes it an upper bound on the model's true perplexity).
 *
 * <p>Every random source, and the estimator's own state (a moving-average baseline), starts afresh at each epoch
 * from the run's seed and the epoch; the model, Adam's state and the curve are checkpointed after each epoch, so a
 * resumed run ends bit-identical to an uninterrupted one.
 */
public final class TopicTraining {

    private static final long INIT = 1;
    private static final long EPOCH = 2;
    private static final long EVAL = 3;

    /**
     * Everything that defines a run.
     *
     * @param estimator the estimator's command-line name (see {@link Estimators})
     * @param tau temperature of relaxed estimators
     * @param k draws per estimate of multi-draw estimators (rloo)
     * @param evalSamples draws per held-out document for the bounds
     */
    public record Settings(String estimator, double tau, int k, int epochs, int batch, double learningRate,
            int topics, int hidden, double priorRate, double smoothing, int evalSamples, long seed) {
        public Settings {
            if (epochs < 0 || batch < 1 || !(learningRate > 0) || evalSamples < 1) {
                throw new IllegalArgumentException("topic training needs epochs >= 0, batch >= 1, a positive "
                        + "learning rate and evalSamples >= 1");
            }
            Estimators.create(estimator, new Estimators.Options(tau, k)); // fails early on a bad name or option
        }

        String fingerprint(boolean learnTopics) {
            return String.join(" ", estimator, "tau=" + tau, "k=" + k, "batch=" + batch, "lr=" + learningRate,
                    "topics=" + topics, "hidden=" + hidden, "priorRate=" + priorRate, "smoothing=" + smoothing,
                    "evalSamples=" + evalSamples, "seed=" + seed, "learnTopics=" + learnTopics);
        }
    }

    /** Figures after one epoch: the mean training loss per word and the held-out perplexities. */
    public record EpochResult(int epoch, long step, double trainLossPerWord, double perplexityElbo,
            double perplexityImportance, double seconds) {}

    /** A finished run; {@code topics} are the final β (K × V). */
    public record Result(String estimator, List<EpochResult> curve, double trainSeconds, double[][] topics) {
        public EpochResult last() {
            return curve.get(curve.size() - 1);
        }
    }

    private final Corpus train;
    private final Corpus test;
    private final Settings settings;
    private final double[][] fixedTopics;

    /**
     * @param fixedTopics topics to hold fixed (only the encoder is trained: used to bound the perplexity of a known
     *     model the same way as a learned one's); null to learn them
     */
    public TopicTraining(Corpus train, Corpus test, Settings settings, double[][] fixedTopics) {
        if (train.vocabularySize() != test.vocabularySize()) {
            throw new IllegalArgumentException("training and held-out documents have different vocabularies ("
                    + train.vocabularySize() + " and " + test.vocabularySize() + " words)");
        }
        this.train = train.nonEmpty();
        this.test = test.nonEmpty();
        this.settings = settings;
        this.fixedTopics = fixedTopics;
    }

    /**
     * Trains for {@code settings.epochs()} epochs, or continues from {@code checkpoint} when {@code resume} is set
     * and the file exists, saving it after every epoch.
     */
    public Result run(Path checkpoint, boolean resume, Consumer<EpochResult> onEpoch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), INIT));
            TopicModel model = new TopicModel(manager, new TopicModel.Architecture(train.vocabularySize(),
                    settings.topics(), settings.hidden(), settings.priorRate(), settings.smoothing()), fixedTopics);
            Adam adam = new Adam(model.parameters(), settings.learningRate());
            String fingerprint = settings.fingerprint(fixedTopics == null);
            List<EpochResult> curve = new ArrayList<>();
            double trainSeconds = 0;
            if (resume && checkpoint != null && Files.exists(checkpoint)) {
                Checkpoint c = Checkpoint.load(checkpoint, manager);
                if (!fingerprint.equals(c.getString("settings"))) {
                    throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with other settings ("
                            + c.getString("settings") + "); it cannot be resumed with " + fingerprint);
                }
                model.restore(c);
                adam.load(c, "adam");
                curve.addAll(curveFrom(c));
                trainSeconds = c.getDouble("trainSeconds");
            }
            for (int epoch = curve.size(); epoch < settings.epochs(); epoch++) {
                long start = System.nanoTime();
                Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), EPOCH, epoch));
                GradientEstimator estimator = Estimators.create(settings.estimator(),
                        new Estimators.Options(settings.tau(), settings.k()));
                double loss = epoch(model, adam, estimator, new SplittableRandom(Seeds.of(settings.seed(), EPOCH,
                        epoch)));
                trainSeconds += (System.nanoTime() - start) / 1e9;
                Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), EVAL, epoch));
                double[] perplexity = perplexity(model, test, settings.evalSamples());
                EpochResult r = new EpochResult(epoch + 1, adam.steps(), loss, perplexity[0], perplexity[1],
                        trainSeconds);
                curve.add(r);
                if (checkpoint != null) {
                    save(checkpoint, model, adam, curve, trainSeconds, fingerprint);
                }
                onEpoch.accept(r);
            }
            return new Result(settings.estimator(), curve, trainSeconds, model.topics());
        }
    }

    /** One pass over the training documents in an order drawn with {@code rng}; the mean loss per word. */
    private double epoch(TopicModel model, Adam adam, GradientEstimator estimator, SplittableRandom rng) {
        int n = train.documents();
        int[] order = Seeds.permutation(n, rng);
        double lossSum = 0;
        long words = 0;
        for (int from = 0; from < n; from += settings.batch()) {
            int[] batch = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + settings.batch()));
            NDManager params = model.parameters().get(0).getManager();
            try (NDManager step = params.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.loss(train.dense(step, batch), estimator);
                collector.backward(loss);
                lossSum += loss.getFloat() * batch.length;
            }
            for (int d : batch) {
                words += train.length(d);
            }
            adam.step();
        }
        return lossSum / words;
    }

    /**
     * Held-out perplexities {@code exp(−Σ_d bound_d / Σ_d N_d)} of a model for the ELBO and the importance-weighted
     * bound with {@code samples} draws per document, documents in chunks of 100.
     */
    public static double[] perplexity(TopicModel model, Corpus corpus, int samples) {
        double elbo = 0;
        double iw = 0;
        long words = 0;
        NDManager params = model.parameters().get(0).getManager();
        try (GradMode off = GradMode.disabled()) {
            for (int from = 0; from < corpus.documents(); from += 100) {
                int[] docs = IntStream.range(from, Math.min(corpus.documents(), from + 100)).toArray();
                try (NDManager step = params.newSubManager()) {
                    TopicModel.Bounds b = model.bounds(corpus.dense(step, docs), samples);
                    for (int i = 0; i < docs.length; i++) {
                        elbo += b.elbo()[i];
                        iw += b.importanceWeighted()[i];
                        words += corpus.length(docs[i]);
                    }
                }
            }
        }
        return new double[] {Math.exp(-elbo / words), Math.exp(-iw / words)};
    }

    private static final String[] COLUMNS = {"step", "trainLossPerWord", "perplexityElbo", "perplexityImportance",
        "seconds"};

    private static void save(Path file, TopicModel model, Adam adam, List<EpochResult> curve, double trainSeconds,
            String fingerprint) {
        Map<String, NDArray> arrays = new LinkedHashMap<>(model.named());
        arrays.putAll(adam.state("adam"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("settings", fingerprint);
        values.put("trainSeconds", trainSeconds);
        TrainingCurve.put(values, COLUMNS, curve.stream().map(r -> new double[] {r.step(), r.trainLossPerWord(),
            r.perplexityElbo(), r.perplexityImportance(), r.seconds()}).toList());
        Checkpoint.save(file, arrays, values);
    }

    private static List<EpochResult> curveFrom(Checkpoint c) {
        List<double[]> rows = TrainingCurve.get(c, COLUMNS);
        List<EpochResult> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            out.add(new EpochResult(i + 1, (long) r[0], r[1], r[2], r[3], r[4]));
        }
        return out;
    }
}
