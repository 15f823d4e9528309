package org.discrete4j.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.diagnostic.Ais;
import org.discrete4j.learn.AisLikelihood;
import org.discrete4j.learn.EbmFiles;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.Samplers;
import org.discrete4j.train.Seeds;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j ais}: log Z of an energy model by annealed importance sampling, and its test log-likelihood. */
@Command(name = "ais", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Annealed importance sampling (Neal 2001) of log Z of a binary energy model, and its log-likelihood",
            "(mean log p~(x) - log Z, nats per image) on a data set, as Grathwohl et al. (ICML 2021) evaluate energy",
            "models: base Bernoulli(training pixel means clipped to [0.01, 0.99]), linear schedule in beta, one",
            "transition per temperature. For an RBM with rbm-gibbs (the default) the path is Salakhutdinov and",
            "Murray's (2008), on which block Gibbs is exact; any other exact sampler runs on the geometric path.",
            "AIS underestimates log Z (so overestimates the likelihood) when there are too few temperatures.",
            "--validate instead checks AIS against the exact log Z of an RBM with H <= " + Rbm.MAX_ENUMERATED_HIDDEN
                    + " over a range of temperatures.",
            "Writes summary.json and log_weights.csv (or validate.csv and validate.png) to --out."})
public final class AisCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model-file", paramLabel = "FILE", required = true,
            description = "model.json of the model (from d4j train-rbm or d4j sample), or a deep EBM saved by d4j ebm"
                    + " (its output folder, whose best-validation model is read, or a .ckpt in it).")
    Path modelFile;

    @Option(names = "--data", paramLabel = "SET",
            description = "mnist-10k, fashion-mnist or a folder of IDX files (default: the model's training set "
                    + "from model.json, else mnist-10k).")
    String data;

    @Option(names = "--binarization", paramLabel = "B",
            description = "static, dynamic or threshold (default: the model's, else static).")
    String binarization;

    @Option(names = "--data-seed", paramLabel = "S",
            description = "Seed of the static binarisations (default: the model's, else 0).")
    Long dataSeed;

    @Option(names = "--split", paramLabel = "SPLIT",
            description = "Images to score: test or train (default: ${DEFAULT-VALUE}).")
    String split = "test";

    @Option(names = "--sampler", paramLabel = "NAME",
            description = "Transition kernel (default: rbm-gibbs for an RBM, else gwg). Known: ${COMPLETION-CANDIDATES}.",
            completionCandidates = SampleCommand.Names.class)
    String sampler;

    @Option(names = "--chains", paramLabel = "C",
            description = "Independent AIS runs (default: ${DEFAULT-VALUE}; Grathwohl et al. used 500).")
    int chains = 100;

    @Option(names = "--temperatures", paramLabel = "T",
            description = "Temperatures, i.e. transitions + 1 (default: ${DEFAULT-VALUE}; Grathwohl et al. used "
                    + "300,000 for deep EBMs, Salakhutdinov and Murray 14,500 for RBMs).")
    int temperatures = 30_000;

    @Option(names = "--validate", description = "Compare AIS with the exact log Z of the model (an RBM with H <= "
            + Rbm.MAX_ENUMERATED_HIDDEN + ") at each of --validate-temperatures.")
    boolean validate;

    @Option(names = "--validate-temperatures", split = ",", paramLabel = "T",
            description = "Schedules for --validate (default: ${DEFAULT-VALUE}).")
    List<Integer> validateTemperatures = List.of(10, 30, 100, 300, 1000, 3000, 10000);

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        boolean ebm = EbmFiles.isEbm(modelFile); // reads the file: once, here
        if (!ebm && !Files.isRegularFile(modelFile)) {
            throw new ParameterException(cl, "--model-file " + modelFile + " is neither a readable file nor a d4j ebm"
                    + " output folder");
        }
        try (NDManager manager = NDManager.newBaseManager()) { // a deep EBM's weights and evaluations
            EnergyModel model = ebm ? EbmFiles.load(modelFile, manager) : ModelFiles.read(cl, modelFile);
            return run(cl, model, ebm ? EbmFiles.about(modelFile) : trainingOptions(cl));
        }
    }

    /** Scores {@code model}, trained with {@code trained} (data, binarisation, data seed, if known). */
    private int run(CommandLine cl, EnergyModel model, Map<String, Object> trained) {
        String set = data != null ? data : (String) trained.getOrDefault("data", Datasets.MNIST_10K);
        Binarization bin = parseBinarization(cl, binarization != null ? binarization
                : (String) trained.getOrDefault("binarization", "static"));
        long seedOfData = dataSeed != null ? dataSeed : ((Number) trained.getOrDefault("dataSeed", 0)).longValue();
        String kernel = sampler != null ? sampler : model instanceof Rbm ? AisLikelihood.RBM_GIBBS : "gwg";
        checkSampler(cl, kernel, model);
        Datasets.Split which = "train".equals(split) ? Datasets.Split.TRAIN : Datasets.Split.TEST;
        ImageSet train = TrainingOptions.load(cl, set, Datasets.Split.TRAIN, 0);
        ImageSet images = which == Datasets.Split.TRAIN ? train : TrainingOptions.load(cl, set, which, 0);
        if (train.dim() != model.dim()) {
            throw new ParameterException(cl, "--data " + set + " has " + train.dim() + " pixels, the model "
                    + model.dim() + " sites");
        }
        double[] mean = AisLikelihood.trainingSet(train, bin, seedOfData).pixelMeans();
        RunOutput out = RunOutput.open(common.out, "ais");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("modelFile", modelFile.toString());
        settings.put("model", model.toString());
        settings.put("data", set);
        settings.put("binarization", bin.name().toLowerCase(Locale.ROOT));
        settings.put("dataSeed", seedOfData);
        settings.put("sampler", kernel);
        settings.put("chains", chains);
        settings.put("path", AisLikelihood.RBM_GIBBS.equals(kernel) && model instanceof Rbm
                ? "Salakhutdinov-Murray (RBM parameters scaled by beta, base visible biases scaled by 1 - beta)"
                : "geometric: beta log p~ + (1 - beta) log base");
        settings.put("base", "Bernoulli(training pixel means clipped to [0.01, 0.99])");
        settings.put("schedule", "linear in beta, one transition per intermediate temperature");
        if (validate) {
            return validate(cl, out, (Rbm) model, kernel, mean, settings);
        }
        settings.put("split", which == Datasets.Split.TRAIN ? "train" : "test");
        settings.put("temperatures", temperatures);
        int[] x = AisLikelihood.evaluationSet(images, which, bin, seedOfData);
        long t0 = System.nanoTime();
        Ais.Result ais;
        try (Progress bar = Progress.start("ais", chains, common.quiet)) {
            long[] done = {0};
            ais = AisLikelihood.logZ(model, kernel, mean, chains, temperatures, common.seed, n -> {
                bar.stepBy(n - done[0]);
                done[0] = n;
            });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        AisLikelihood.Result r = AisLikelihood.of(model, kernel, ais, x, images.count());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(cl.getParseResult().originalArgs(), common.seed));
        summary.put("settings", settings);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("logZ", r.logZ());
        res.put("logZStderr", r.logZStderr());
        res.put("weightEss", r.weightEss());
        res.put("images", images.count());
        res.put("meanLogProb", r.meanLogProb());
        res.put("meanLogProbStderr", r.meanLogProbStderr());
        res.put("logLikelihood", r.logLikelihood());
        res.put("seconds", seconds);
        summary.put("results", res);
        out.json("summary.json", summary);
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < ais.logWeights().length; i++) {
            rows.add(List.of(i, ais.logWeights()[i]));
        }
        out.csv("log_weights.csv", List.of("run", "log_weight"), rows);
        if (!common.quiet) {
            PrintWriter w = cl.getOut();
            w.printf(Locale.ROOT, "%s, %s, %d runs x %d temperatures (%.1f s)%n", model, kernel, chains,
                    temperatures, seconds);
            w.printf(Locale.ROOT, "log Z = %.3f ± %.3f (weight ESS %.1f of %d)%n", r.logZ(), r.logZStderr(),
                    r.weightEss(), chains);
            w.printf(Locale.ROOT, "%s log-likelihood = %.3f nats per image (mean log p~ %.3f ± %.3f over %d images)%n",
                    settings.get("split"), r.logLikelihood(), r.meanLogProb(), r.meanLogProbStderr(),
                    images.count());
            w.println("results in " + out.dir());
        }
        return 0;
    }

    /** AIS against the exact log Z at each schedule length: validate.csv, validate.png, summary.json. */
    private int validate(CommandLine cl, RunOutput out, Rbm rbm, String kernel, double[] mean,
            Map<String, Object> settings) {
        double exact = rbm.logZ();
        List<List<?>> rows = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        int n = validateTemperatures.size();
        double[] ts = new double[n];
        double[] err = new double[n];
        double[] se = new double[n];
        PrintWriter w = cl.getOut();
        if (!common.quiet) {
            w.printf(Locale.ROOT, "%s, exact log Z = %.4f; AIS with %s, %d runs%n", rbm, exact, kernel, chains);
            w.printf(Locale.ROOT, "%12s %12s %10s %10s %10s %9s%n", "temperatures", "log Z AIS", "stderr", "|error|",
                    "weight ESS", "seconds");
        }
        for (int i = 0; i < n; i++) {
            int t = validateTemperatures.get(i);
            long t0 = System.nanoTime();
            Ais.Result r = AisLikelihood.logZ(rbm, kernel, mean, chains, t, Seeds.of(common.seed, i), null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double e = Math.abs(r.logZ() - exact);
            ts[i] = t;
            err[i] = e;
            se[i] = r.stderr();
            rows.add(List.of(t, r.logZ(), r.stderr(), exact, e, r.weightEss(), seconds));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("temperatures", t);
            m.put("logZ", r.logZ());
            m.put("stderr", r.stderr());
            m.put("absError", e);
            m.put("weightEss", r.weightEss());
            m.put("seconds", seconds);
            results.add(m);
            if (!common.quiet) {
                w.printf(Locale.ROOT, "%12d %12.4f %10.4f %10.4f %10.1f %9.2f%n", t, r.logZ(), r.stderr(), e,
                        r.weightEss(), seconds);
                w.flush();
            }
        }
        out.csv("validate.csv", List.of("temperatures", "log_z_ais", "stderr", "log_z_exact", "abs_error",
                "weight_ess", "seconds"), rows);
        Plots.lines(out.resolve("validate.png"), "AIS against exact log Z, " + rbm + " (" + chains + " runs, "
                + kernel + ")", "temperatures", "nats", List.of(new Plots.Series("|log Z AIS - log Z|", ts,
                        floor(err)), new Plots.Series("AIS standard error", ts, floor(se))), true, true);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(cl.getParseResult().originalArgs(), common.seed));
        settings.put("validateTemperatures", validateTemperatures);
        summary.put("settings", settings);
        summary.put("exactLogZ", exact);
        summary.put("results", results);
        out.json("summary.json", summary);
        if (!common.quiet) {
            w.println("results in " + out.dir());
        }
        return 0;
    }

    /** A log axis cannot show 0: errors below 1e-6 nats are drawn at 1e-6. */
    private static double[] floor(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(v[i], 1e-6);
        }
        return out;
    }

    private void checkOptions(CommandLine cl) {
        if (chains < 1) {
            throw new ParameterException(cl, "--chains must be >= 1, got " + chains);
        }
        if (temperatures < 2) {
            throw new ParameterException(cl, "--temperatures must be >= 2, got " + temperatures);
        }
        if (!"test".equals(split) && !"train".equals(split)) {
            throw new ParameterException(cl, "--split must be test or train, got " + split);
        }
        if (validateTemperatures.isEmpty() || validateTemperatures.stream().anyMatch(t -> t < 2)) {
            throw new ParameterException(cl, "--validate-temperatures must list numbers >= 2");
        }
    }

    private void checkSampler(CommandLine cl, String kernel, EnergyModel model) {
        if (validate && !(model instanceof Rbm && ((Rbm) model).hidden() <= Rbm.MAX_ENUMERATED_HIDDEN)) {
            throw new ParameterException(cl, "--validate needs an RBM with at most " + Rbm.MAX_ENUMERATED_HIDDEN
                    + " hidden units (exact log Z), got " + model);
        }
        if (model.numValues() != 2) {
            throw new ParameterException(cl, "AIS with a Bernoulli base needs a binary model, got " + model);
        }
        try {
            var k = Samplers.create(kernel);
            if (!k.appliesTo(model)) {
                throw new ParameterException(cl, "sampler " + kernel + " does not apply to " + model);
            }
            if (!k.exact()) {
                throw new ParameterException(cl, "AIS needs an exact sampler; " + kernel + " is approximate");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    /** The "options" map of a model.json written by d4j train-rbm, or empty. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> trainingOptions(CommandLine cl) {
        try {
            Object o = RunOutput.readJson(modelFile).get("options");
            return o instanceof Map ? (Map<String, Object>) o : Map.of();
        } catch (IOException e) {
            throw new ParameterException(cl, "--model-file " + modelFile + " is not a model.json: " + e.getMessage());
        }
    }

    private static Binarization parseBinarization(CommandLine cl, String s) {
        try {
            return Binarization.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }
}
