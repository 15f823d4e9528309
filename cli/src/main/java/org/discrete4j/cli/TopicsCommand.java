package org.discrete4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.discrete4j.distribution.Poisson;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.train.Seeds;
import org.discrete4j.vae.Corpus;
import org.discrete4j.vae.SyntheticCorpus;
import org.discrete4j.vae.TopicRecovery;
import org.discrete4j.vae.TopicTraining;
import org.discrete4j.vae.UciBagOfWords;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j topics}: a neural topic model with Poisson topic counts, trained with GenGS or score-function estimators. */
@Command(name = "topics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "A neural topic model with K Poisson topic counts z (prior Poisson(lambda0)), words from",
            "p(w|z) = sum_k pi_k(z) beta_k, pi = (z + a)/sum(z + a), and an MLP encoder q(z|x) = Poisson(lambda(x));",
            "KL to the prior in closed form, the expected log-likelihood's gradient from each --estimator",
            "(gengs: generalized Gumbel-softmax, Joo et al.; reinforce, reinforce-ma, reinforce-batch, rloo:",
            "score-function estimators). Reports held-out perplexity exp(-sum bound / words) for the ELBO and the",
            "importance-weighted bound.",
            "--data synthetic (default) draws documents from a known model of the same family (see the generator",
            "options); then the true model's perplexity is bounded the same way (its encoder trained with the",
            "topics fixed to the truth) and learned topics are paired with the true ones (cosine, total variation).",
            "--data FILE reads a UCI bag-of-words docword.NAME.txt (and vocab.NAME.txt beside it) and holds out",
            "--test-fraction of the documents.",
            "Writes summary.json, curves.csv, topics.csv, perplexity.png to --out; a checkpoint per run after every",
            "epoch, which --resume continues bit-identically. --export DIR writes the synthetic corpus as UCI files."})
public final class TopicsCommand implements Callable<Integer> {

    static final String SYNTHETIC = "synthetic";
    private static final long CORPUS = 11;
    private static final long TRAIN_DOCS = 12;
    private static final long TEST_DOCS = 13;
    private static final long SPLIT = 14;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--data", paramLabel = "SRC",
            description = "synthetic, or a UCI docword.NAME.txt[.gz] file (default: ${DEFAULT-VALUE}).")
    String data = SYNTHETIC;

    @Option(names = "--vocab", paramLabel = "FILE", description = "The vocabulary file (default: vocab.NAME.txt "
            + "beside the docword file).")
    Path vocab;

    @Option(names = "--test-fraction", paramLabel = "F",
            description = "Share of a UCI corpus held out (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.1;

    @Option(names = "--estimator", split = ",", paramLabel = "NAME",
            description = "Estimators to train with, each a separate run (default: gengs,rloo).")
    List<String> estimators = List.of("gengs", "rloo");

    @Option(names = "--tau", paramLabel = "T", description = "GenGS temperature (default: ${DEFAULT-VALUE}).")
    double tau = 0.5;

    @Option(names = "--k", paramLabel = "K", description = "Draws per estimate for rloo and reinforce-batch "
            + "(default: ${DEFAULT-VALUE}).")
    int k = 4;

    @Option(names = "--topics", paramLabel = "K",
            description = "Topics of the model (default: the generator's for synthetic data, 10 otherwise).")
    Integer topics;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Units of the encoder's two hidden layers (default: ${DEFAULT-VALUE}).")
    int hidden = 100;

    @Option(names = "--prior-rate", paramLabel = "L",
            description = "lambda0 of the Poisson prior, of the model and the generator (default: ${DEFAULT-VALUE}).")
    double priorRate = 0.3;

    @Option(names = "--smoothing", paramLabel = "A",
            description = "a in pi = (z + a)/sum(z + a), model and generator (default: ${DEFAULT-VALUE}).")
    double smoothing = 0.05;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training documents "
            + "(default: ${DEFAULT-VALUE}).")
    int epochs = 150;

    @Option(names = "--batch", paramLabel = "B", description = "Documents per step (default: ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--lr", paramLabel = "R", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 5e-3;

    @Option(names = "--eval-samples", paramLabel = "S",
            description = "Draws of q(z|x) per held-out document for the bounds (default: ${DEFAULT-VALUE}).")
    int evalSamples = 100;

    @Option(names = "--no-truth", negatable = false,
            description = "Skip bounding the true model's perplexity (synthetic data).")
    boolean noTruth;

    @Option(names = "--gen-topics", paramLabel = "K", description = "Generator: topics (default: ${DEFAULT-VALUE}).")
    int genTopics = 10;

    @Option(names = "--vocabulary", paramLabel = "V",
            description = "Generator: vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabulary = 500;

    @Option(names = "--words-per-topic", paramLabel = "N",
            description = "Generator: words each topic weights, Dirichlet(1) (default: ${DEFAULT-VALUE}).")
    int wordsPerTopic = 50;

    @Option(names = "--floor", paramLabel = "F",
            description = "Generator: share of each topic spread over all words (default: ${DEFAULT-VALUE}).")
    double floor = 0.01;

    @Option(names = "--min-length", paramLabel = "N",
            description = "Generator: shortest document (default: ${DEFAULT-VALUE}).")
    int minLength = 50;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Generator: longest document (default: ${DEFAULT-VALUE}).")
    int maxLength = 150;

    @Option(names = "--documents", paramLabel = "D",
            description = "Generator: training documents (default: ${DEFAULT-VALUE}).")
    int documents = 2000;

    @Option(names = "--test-documents", paramLabel = "D",
            description = "Generator: held-out documents (default: ${DEFAULT-VALUE}).")
    int testDocuments = 500;

    @Option(names = "--export", paramLabel = "DIR",
            description = "Also write the synthetic corpus as docword/vocab.synthetic-train and -test.")
    Path export;

    @Option(names = "--resume", description = "Continue from the checkpoints in --out.")
    boolean resume;

    /** One trained model: a learned one per estimator, or the truth's encoder. */
    private record Entry(String label, TopicTraining.Result result, TopicRecovery recovery) {}

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        boolean synthetic = SYNTHETIC.equalsIgnoreCase(data);
        SyntheticCorpus.Truth truth = null;
        Corpus train;
        Corpus test;
        if (synthetic) {
            SyntheticCorpus.Settings gen = generator(cl);
            truth = SyntheticCorpus.truth(gen, Seeds.of(common.seed, CORPUS));
            train = SyntheticCorpus.sample(truth, documents, Seeds.of(common.seed, TRAIN_DOCS)).corpus();
            test = SyntheticCorpus.sample(truth, testDocuments, Seeds.of(common.seed, TEST_DOCS)).corpus();
            if (export != null) {
                UciBagOfWords.write(train, export, "synthetic-train");
                UciBagOfWords.write(test, export, "synthetic-test");
            }
        } else {
            if (export != null) {
                throw new ParameterException(cl, "--export writes a synthetic corpus; it needs --data synthetic");
            }
            Path file = Path.of(data);
            Corpus all = (vocab != null ? UciBagOfWords.read(file, vocab) : UciBagOfWords.read(file)).nonEmpty();
            Corpus.Split split = all.split(testFraction, Seeds.of(common.seed, SPLIT));
            train = split.train();
            test = split.test();
        }
        int modelTopics = topics != null ? topics : synthetic ? genTopics : 10;
        RunOutput out = RunOutput.open(common.out, "topics");
        PrintWriter w = cl.getOut();

        List<Entry> entries = new ArrayList<>();
        for (String name : estimators) {
            entries.add(train(out, w, name, name, train, test, modelTopics, null, truth));
        }
        Entry truthEntry = null;
        if (synthetic && !noTruth) {
            truthEntry = train(out, w, "truth", estimators.get(0), train, test, genTopics, truth.topics(), truth);
        }
        write(out, synthetic, truth, train, test, modelTopics, entries, truthEntry);
        if (!common.quiet) {
            printTable(w, entries, truthEntry);
            w.println("results in " + out.dir());
        }
        return 0;
    }

    private Entry train(RunOutput out, PrintWriter w, String label, String estimator, Corpus train, Corpus test,
            int modelTopics, double[][] fixed, SyntheticCorpus.Truth truth) {
        TopicTraining.Settings s = new TopicTraining.Settings(estimator, tau, k, epochs, batch, learningRate,
                modelTopics, hidden, priorRate, smoothing, evalSamples, common.seed);
        TopicTraining.Result r = new TopicTraining(train, test, s, fixed).run(out.resolve("topics-" + label + ".ckpt"),
                resume, e -> {
                    if (!common.quiet) {
                        w.printf(Locale.ROOT, "%-16s epoch %3d/%d  step %6d  loss/word %.4f  perplexity ELBO %8.2f"
                                + "  IW %8.2f  %.0f s%n", label, e.epoch(), epochs, e.step(), e.trainLossPerWord(),
                                e.perplexityElbo(), e.perplexityImportance(), e.seconds());
                    }
                });
        TopicRecovery recovery = truth == null || fixed != null ? null : TopicRecovery.of(truth.topics(), r.topics());
        return new Entry(label, r, recovery);
    }

    private SyntheticCorpus.Settings generator(CommandLine cl) {
        try {
            return new SyntheticCorpus.Settings(genTopics, vocabulary, wordsPerTopic, floor, priorRate, smoothing,
                    minLength, maxLength);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    private void checkOptions(CommandLine cl) {
        if (estimators.isEmpty() || estimators.stream().distinct().count() != estimators.size()) {
            throw new ParameterException(cl, "--estimator needs distinct names");
        }
        for (String name : estimators) {
            GradientEstimator e;
            try {
                e = Estimators.create(name, new Estimators.Options(tau, k));
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(cl, ex.getMessage());
            }
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                if (!e.supports(Poisson.ofLogRate(m.zeros(new ai.djl.ndarray.types.Shape(2, 2))))) {
                    throw new ParameterException(cl, "estimator " + name + " does not apply to Poisson counts; use "
                            + "gengs, reinforce, reinforce-ma, reinforce-batch or rloo");
                }
            }
            if ("exact".equals(name)) {
                throw new ParameterException(cl, "exact enumeration of K Poisson counts per document is intractable");
            }
        }
        if ((topics != null && topics < 1) || hidden < 1 || epochs < 1 || batch < 1 || evalSamples < 1) {
            throw new ParameterException(cl, "--topics, --hidden, --epochs, --batch and --eval-samples must be >= 1");
        }
        if (!(learningRate > 0) || !(priorRate > 0) || !(smoothing > 0) || !(tau > 0)) {
            throw new ParameterException(cl, "--lr, --prior-rate, --smoothing and --tau must be positive");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new ParameterException(cl, "--test-fraction must lie in (0, 1), got " + testFraction);
        }
        if (documents < 1 || testDocuments < 1) {
            throw new ParameterException(cl, "--documents and --test-documents must be >= 1");
        }
    }

    private void write(RunOutput out, boolean synthetic, SyntheticCorpus.Truth truth, Corpus train, Corpus test,
            int modelTopics, List<Entry> entries, Entry truthEntry) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("data", synthetic ? SYNTHETIC : data);
        s.put("trainDocuments", train.documents());
        s.put("testDocuments", test.documents());
        s.put("vocabulary", train.vocabularySize());
        s.put("trainWords", train.tokens());
        s.put("testWords", test.tokens());
        if (synthetic) {
            Map<String, Object> g = new LinkedHashMap<>();
            SyntheticCorpus.Settings gs = truth.settings();
            g.put("topics", gs.topics());
            g.put("vocabulary", gs.vocabulary());
            g.put("wordsPerTopic", gs.wordsPerTopic());
            g.put("floor", gs.floor());
            g.put("priorRate", gs.priorRate());
            g.put("smoothing", gs.smoothing());
            g.put("minLength", gs.minLength());
            g.put("maxLength", gs.maxLength());
            g.put("description", "beta_k = (1-floor) Dirichlet(1) on wordsPerTopic random words + floor/V; "
                    + "z_dk ~ Poisson(priorRate); N_d ~ uniform minLength..maxLength; words iid from "
                    + "sum_k pi_k beta_k, pi = (z + smoothing)/sum(z + smoothing)");
            s.put("generator", g);
        } else {
            s.put("testFraction", testFraction);
        }
        s.put("estimators", estimators);
        s.put("tau", tau);
        s.put("k", k);
        s.put("topics", modelTopics);
        s.put("hidden", hidden);
        s.put("encoder", "MLP log(1+counts) " + train.vocabularySize() + "-" + hidden + "-" + hidden + "-" + modelTopics
                + " (ReLU), log-rate 5 tanh(h/5)");
        s.put("priorRate", priorRate);
        s.put("smoothing", smoothing);
        s.put("epochs", epochs);
        s.put("batch", batch);
        s.put("optimizer", "adam");
        s.put("learningRate", learningRate);
        s.put("evalSamples", evalSamples);
        s.put("perplexity", "exp(-sum_d bound_d / sum_d N_d) over held-out documents; bound = ELBO (closed-form KL,"
                + " evalSamples exact draws) or importance-weighted bound with evalSamples draws of q(z|x)");
        if (truthEntry != null) {
            s.put("truth", "the generating model's topics and prior, its encoder trained with " + estimators.get(0)
                    + " for the same epochs, bounded the same way");
        }
        summary.put("settings", s);

        List<Map<String, Object>> results = new ArrayList<>();
        List<Entry> all = new ArrayList<>(entries);
        if (truthEntry != null) {
            all.add(truthEntry);
        }
        List<List<?>> rows = new ArrayList<>();
        List<List<?>> topicRows = new ArrayList<>();
        List<Plots.Series> series = new ArrayList<>();
        for (Entry e : all) {
            TopicTraining.Result r = e.result();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", e.label());
            m.put("estimator", r.estimator());
            m.put("perplexityElbo", r.last().perplexityElbo());
            m.put("perplexityImportanceWeighted", r.last().perplexityImportance());
            m.put("trainLossPerWord", r.last().trainLossPerWord());
            m.put("epochs", r.last().epoch());
            m.put("steps", r.last().step());
            m.put("trainSeconds", r.trainSeconds());
            if (e.recovery() != null) {
                m.put("topicRecoveryCosine", e.recovery().meanCosine());
                m.put("topicRecoveryTotalVariation", e.recovery().meanTotalVariation());
            }
            results.add(m);
            int n = r.curve().size();
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                TopicTraining.EpochResult c = r.curve().get(i);
                rows.add(List.of(e.label(), c.epoch(), c.step(), c.trainLossPerWord(), c.perplexityElbo(),
                        c.perplexityImportance(), c.seconds()));
                x[i] = c.epoch();
                y[i] = c.perplexityImportance();
            }
            series.add(new Plots.Series(e.label() + " (IW bound)", x, y));
            if (e != truthEntry) {
                for (int t = 0; t < r.topics().length; t++) {
                    int matched = -1;
                    double cos = Double.NaN;
                    double tv = Double.NaN;
                    if (e.recovery() != null) {
                        for (int i = 0; i < e.recovery().match().length; i++) {
                            if (e.recovery().match()[i] == t) {
                                matched = i;
                                cos = e.recovery().cosine()[i];
                                tv = e.recovery().totalVariation()[i];
                            }
                        }
                    }
                    topicRows.add(List.of(e.label(), t, matched < 0 ? "" : matched, Double.isNaN(cos) ? "" : cos,
                            Double.isNaN(tv) ? "" : tv, topWords(r.topics()[t], train.vocabulary(), 10)));
                }
            }
        }
        summary.put("results", results);
        out.json("summary.json", summary);
        out.csv("curves.csv", List.of("model", "epoch", "step", "train_loss_per_word", "perplexity_elbo",
                "perplexity_iw", "seconds"), rows);
        out.csv("topics.csv", List.of("model", "topic", "true_topic", "cosine", "total_variation", "top_words"),
                topicRows);
        Plots.lines(out.resolve("perplexity.png"), "Held-out perplexity (" + (synthetic ? SYNTHETIC : data) + ")",
                "epoch", "perplexity (importance-weighted bound)", series, false, false);
    }

    private static String topWords(double[] beta, String[] vocabulary, int n) {
        return IntStream.range(0, beta.length).boxed().sorted(Comparator.comparingDouble(i -> -beta[i])).limit(n)
                .map(i -> vocabulary[i]).reduce((a, b) -> a + " " + b).orElse("");
    }

    private static void printTable(PrintWriter w, List<Entry> entries, Entry truthEntry) {
        w.printf(Locale.ROOT, "%-16s %14s %14s %12s %10s%n", "model", "perplexity IW", "perplexity ELBO",
                "topic cosine", "seconds");
        List<Entry> all = new ArrayList<>(entries);
        if (truthEntry != null) {
            all.add(truthEntry);
        }
        for (Entry e : all) {
            TopicTraining.Result r = e.result();
            w.printf(Locale.ROOT, "%-16s %14.2f %14.2f %12s %10.1f%n", e.label(), r.last().perplexityImportance(),
                    r.last().perplexityElbo(), e.recovery() == null ? "-"
                            : String.format(Locale.ROOT, "%.3f", e.recovery().meanCosine()), r.trainSeconds());
        }
    }
}
