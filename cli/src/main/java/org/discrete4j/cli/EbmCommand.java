package org.discrete4j.cli;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.learn.EbmData;
import org.discrete4j.learn.EbmFiles;
import org.discrete4j.learn.EbmTrainer;
import org.discrete4j.learn.EnergyNetwork;
import org.discrete4j.model.NeuralEnergy;
import org.discrete4j.train.Seeds;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j ebm}: train a deep energy-based model on binary images (Grathwohl et al. 2021, §6). */
@Command(name = "ebm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a deep energy-based model log p~(x) = net(x) + log Bernoulli(x; training pixel means) on binarised",
            "images as Grathwohl et al. (ICML 2021) do: persistent contrastive divergence with a replay buffer, K",
            "sampler steps per iteration (Gibbs-with-Gradients by default), Adam with linear learning-rate warm-up,",
            "and an EMA copy of the weights for evaluation. Defaults are the paper's settings except the network",
            "(the paper's resnet-64 is too slow for a CPU; --energy resnet builds it).",
            "Every --eval-every iterations the EMA model is scored on held-out training images by a short AIS run",
            "(mean log p~ - log Z, biased high by the short schedule, the same seed each time); the best is kept as",
            "model-best.ckpt, the last as model-final.ckpt. --test-temperatures T > 0 scores the best model on the",
            "test set by AIS at the end.",
            "Writes summary.json, curve.csv, validation.csv, learning_curve.png, validation.png, buffer.png",
            "(replay-buffer states) and data.png to --out, and checkpoint.ckpt every --checkpoint-every iterations;",
            "--resume continues from it exactly."})
public final class EbmCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ImageDataOptions images;

    @Option(names = "--data-seed", paramLabel = "S",
            description = "Seed of the static binarisations, shared with train-rbm and ais (default: "
                    + "${DEFAULT-VALUE}).")
    long dataSeed = 0;

    @Option(names = "--validation", paramLabel = "N",
            description = "Training images held out for validation (default: ${DEFAULT-VALUE}).")
    int validation = 1000;

    @Option(names = "--energy", paramLabel = "NET", description = "mlp or resnet (default: ${DEFAULT-VALUE}).")
    String energy = "mlp";

    @Option(names = "--width", paramLabel = "W",
            description = "Hidden units (mlp; default 256) or channels (resnet; default 64).")
    Integer width;

    @Option(names = "--iterations", paramLabel = "N", description = "Training iterations (default: ${DEFAULT-VALUE}).")
    int iterations = 50_000;

    @Option(names = "--batch", paramLabel = "B",
            description = "Data images and buffer states per iteration (default: ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--steps", paramLabel = "K", description = "Sampler steps per iteration (default: ${DEFAULT-VALUE}).")
    int steps = 40;

    @Option(names = "--sampler", paramLabel = "NAME",
            description = "Sampler of the buffer states (default: ${DEFAULT-VALUE}). Known: ${COMPLETION-CANDIDATES}.",
            completionCandidates = SampleCommand.Names.class)
    String sampler = "gwg";

    @Option(names = "--buffer", paramLabel = "N", description = "Replay buffer size (default: ${DEFAULT-VALUE}).")
    int buffer = 10_000;

    @Option(names = "--reinit", paramLabel = "P",
            description = "Probability that a buffer state is reinitialised when taken (default: ${DEFAULT-VALUE}, "
                    + "as the paper's runs).")
    double reinit = 0;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 1e-4;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Iterations of linear learning-rate warm-up (default: ${DEFAULT-VALUE}).")
    int warmup = 10_000;

    @Option(names = "--ema", paramLabel = "D", description = "EMA decay (default: ${DEFAULT-VALUE}).")
    double ema = 0.999;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Iterations per checkpoint (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 1000;

    @Option(names = "--log-every", paramLabel = "N",
            description = "Iterations per learning-curve row; divides --checkpoint-every (default: ${DEFAULT-VALUE}).")
    int logEvery = 100;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "Iterations between validation scores; a multiple of --checkpoint-every (default: "
                    + "${DEFAULT-VALUE}).")
    int evalEvery = 5000;

    @Option(names = "--val-temperatures", paramLabel = "T",
            description = "AIS temperatures of a validation score (default: ${DEFAULT-VALUE}; the paper: 10,000).")
    int valTemperatures = 2000;

    @Option(names = "--val-chains", paramLabel = "C",
            description = "AIS runs of a validation score (default: ${DEFAULT-VALUE}).")
    int valChains = 50;

    @Option(names = "--eval-sampler", paramLabel = "NAME",
            description = "AIS transition kernel (default: ${DEFAULT-VALUE}).")
    String evalSampler = "gwg";

    @Option(names = "--test-temperatures", paramLabel = "T",
            description = "AIS temperatures for the best model's test log-likelihood at the end; 0 skips it "
                    + "(default: ${DEFAULT-VALUE}; the paper: 300,000).")
    int testTemperatures = 0;

    @Option(names = "--test-chains", paramLabel = "C",
            description = "AIS runs for the test log-likelihood (default: ${DEFAULT-VALUE}; the paper: 500).")
    int testChains = 100;

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out.")
    boolean resume;

    /** States shown in buffer.png and data.png. */
    static final int GRID = 100;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Binarization bin = parseBinarization(cl);
        EbmTrainer.Settings settings = settings(cl);
        if (resume && common.out == null) {
            throw new ParameterException(cl, "--resume needs --out, the folder of the run to continue");
        }
        EbmData prepared = load(cl, bin);
        RunOutput out = RunOutput.open(common.out, "ebm");
        boolean continuing = EbmTrainer.hasCheckpoint(out.dir());
        if (continuing && !resume) {
            throw new ParameterException(cl, out.dir() + " holds a checkpoint: pass --resume to continue it, or "
                    + "choose another --out");
        }
        Map<String, Object> all = new LinkedHashMap<>(prepared.describe());
        all.putAll(settings.toMap());
        all.put("testTemperatures", testTemperatures);
        all.put("testChains", testChains);
        all.put("base", "Bernoulli(training pixel means * (1 - 2 * 0.01) + 0.01), inside the energy and the AIS base");
        all.put("validationScore", "mean log p~(x_val) - log Z, log Z by AIS with valTemperatures x valChains, "
                + "same seed at every evaluation; EMA weights");
        Map<String, Object> test = null;
        try (NDManager manager = NDManager.newBaseManager()) {
            EbmTrainer trainer = continuing
                    ? EbmTrainer.resume(settings, prepared, out.dir(), manager)
                    : EbmTrainer.start(settings, prepared, out.dir(), manager);
            int rows = prepared.train().rows();
            int cols = prepared.train().cols();
            Plots.imageGrid(out.resolve("data.png"), dataImages(prepared), rows, cols, 10, 2);
            try (Progress bar = Progress.start("ebm", settings.iterations(), common.quiet)) {
                bar.stepBy(trainer.iteration());
                while (!trainer.done()) {
                    long before = trainer.iteration();
                    trainer.runChunk();
                    trainer.checkpoint();
                    bar.stepBy(trainer.iteration() - before);
                    bar.message(status(trainer));
                    writeOutputs(out, trainer, all, rows, cols, null);
                }
            }
            if (testTemperatures > 0) {
                test = testLogLikelihood(out, prepared, manager);
            }
            writeOutputs(out, trainer, all, rows, cols, test);
            if (!common.quiet) {
                cl.getOut().println(status(trainer));
                if (test != null) {
                    cl.getOut().printf(Locale.ROOT, "test log-likelihood %.2f nats (AIS: %d temperatures x %d chains, "
                            + "log Z %.2f +- %.2f)%n", (Double) test.get("logLikelihood"), testTemperatures,
                            testChains, (Double) test.get("logZ"), (Double) test.get("logZStderr"));
                }
                cl.getOut().println("results in " + out.dir());
            }
        }
        return 0;
    }

    private static String status(EbmTrainer t) {
        List<double[]> curve = t.curve();
        double[] last = curve.get(curve.size() - 1);
        return String.format(Locale.ROOT, "iteration %d: log p~ data %.2f, buffer %.2f; best validation %.2f at %d",
                t.iteration(), last[2], last[3], t.bestValidation(), t.bestIteration());
    }

    private Map<String, Object> testLogLikelihood(RunOutput out, EbmData prepared, NDManager manager) {
        long t0 = System.nanoTime();
        NeuralEnergy best = EbmFiles.load(out.dir(), manager);
        EbmTrainer.LogLikelihood ll = EbmTrainer.logLikelihood(best, prepared.baseMean(), prepared.test(),
                evalSampler, testChains, testTemperatures, Seeds.of(common.seed, -3));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", EbmFiles.BEST);
        m.put("images", prepared.testCount());
        m.put("sampler", evalSampler);
        m.put("temperatures", testTemperatures);
        m.put("chains", testChains);
        m.put("logLikelihood", ll.value());
        m.put("meanLogProb", ll.meanLogProb());
        m.put("logZ", ll.ais().logZ());
        m.put("logZStderr", ll.ais().stderr());
        m.put("weightEss", ll.ais().weightEss());
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        return m;
    }

    private void writeOutputs(RunOutput out, EbmTrainer t, Map<String, Object> settings, int rows, int cols,
            Map<String, Object> test) {
        List<List<?>> curveRows = new ArrayList<>();
        for (double[] r : t.curve()) {
            List<Object> row = new ArrayList<>();
            row.add((long) r[0]);
            for (int j = 1; j < r.length; j++) {
                row.add(r[j]);
            }
            curveRows.add(row);
        }
        out.csv("curve.csv", EbmTrainer.CURVE, curveRows);
        List<List<?>> valRows = new ArrayList<>();
        for (EbmTrainer.Validation v : t.validations()) {
            valRows.add(List.of(v.iteration(), v.logLikelihood(), v.meanLogProb(), v.logZ(), v.logZStderr(),
                    v.weightEss(), v.seconds()));
        }
        out.csv("validation.csv", List.of("iteration", "log_likelihood", "mean_logp", "log_z", "log_z_stderr",
                "weight_ess", "seconds"), valRows);
        plotCurves(out, t);
        Plots.imageGrid(out.resolve("buffer.png"), t.buffer().images(GRID), rows, cols, 10, 2);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        summary.put("settings", settings);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("iterations", t.iteration());
        results.put("seconds", t.seconds());
        results.put("bestValidation", t.bestValidation());
        results.put("bestIteration", t.bestIteration());
        if (!t.validations().isEmpty()) {
            results.put("lastValidation", t.validations().get(t.validations().size() - 1));
        }
        double[] last = t.curve().get(t.curve().size() - 1);
        Map<String, Object> lastRow = new LinkedHashMap<>();
        for (int j = 0; j < last.length; j++) {
            lastRow.put(EbmTrainer.CURVE.get(j), last[j]);
        }
        results.put("lastCurveRow", lastRow);
        if (test != null) {
            results.put("test", test);
        }
        summary.put("results", results);
        summary.put("files", Map.of("best", EbmFiles.BEST, "final", EbmFiles.FINAL, "checkpoint",
                EbmTrainer.CHECKPOINT, "load", "org.discrete4j.learn.EbmFiles.load(dir or file, manager)"));
        out.json("summary.json", summary);
    }

    private static void plotCurves(RunOutput out, EbmTrainer t) {
        int n = t.curve().size();
        double[] x = new double[n];
        double[] data = new double[n];
        double[] buffer = new double[n];
        for (int i = 0; i < n; i++) {
            double[] r = t.curve().get(i);
            x[i] = r[0];
            data[i] = r[2];
            buffer[i] = r[3];
        }
        Plots.lines(out.resolve("learning_curve.png"), "log p~ of data and replay-buffer states", "iteration",
                "mean log p~ (nats)", List.of(new Plots.Series("data", x, data), new Plots.Series("buffer", x,
                        buffer)), false, false);
        int m = t.validations().size();
        if (m > 0) {
            double[] vx = new double[m];
            double[] vy = new double[m];
            for (int i = 0; i < m; i++) {
                vx[i] = t.validations().get(i).iteration();
                vy[i] = t.validations().get(i).logLikelihood();
            }
            Plots.lines(out.resolve("validation.png"), "validation log-likelihood (short AIS, EMA weights)",
                    "iteration", "nats per image", List.of(new Plots.Series("validation", vx, vy)), false, false);
        }
    }

    private static float[][] dataImages(EbmData d) {
        int n = Math.min(GRID, d.train().count());
        float[][] out = new float[n][d.dim()];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d.dim(); j++) {
                out[i][j] = d.train().pixel(i, j) / 255f;
            }
        }
        return out;
    }

    private Binarization parseBinarization(CommandLine cl) {
        try {
            return Binarization.parse(images.binarization);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--binarization: " + e.getMessage());
        }
    }

    private EbmTrainer.Settings settings(CommandLine cl) {
        if (!EnergyNetwork.KINDS.contains(energy)) {
            throw new ParameterException(cl, "--energy must be one of " + EnergyNetwork.KINDS + ", got '" + energy
                    + "'");
        }
        if (testTemperatures != 0 && testTemperatures < 2) {
            throw new ParameterException(cl, "--test-temperatures must be 0 (skip) or >= 2, got " + testTemperatures);
        }
        if (testChains < 1) {
            throw new ParameterException(cl, "--test-chains must be >= 1, got " + testChains);
        }
        int w = width != null ? width : energy.equals("mlp") ? 256 : 64;
        try {
            return new EbmTrainer.Settings(energy, w, iterations, batch, steps, sampler, buffer, reinit, lr, warmup,
                    ema, checkpointEvery, logEvery, evalEvery, valTemperatures, valChains, evalSampler, common.seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    private EbmData load(CommandLine cl, Binarization bin) {
        ImageSet train = images.load(cl, Datasets.Split.TRAIN);
        ImageSet test = images.load(cl, Datasets.Split.TEST);
        try {
            EbmData d = EbmData.prepare(images.data, train, test, bin, validation, dataSeed);
            if (batch > d.train().count()) {
                throw new IllegalArgumentException("--batch " + batch + " exceeds the " + d.train().count()
                        + " training images");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }
}
