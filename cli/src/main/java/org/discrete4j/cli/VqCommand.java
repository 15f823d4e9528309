package org.discrete4j.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.schedule.Exponential;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.vae.VqAutoencoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j vq}: VQ autoencoders (EMA, restarts, codebook loss) against a Gumbel-softmax one with the same bits. */
@Command(name = "vq", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train autoencoders with a discrete bottleneck of L positions x K codes",
            "(L*log2 K bits) on grey-level images; compare test reconstruction error",
            "and codebook usage (perplexity, dead codes). Methods:",
            "  vq-ema             nearest code, EMA codebook, dead-code restart",
            "  vq-codebook-loss   nearest code, codebook trained by its loss, no EMA",
            "  vq-ema-no-restart  nearest code, EMA codebook, no restart",
            "  gumbel-softmax, st-gumbel-softmax, gumbel-rao, reinmax, st:",
            "                     a categorical over the same K codes per position,",
            "                     trained with that gradient estimator",
            "Model: MLP encoder P-H-H-(L*D) and decoder (L*D)-H-H-P, ReLU, linear",
            "output. Loss: squared error per pixel / training pixel variance, plus",
            "beta * commitment (VQ) and the codebook loss (vq-codebook-loss).",
            "Test error: mean squared error per pixel (grey levels in [0, 1]) of the",
            "deterministic codes (nearest code, or most probable code).",
            "Writes summary.json, curves.csv, test_mse.png, perplexity.png, usage.png,",
            "reconstructions.png (originals, then one row per method) and",
            "checkpoint-<method>.ckpt (every epoch) to --out; --resume continues them."})
public final class VqCommand implements Callable<Integer> {

    static final String DEFAULT_METHODS = "vq-ema,vq-codebook-loss,vq-ema-no-restart,gumbel-softmax,st-gumbel-softmax";

    /** Test images per evaluation batch (no gradient, so larger than training batches). */
    static final int EVAL_BATCH = 500;

    static final List<String> CURVE_HEADER = List.of("method", "epoch", "steps", "train_loss", "train_mse",
            "train_perplexity", "train_dead_codes", "test_mse", "test_perplexity", "test_dead_codes", "tau",
            "seconds");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--data", paramLabel = "SET",
            description = "mnist-10k, fashion-mnist or a folder of MNIST-style IDX files (default: ${DEFAULT-VALUE}).")
    String data = Datasets.MNIST_10K;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "Methods to compare (default: " + DEFAULT_METHODS + ").")
    List<String> methods = List.of(DEFAULT_METHODS.split(","));

    @Option(names = "--epochs", paramLabel = "E", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 30;

    @Option(names = "--batch-size", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--lr", paramLabel = "R", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 1e-3;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Width of the two hidden layers of encoder and decoder (default: ${DEFAULT-VALUE}).")
    int hidden = 512;

    @Option(names = "--positions", paramLabel = "L", description = "Latent positions (default: ${DEFAULT-VALUE}).")
    int positions = 16;

    @Option(names = "--dimension", paramLabel = "D",
            description = "Dimension of each latent vector and code (default: ${DEFAULT-VALUE}).")
    int dimension = 64;

    @Option(names = "--codes", paramLabel = "K", description = "Codebook size K (default: ${DEFAULT-VALUE}).")
    int codes = 512;

    @Option(names = "--commitment", paramLabel = "BETA",
            description = "Commitment cost beta (default: ${DEFAULT-VALUE}).")
    double commitment = 0.25;

    @Option(names = "--decay", paramLabel = "G", description = "EMA decay gamma (default: ${DEFAULT-VALUE}).")
    double decay = 0.99;

    @Option(names = "--dead-code-limit", paramLabel = "N",
            description = "vq-ema restarts a code unused for N consecutive steps (default: ${DEFAULT-VALUE}).")
    int deadCodeLimit = 32;

    @Option(names = "--tau0", paramLabel = "T", description = "Initial temperature (default: ${DEFAULT-VALUE}).")
    double tau0 = 1.0;

    @Option(names = "--tau-min", paramLabel = "T", description = "Final temperature (default: ${DEFAULT-VALUE}).")
    double tauMin = 0.5;

    @Option(names = "--tau-rate", paramLabel = "R",
            description = "tau = max(tau-min, tau0 exp(-R t)) (default: ${DEFAULT-VALUE}).")
    double tauRate = 1e-3;

    @Option(names = "--tau-every", paramLabel = "N",
            description = "Steps between temperature updates (default: ${DEFAULT-VALUE}).")
    int tauEvery = 100;

    @Option(names = "--draws", paramLabel = "K",
            description = "Draws per estimate for gumbel-rao (default: ${DEFAULT-VALUE}).")
    int draws = 4;

    @Option(names = "--train-size", paramLabel = "N", description = "Use only the first N training images.")
    Integer trainSize;

    @Option(names = "--test-size", paramLabel = "N", description = "Use only the first N test images.")
    Integer testSize;

    @Option(names = "--grid", paramLabel = "N",
            description = "Test images in reconstructions.png, per row (default: ${DEFAULT-VALUE}).")
    int grid = 16;

    @Option(names = "--resume", description = "Continue the checkpoints in --out (same settings, more epochs or"
            + " an interrupted run).")
    boolean resume;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        ImageSet train = load(cl, Datasets.Split.TRAIN, trainSize);
        ImageSet test = load(cl, Datasets.Split.TEST, testSize);
        if (train.rows() * train.cols() != test.rows() * test.cols()) {
            throw new ParameterException(cl, "train and test images differ in size: " + train.rows() + "x"
                    + train.cols() + " and " + test.rows() + "x" + test.cols());
        }
        VqAutoencoder.Settings settings = new VqAutoencoder.Settings(train.pixelMeans(), hidden, positions, dimension, codes,
                learningRate, commitment, decay, deadCodeLimit, VqAutoencoder.pixelVariance(train),
                new Exponential(tau0, tauRate, tauMin, tauEvery), draws);
        RunOutput out = RunOutput.open(common.out, "vq");
        Map<String, Object> hyper = hyperParameters(train, test, settings);
        String signature = hyper.toString();
        List<Map<String, Object>> results = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        List<float[]> grids = new ArrayList<>();
        int shown = Math.min(grid, test.count());
        for (float[] image : originals(test, shown)) {
            grids.add(image);
        }
        List<Plots.Series> mse = new ArrayList<>();
        List<Plots.Series> perplexity = new ArrayList<>();
        try (Progress bar = Progress.start("vq", (long) methods.size() * epochs, common.quiet)) {
            for (String method : methods) {
                bar.message(method);
                Curve curve = train(cl, out, method, settings, signature, train, test, bar, grids, shown);
                curve.addTo(method, rows);
                mse.add(new Plots.Series(method, curve.epochs(), curve.column(Curve.TEST_MSE)));
                perplexity.add(new Plots.Series(method, curve.epochs(), curve.column(Curve.TEST_PERPLEXITY)));
                results.add(curve.result(method, settings));
            }
        }
        write(out, hyper, results, rows, grids, shown, train, mse, perplexity);
        if (!common.quiet) {
            printTable(cl, results);
            cl.getOut().println("results in " + out.dir());
        }
        return 0;
    }

    /** Trains one method from scratch or from its checkpoint; appends its reconstructions to {@code grids}. */
    private Curve train(CommandLine cl, RunOutput out, String method, VqAutoencoder.Settings settings,
            String signature, ImageSet train, ImageSet test, Progress bar, List<float[]> grids, int shown) {
        Path file = out.resolve("checkpoint-" + method + ".ckpt");
        try (NDManager manager = NDManager.newBaseManager()) {
            VqAutoencoder model = VqAutoencoder.create(method, settings, manager, common.seed);
            Curve curve = new Curve();
            if (resume && Files.exists(file)) {
                try (NDManager scratch = manager.newSubManager()) {
                    Checkpoint c = Checkpoint.load(file, scratch);
                    if (!signature.equals(c.getString("settings"))) {
                        throw new ParameterException(cl, "--resume: " + file + " was written with other settings:\n  "
                                + c.getString("settings") + "\nnow:\n  " + signature);
                    }
                    model.load(c);
                    curve = Curve.restore(c);
                    if (curve.size() > epochs) {
                        throw new ParameterException(cl, "--resume: " + file + " already holds " + curve.size()
                                + " epochs, more than --epochs " + epochs);
                    }
                }
            }
            bar.stepBy(Math.min(curve.size(), epochs));
            for (int epoch = curve.size(); epoch < epochs; epoch++) {
                VqAutoencoder.EpochStats s = model.trainEpoch(train, batchSize, common.seed, epoch);
                VqAutoencoder.Evaluation e = model.evaluate(test, EVAL_BATCH);
                curve.add(epoch + 1, model.steps(), s, e);
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("settings", signature);
                curve.saveTo(values);
                // The scope frees the small arrays that state() creates (counters), so epochs leave nothing behind.
                try (NDScope scope = new NDScope()) {
                    Checkpoint.save(file, model.state(), values);
                }
                bar.step();
                if (!common.quiet && System.console() == null) {
                    cl.getOut().printf(Locale.ROOT, "%s epoch %d/%d: loss %.4f, test mse %.5f, perplexity %.1f,"
                            + " dead %d (%.1f s)%n", method, epoch + 1, epochs, s.loss(), e.mse(),
                            e.usage().perplexity(), e.usage().unused(), s.seconds());
                    cl.getOut().flush();
                }
            }
            for (float[] image : model.reconstruct(test, 0, shown)) {
                grids.add(image);
            }
            return curve;
        }
    }

    private void checkOptions(CommandLine cl) {
        positive(cl, epochs, "--epochs");
        positive(cl, batchSize, "--batch-size");
        positive(cl, hidden, "--hidden");
        positive(cl, positions, "--positions");
        positive(cl, dimension, "--dimension");
        positive(cl, deadCodeLimit, "--dead-code-limit");
        positive(cl, tauEvery, "--tau-every");
        positive(cl, draws, "--draws");
        positive(cl, grid, "--grid");
        if (codes < 2) {
            throw new ParameterException(cl, "--codes must be >= 2, got " + codes);
        }
        if (trainSize != null) {
            positive(cl, trainSize, "--train-size");
        }
        if (testSize != null) {
            positive(cl, testSize, "--test-size");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ParameterException(cl, "--lr must be finite and > 0, got " + learningRate);
        }
        if (!(commitment >= 0) || Double.isInfinite(commitment)) {
            throw new ParameterException(cl, "--commitment must be finite and >= 0, got " + commitment);
        }
        if (!(decay > 0 && decay < 1)) {
            throw new ParameterException(cl, "--decay must lie in (0, 1), got " + decay);
        }
        if (!(tauMin > 0) || !(tau0 >= tauMin) || Double.isInfinite(tau0)) {
            throw new ParameterException(cl, "temperatures must satisfy 0 < --tau-min <= --tau0 < infinity, got "
                    + tauMin + " and " + tau0);
        }
        if (!(tauRate >= 0) || Double.isInfinite(tauRate)) {
            throw new ParameterException(cl, "--tau-rate must be finite and >= 0, got " + tauRate);
        }
        if (new HashSet<>(methods).size() != methods.size()) {
            throw new ParameterException(cl, "--methods lists a method twice: " + String.join(",", methods));
        }
        List<String> lower = new ArrayList<>();
        for (String m : methods) {
            try {
                VqAutoencoder.checkMethod(m);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, e.getMessage());
            }
            lower.add(m.toLowerCase(Locale.ROOT));
        }
        methods = lower;
        if (resume && common.out == null) {
            throw new ParameterException(cl, "--resume needs --out, the folder of the run to continue");
        }
    }

    private static void positive(CommandLine cl, int value, String name) {
        if (value < 1) {
            throw new ParameterException(cl, name + " must be >= 1, got " + value);
        }
    }

    private ImageSet load(CommandLine cl, Datasets.Split split, Integer limit) {
        ImageSet set;
        try {
            set = Datasets.load(data, split);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--data " + data + ": " + e.getMessage());
        }
        return limit == null || limit >= set.count() ? set : set.subset(0, limit);
    }

    /** Every setting that shapes the result (and so must match on --resume), in a stable order. */
    private Map<String, Object> hyperParameters(ImageSet train, ImageSet test, VqAutoencoder.Settings s) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("data", data);
        h.put("train_source", train.source());
        h.put("train_images", train.count());
        h.put("test_source", test.source());
        h.put("test_images", test.count());
        h.put("pixels", s.pixels());
        h.put("grey_levels", "pixel / 255 in [0, 1], not binarised");
        h.put("reconstruction_loss", "mean squared error per pixel / training pixel variance");
        h.put("pixel_variance", s.dataVariance());
        h.put("decoder_output_bias_init", "training mean image");
        h.put("architecture", "encoder " + s.pixels() + "-" + s.hidden() + "-" + s.hidden() + "-"
                + s.positions() * s.dimension() + " ReLU; decoder " + s.positions() * s.dimension() + "-"
                + s.hidden() + "-" + s.hidden() + "-" + s.pixels() + " ReLU, linear output");
        h.put("hidden", s.hidden());
        h.put("positions", s.positions());
        h.put("dimension", s.dimension());
        h.put("codes", s.codes());
        h.put("bits", s.bits());
        h.put("optimizer", "Adam(beta1 0.9, beta2 0.999, eps 1e-8)");
        h.put("learning_rate", s.learningRate());
        h.put("batch_size", batchSize);
        h.put("seed", common.seed);
        h.put("commitment_cost", s.commitmentCost());
        h.put("ema_decay", s.decay());
        h.put("ema_epsilon", 1e-5);
        h.put("dead_code_limit_steps", s.deadCodeLimit());
        h.put("codebook_init", "Uniform(-1/K, 1/K)");
        h.put("temperature", "max(" + tauMin + ", " + tau0 + " exp(-" + tauRate + " t)), t updated every " + tauEvery
                + " steps");
        h.put("tau0", tau0);
        h.put("tau_min", tauMin);
        h.put("tau_rate", tauRate);
        h.put("tau_every", tauEvery);
        h.put("draws", draws);
        h.put("categorical_head", "shared Linear D->K logits per position; shared K->D embedding for the decoder");
        h.put("evaluation", "deterministic codes: nearest code (VQ), argmax of the logits (categorical)");
        return h;
    }

    private static List<float[]> originals(ImageSet test, int n) {
        List<float[]> out = new ArrayList<>();
        int d = test.dim();
        for (int i = 0; i < n; i++) {
            float[] image = new float[d];
            for (int j = 0; j < d; j++) {
                image[j] = test.pixel(i, j) / 255f;
            }
            out.add(image);
        }
        return out;
    }

    private void write(RunOutput out, Map<String, Object> hyper, List<Map<String, Object>> results,
            List<List<?>> rows, List<float[]> grids, int shown, ImageSet train, List<Plots.Series> mse,
            List<Plots.Series> perplexity) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> settings = new LinkedHashMap<>(hyper);
        settings.put("epochs", epochs);
        settings.put("methods", methods);
        summary.put("settings", settings);
        summary.put("results", results);
        out.json("summary.json", summary);
        out.csv("curves.csv", CURVE_HEADER, rows);
        Plots.lines(out.resolve("test_mse.png"), "Test reconstruction error (" + data + ")", "epoch",
                "MSE per pixel", mse, false, true);
        Plots.lines(out.resolve("perplexity.png"), "Test codebook perplexity (K = " + codes + ")", "epoch",
                "perplexity", perplexity, false, false);
        double[] perp = new double[results.size()];
        double[] used = new double[results.size()];
        for (int i = 0; i < perp.length; i++) {
            perp[i] = ((Number) results.get(i).get("test_perplexity")).doubleValue();
            used[i] = ((Number) results.get(i).get("test_codes_used")).doubleValue();
        }
        Plots.bars(out.resolve("usage.png"), "Codebook usage on the test set (K = " + codes + ")", "codes", methods,
                List.of("perplexity", "codes used"), List.of(perp, used), false);
        Plots.imageGrid(out.resolve("reconstructions.png"), grids.toArray(new float[0][]), train.rows(),
                train.cols(), shown, 2);
    }

    private void printTable(CommandLine cl, List<Map<String, Object>> results) {
        java.io.PrintWriter w = cl.getOut();
        w.printf(Locale.ROOT, "%d positions x %d codes = %.0f bits; test: mean squared error per pixel of the"
                + " deterministic codes; perplexity and dead codes over all test positions%n", positions, codes,
                positions * Math.log(codes) / Math.log(2));
        w.printf(Locale.ROOT, "%-18s %10s %11s %6s %11s %6s %9s%n", "method", "test MSE", "perplexity", "dead",
                "train perp.", "dead", "seconds");
        for (Map<String, Object> r : results) {
            w.printf(Locale.ROOT, "%-18s %10.5f %11.1f %6d %11.1f %6d %9.1f%n", r.get("method"), r.get("test_mse"),
                    r.get("test_perplexity"), r.get("test_dead_codes"), r.get("train_perplexity"),
                    r.get("train_dead_codes"), r.get("train_seconds"));
        }
    }

    /** A method's learning curve, one row per epoch; kept in its checkpoint so a resumed run reports it whole. */
    static final class Curve {
        static final String[] COLUMNS = {"epoch", "steps", "train_loss", "train_mse", "train_perplexity",
            "train_dead_codes", "test_mse", "test_perplexity", "test_dead_codes", "tau", "seconds",
            "test_codes_used", "train_codes_used"};
        static final int TEST_MSE = 6;
        static final int TEST_PERPLEXITY = 7;

        private final List<double[]> rows = new ArrayList<>();

        int size() {
            return rows.size();
        }

        void add(int epoch, long steps, VqAutoencoder.EpochStats s, VqAutoencoder.Evaluation e) {
            rows.add(new double[] {epoch, steps, s.loss(), s.mse(), s.usage().perplexity(), s.usage().unused(),
                e.mse(), e.usage().perplexity(), e.usage().unused(), s.temperature(), s.seconds(), e.usage().used(),
                s.usage().used()});
        }

        double[] column(int c) {
            double[] out = new double[rows.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rows.get(i)[c];
            }
            return out;
        }

        double[] epochs() {
            return column(0);
        }

        void saveTo(Map<String, Object> values) {
            for (int c = 0; c < COLUMNS.length; c++) {
                values.put("curve." + COLUMNS[c], column(c));
            }
        }

        static Curve restore(Checkpoint c) {
            Curve curve = new Curve();
            double[][] columns = new double[COLUMNS.length][];
            for (int i = 0; i < COLUMNS.length; i++) {
                columns[i] = c.getDoubles("curve." + COLUMNS[i]);
            }
            for (int r = 0; r < columns[0].length; r++) {
                double[] row = new double[COLUMNS.length];
                for (int i = 0; i < COLUMNS.length; i++) {
                    row[i] = columns[i][r];
                }
                curve.rows.add(row);
            }
            return curve;
        }

        void addTo(String method, List<List<?>> out) {
            for (double[] r : rows) {
                out.add(List.of(method, (long) r[0], (long) r[1], r[2], r[3], r[4], (long) r[5], r[6], r[7],
                        (long) r[8], Double.isNaN(r[9]) ? "" : r[9], r[10]));
            }
        }

        /** The last epoch's figures and the totals. */
        Map<String, Object> result(String method, VqAutoencoder.Settings s) {
            double[] last = rows.get(rows.size() - 1);
            double seconds = 0;
            for (double[] r : rows) {
                seconds += r[10];
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("bits", s.bits());
            m.put("epochs", (long) last[0]);
            m.put("steps", (long) last[1]);
            m.put("test_mse", last[6]);
            m.put("test_perplexity", last[7]);
            m.put("test_codes_used", (long) last[11]);
            m.put("test_dead_codes", (long) last[8]);
            m.put("train_loss", last[2]);
            m.put("train_mse", last[3]);
            m.put("train_perplexity", last[4]);
            m.put("train_codes_used", (long) last[12]);
            m.put("train_dead_codes", (long) last[5]);
            m.put("final_tau", Double.isNaN(last[9]) ? null : last[9]);
            m.put("train_seconds", seconds);
            return m;
        }
    }
}
