package org.discrete4j.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.diagnostic.Ais;
import org.discrete4j.learn.AisLikelihood;
import org.discrete4j.learn.RbmEvaluation;
import org.discrete4j.learn.RbmTrainer;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.RbmBlockGibbs;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Seeds;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j train-rbm}: an RBM trained by CD-k or PCD-k on binarised images, with its learning curve. */
@Command(name = "train-rbm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a Bernoulli RBM on binarised images by contrastive divergence (CD-k) or persistent contrastive",
            "divergence (PCD-k) with block Gibbs and Adam; W ~ N(0, 0.01^2), hidden biases 0, visible biases the",
            "logits of the training pixel means.",
            "Each epoch: reconstruction error, exact pseudo-log-likelihood of the first --eval-images test images,",
            "and the test log-likelihood: exact for H <= " + Rbm.MAX_ENUMERATED_HIDDEN + " (log Z by enumeration),",
            "otherwise AIS (block Gibbs, Bernoulli base at the data mean) every --ais-every epochs and at the end.",
            "Checkpoints every epoch (checkpoint.bin, atomic); --resume continues a run bit for bit.",
            "Writes model.json (read by d4j sample --model-file and d4j ais --model-file), curve.csv,",
            "curve_likelihood.png, curve_reconstruction.png, samples.png, weights.png and summary.json to --out."})
public final class TrainRbmCommand implements Callable<Integer> {

    static final String CHECKPOINT = "checkpoint.bin";

    static final List<String> CURVE_HEADER = List.of("epoch", "seconds", "train_reconstruction",
            "test_reconstruction", "test_pseudo_ll", "test_ll", "log_z", "log_z_stderr", "ll_method");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ImageDataOptions images;

    @Option(names = "--data-seed", paramLabel = "S",
            description = "Seed of the static binarisations of the training and test images, fixed across runs "
                    + "(default: ${DEFAULT-VALUE}).")
    long dataSeed = 0;

    @Option(names = "--hidden", paramLabel = "H", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = 500;

    @Option(names = "--method", paramLabel = "M", description = "cd or pcd (default: ${DEFAULT-VALUE}).")
    String method = "pcd";

    @Option(names = "--k", paramLabel = "K", description = "Block-Gibbs steps per update (default: ${DEFAULT-VALUE}).")
    int k = 1;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Images per update, and persistent chains (default: ${DEFAULT-VALUE}).")
    int batchSize = 100;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs = 50;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 1e-3;

    @Option(names = "--lr-decay", paramLabel = "D",
            description = "none, or linear: epoch e of E uses lr (E - e) / E, so the last updates are small and the "
                    + "persistent chains can follow the model (Tieleman 2008) (default: ${DEFAULT-VALUE}).")
    String lrDecay = "linear";

    @Option(names = "--eval-images", paramLabel = "N",
            description = "Test images for the pseudo-log-likelihood (default: ${DEFAULT-VALUE}).")
    int evalImages = 100;

    @Option(names = "--ais-every", paramLabel = "E",
            description = "For H > " + Rbm.MAX_ENUMERATED_HIDDEN + ": AIS every E epochs, and always after the last "
                    + "(default: ${DEFAULT-VALUE}).")
    int aisEvery = 10;

    @Option(names = "--ais-chains", paramLabel = "C", description = "AIS runs (default: ${DEFAULT-VALUE}).")
    int aisChains = 100;

    @Option(names = "--ais-temperatures", paramLabel = "T",
            description = "AIS temperatures during training; d4j ais gives the final figure with more "
                    + "(default: ${DEFAULT-VALUE}).")
    int aisTemperatures = 3000;

    @Option(names = "--samples", paramLabel = "N", description = "Samples in samples.png (default: ${DEFAULT-VALUE}).")
    int samples = 100;

    @Option(names = "--sample-steps", paramLabel = "N",
            description = "Block-Gibbs steps from the data-mean Bernoulli for samples.png (default: ${DEFAULT-VALUE}).")
    int sampleSteps = 1000;

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out (same settings; "
            + "--epochs may grow with --lr-decay none).")
    boolean resume;

    @Option(names = "--stop-after", paramLabel = "E",
            description = "End this session after epoch E (writing every output); --resume continues the run.")
    Integer stopAfter;

    /** One row of the learning curve. */
    private record Row(int epoch, double seconds, double trainReconstruction, double testReconstruction,
            double testPseudoLl, double testLl, double logZ, double logZStderr, String llMethod) {

        List<Object> cells() {
            return Arrays.asList(epoch, seconds, trainReconstruction, testReconstruction, testPseudoLl,
                    nullIfNaN(testLl), nullIfNaN(logZ), nullIfNaN(logZStderr), llMethod);
        }
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Binarization bin = checkOptions(cl);
        ImageSet train = images.load(cl, Datasets.Split.TRAIN);
        ImageSet test = images.load(cl, Datasets.Split.TEST);
        if (train.count() < batchSize) {
            throw new ParameterException(cl, "--batch-size " + batchSize + " exceeds the " + train.count()
                    + " training images");
        }
        ImageSet prepared = AisLikelihood.trainingSet(train, bin, dataSeed);
        double[] mean = prepared.pixelMeans();
        int[] testX = AisLikelihood.evaluationSet(test, Datasets.Split.TEST, bin, dataSeed);
        int evalN = Math.min(evalImages, test.count());

        RunOutput out = RunOutput.open(common.out, "train-rbm");
        Path checkpoint = out.resolve(CHECKPOINT);
        if (!resume && Files.exists(checkpoint)) {
            throw new ParameterException(cl, "--out " + out.dir() + " already holds a " + CHECKPOINT
                    + "; pass --resume to continue that run, or choose another --out");
        }
        if (resume && !Files.exists(checkpoint)) {
            throw new ParameterException(cl, "--resume: no " + CHECKPOINT + " in " + out.dir());
        }
        RbmTrainer.Settings settings = new RbmTrainer.Settings(hidden, RbmTrainer.Method.parse(method), k, batchSize,
                learningRate, 0.01);
        PrintWriter w = cl.getOut();
        List<Row> curve = new ArrayList<>();
        Rbm rbm;
        int[] persistent;
        try (NDManager manager = NDManager.newBaseManager();
                RbmTrainer trainer = new RbmTrainer(manager, settings, mean, common.seed)) {
            int start = 0;
            double elapsed = 0;
            if (resume) {
                Checkpoint cp = Checkpoint.load(checkpoint, manager);
                String saved = cp.getString("fingerprint");
                if (!saved.equals(fingerprint())) {
                    throw new ParameterException(cl, "--resume: the settings differ from the checkpoint's:\n  saved: "
                            + saved + "\n  now:   " + fingerprint());
                }
                trainer.load(cp);
                start = (int) cp.getLong("epochs");
                elapsed = cp.getDouble("seconds");
                curve.addAll(rows(cp, start));
            }
            if (!common.quiet) {
                w.printf(Locale.ROOT, "RBM %d x %d on %s (%s binarisation), %s-%d, Adam lr %g (%s decay), %d epochs%s%n",
                        train.dim(), hidden, images.data, bin.name().toLowerCase(Locale.ROOT), method, k, learningRate,
                        lrDecay, epochs, start > 0 ? ", resuming after epoch " + start : "");
            }
            try (Progress bar = Progress.start("train-rbm", epochs - start, common.quiet)) {
                int end = stopAfter != null ? Math.min(epochs, Math.max(start, stopAfter)) : epochs;
                for (int epoch = start; epoch < end; epoch++) {
                    long t0 = System.nanoTime();
                    trainer.setLearningRate(learningRate(epoch));
                    RbmTrainer.Epoch e = trainer.epoch(prepared, bin, epoch);
                    Row row = evaluate(trainer.rbm(), epoch, e, testX, test.count(), evalN, mean);
                    elapsed += (System.nanoTime() - t0) / 1e9;
                    row = new Row(row.epoch(), elapsed, row.trainReconstruction(), row.testReconstruction(),
                            row.testPseudoLl(), row.testLl(), row.logZ(), row.logZStderr(), row.llMethod());
                    curve.add(row);
                    Checkpoint.save(checkpoint, trainer.state(), values(epoch + 1, elapsed, curve));
                    out.csv("curve.csv", CURVE_HEADER, cells(curve));
                    bar.step();
                    if (!common.quiet) {
                        printRow(w, row);
                    }
                }
            }
            rbm = trainer.rbm();
            persistent = trainer.chains();
        }
        out.json("model.json", ModelFiles.parameters(rbm, options()));
        writePictures(out, rbm, mean, train.rows(), train.cols(), persistent);
        writeSummary(out, curve);
        if (!common.quiet) {
            w.println("results in " + out.dir());
        }
        return 0;
    }

    private Binarization checkOptions(CommandLine cl) {
        if (hidden < 1 || k < 1 || batchSize < 1 || epochs < 1) {
            throw new ParameterException(cl, "--hidden, --k, --batch-size and --epochs must be >= 1");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ParameterException(cl, "--lr must be a finite number > 0, got " + learningRate);
        }
        if (!"none".equals(lrDecay) && !"linear".equals(lrDecay)) {
            throw new ParameterException(cl, "--lr-decay must be none or linear, got " + lrDecay);
        }
        if (stopAfter != null && stopAfter < 1) {
            throw new ParameterException(cl, "--stop-after must be >= 1, got " + stopAfter);
        }
        if (evalImages < 1 || aisEvery < 1 || aisChains < 1 || aisTemperatures < 2 || samples < 1
                || sampleSteps < 0) {
            throw new ParameterException(cl, "--eval-images, --ais-every, --ais-chains, --samples must be >= 1, "
                    + "--ais-temperatures >= 2, --sample-steps >= 0");
        }
        try {
            RbmTrainer.Method.parse(method);
            return Binarization.parse(images.binarization);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    /** The step size of epoch {@code epoch} (0-based) under --lr-decay. */
    private double learningRate(int epoch) {
        return "linear".equals(lrDecay) ? learningRate * (epochs - epoch) / epochs : learningRate;
    }

    /** Test figures of the RBM after {@code epoch}: exact log-likelihood for small H, else AIS when due. */
    private Row evaluate(Rbm rbm, int epoch, RbmTrainer.Epoch e, int[] testX, int testN, int evalN, double[] mean) {
        double recon = RbmEvaluation.reconstructionError(rbm, testX, testN);
        double pll = RbmEvaluation.pseudoLogLikelihood(rbm, Arrays.copyOf(testX, evalN * rbm.visible()), evalN);
        double ll = Double.NaN;
        double logZ = Double.NaN;
        double stderr = Double.NaN;
        String how = "";
        if (hidden <= Rbm.MAX_ENUMERATED_HIDDEN) {
            logZ = rbm.logZ();
            stderr = 0;
            ll = AisLikelihood.meanLogProb(rbm, testX, testN)[0] - logZ;
            how = "exact";
        } else if ((epoch + 1) % aisEvery == 0 || epoch + 1 == epochs) {
            Ais.Result ais = AisLikelihood.logZ(rbm, AisLikelihood.RBM_GIBBS, mean, aisChains, aisTemperatures,
                    Seeds.of(common.seed, epoch, 3), null);
            AisLikelihood.Result r = AisLikelihood.of(rbm, AisLikelihood.RBM_GIBBS, ais, testX, testN);
            ll = r.logLikelihood();
            logZ = r.logZ();
            stderr = r.logZStderr();
            how = "ais";
        }
        return new Row(epoch + 1, 0, e.reconstructionError(), recon, pll, ll, logZ, stderr, how);
    }

    /**
     * Every setting that must match for --resume to continue the same run: --epochs may change only without a
     * learning-rate decay, which depends on it.
     */
    private String fingerprint() {
        Map<String, Object> o = options();
        if ("none".equals(lrDecay)) {
            o.remove("epochs");
        }
        return o.toString();
    }

    /** The settings, for model.json, summary.json and the resume check. */
    Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("command", "train-rbm");
        o.put("data", images.data);
        o.put("binarization", images.binarization.toLowerCase(Locale.ROOT));
        o.put("dataSeed", dataSeed);
        o.put("seed", common.seed);
        o.put("hidden", hidden);
        o.put("method", method.toLowerCase(Locale.ROOT));
        o.put("k", k);
        o.put("batchSize", batchSize);
        o.put("epochs", epochs);
        o.put("optimizer", "adam");
        o.put("learningRate", learningRate);
        o.put("learningRateDecay", lrDecay);
        o.put("initialWeightStd", 0.01);
        o.put("evalImages", evalImages);
        o.put("aisEvery", aisEvery);
        o.put("aisChains", aisChains);
        o.put("aisTemperatures", aisTemperatures);
        return o;
    }

    private Map<String, Object> values(int epochsDone, double seconds, List<Row> curve) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("fingerprint", fingerprint());
        v.put("epochs", epochsDone);
        v.put("seconds", seconds);
        int n = curve.size();
        double[][] cols = new double[7][n];
        StringBuilder how = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Row r = curve.get(i);
            double[] d = {r.seconds(), r.trainReconstruction(), r.testReconstruction(), r.testPseudoLl(), r.testLl(),
                r.logZ(), r.logZStderr()};
            for (int c = 0; c < d.length; c++) {
                cols[c][i] = d[c];
            }
            how.append(i > 0 ? "," : "").append(r.llMethod());
        }
        for (int c = 0; c < cols.length; c++) {
            v.put("curve." + c, cols[c]);
        }
        v.put("curve.method", how.toString());
        return v;
    }

    private static List<Row> rows(Checkpoint cp, int n) {
        double[][] cols = new double[7][];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = cp.getDoubles("curve." + c);
        }
        String[] how = cp.getString("curve.method").split(",", -1);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Row(i + 1, cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], cols[5][i],
                    cols[6][i], how[i]));
        }
        return rows;
    }

    private static List<List<?>> cells(List<Row> curve) {
        List<List<?>> rows = new ArrayList<>();
        for (Row r : curve) {
            rows.add(r.cells());
        }
        return rows;
    }

    private static void printRow(PrintWriter w, Row r) {
        String ll = r.llMethod().isEmpty() ? ""
                : String.format(Locale.ROOT, "  test LL %.2f (%s%s)", r.testLl(), r.llMethod(),
                        r.llMethod().equals("ais") ? String.format(Locale.ROOT, ", log Z ± %.2f", r.logZStderr())
                                : "");
        w.printf(Locale.ROOT, "epoch %4d  %7.1fs  recon train %.2f test %.2f  test PLL %.2f%s%n", r.epoch(),
                r.seconds(), r.trainReconstruction(), r.testReconstruction(), r.testPseudoLl(), ll);
        w.flush();
    }

    /**
     * samples.png: fresh block-Gibbs chains from the data-mean Bernoulli after --sample-steps steps;
     * chains.png: the persistent chains; weights.png: each hidden unit's weights (up to 100), scaled to [0, 1].
     */
    private void writePictures(RunOutput out, Rbm rbm, double[] mean, int rows, int cols, int[] persistent) {
        int v = rbm.visible();
        int[] x0 = new int[samples * v];
        SplittableRandom rng = new SplittableRandom(Seeds.of(common.seed, 4));
        for (int i = 0; i < x0.length; i++) {
            x0[i] = rng.nextDouble() < mean[i % v] ? 1 : 0;
        }
        ChainState state = new ChainState(rbm, x0, samples, Seeds.of(common.seed, 5));
        RbmBlockGibbs gibbs = new RbmBlockGibbs();
        gibbs.init(state);
        for (int s = 0; s < sampleSteps; s++) {
            gibbs.step(state);
        }
        int columns = 10;
        Plots.imageGrid(out.resolve("samples.png"), images(state.x(), samples, v), rows, cols, columns, 2);
        Plots.imageGrid(out.resolve("chains.png"), images(persistent, persistent.length / v, v), rows, cols,
                columns, 2);
        int shown = Math.min(100, rbm.hidden());
        double[][] w = rbm.weights();
        float[][] filters = new float[shown][v];
        for (int j = 0; j < shown; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double x : w[j]) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            for (int i = 0; i < v; i++) {
                filters[j][i] = hi > lo ? (float) ((w[j][i] - lo) / (hi - lo)) : 0.5f;
            }
        }
        Plots.imageGrid(out.resolve("weights.png"), filters, rows, cols, columns, 2);
    }

    private static float[][] images(int[] x, int n, int v) {
        float[][] im = new float[n][v];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < v; i++) {
                im[c][i] = x[c * v + i];
            }
        }
        return im;
    }

    private void writeSummary(RunOutput out, List<Row> curve) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = options();
        s.put("negativeSamples", "block Gibbs with the closed-form conditionals; hidden units summed out in the "
                + "gradient");
        s.put("testLikelihood", hidden <= Rbm.MAX_ENUMERATED_HIDDEN ? "exact (log Z by enumerating 2^H hidden "
                + "states)" : "AIS, Salakhutdinov-Murray path, block Gibbs, base Bernoulli(clipped training mean)");
        summary.put("settings", s);
        Row last = curve.get(curve.size() - 1);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epochs", last.epoch());
        r.put("seconds", last.seconds());
        r.put("trainReconstruction", last.trainReconstruction());
        r.put("testReconstruction", last.testReconstruction());
        r.put("testPseudoLogLikelihood", last.testPseudoLl());
        r.put("testLogLikelihood", nullIfNaN(last.testLl()));
        r.put("logZ", nullIfNaN(last.logZ()));
        r.put("logZStderr", nullIfNaN(last.logZStderr()));
        r.put("logLikelihoodMethod", last.llMethod());
        summary.put("results", r);
        summary.put("files", List.of("model.json", "curve.csv", "curve_likelihood.png", "curve_reconstruction.png",
                "samples.png", "chains.png", "weights.png", CHECKPOINT));
        out.json("summary.json", summary);

        List<Plots.Series> ll = new ArrayList<>();
        ll.add(series("test pseudo-log-likelihood", curve, Row::testPseudoLl));
        Plots.Series exact = series("test log-likelihood (" + (hidden <= Rbm.MAX_ENUMERATED_HIDDEN ? "exact" : "AIS")
                + ")", curve, Row::testLl);
        if (exact.x().length > 0) {
            ll.add(exact);
        }
        String title = "RBM " + hidden + " hidden on " + images.data;
        Plots.lines(out.resolve("curve_likelihood.png"), title, "epoch", "nats per image", ll, false, false);
        Plots.lines(out.resolve("curve_reconstruction.png"), title, "epoch",
                "squared reconstruction error per image", List.of(series("train (batches)", curve,
                        Row::trainReconstruction), series("test", curve, Row::testReconstruction)), false, false);
    }

    private static Plots.Series series(String name, List<Row> curve, java.util.function.ToDoubleFunction<Row> f) {
        List<double[]> points = new ArrayList<>();
        for (Row r : curve) {
            double y = f.applyAsDouble(r);
            if (Double.isFinite(y)) {
                points.add(new double[] {r.epoch(), y});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Plots.Series(name, x, y);
    }

    static Object nullIfNaN(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
