package org.discrete4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.discrete4j.diagnostic.Mmd;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.RbmBlockGibbs;
import org.discrete4j.sampler.Trajectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code d4j rbm-mmd}: the RBM sampling comparison of Grathwohl et al., "Oops I Took A Gradient", ICML 2021 (their
 * rbm_sample.py): ground truth from long block-Gibbs chains, then every sampler from one common start, scored by
 * log10 MMD² to the ground-truth draws against steps and against seconds.
 */
@Command(name = "rbm-mmd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compare samplers on an RBM by how fast their chains approach the model: log10 of the squared maximum",
            "mean discrepancy (kernel exp(-mean Hamming distance), V-statistic) between the chains' current states",
            "and ground-truth draws from long block-Gibbs chains, against steps and against seconds of sampling.",
            "With no options: a random RBM with 100 visible and 25 hidden units, W ~ N(0, 0.05), biases ~ N(0, 1)",
            "(the paper's setting), 500 ground-truth chains of 10000 block-Gibbs steps, 100 test chains of 5000 steps",
            "from one uniform start, the paper's samplers (gibbs = single-site, bg-2, bg-3, hb-10-1, gwg, gwg-3,",
            "gwg-5) and rbm-gibbs (the ground-truth kernel itself) for reference.",
            "The floor is the log-MMD of --chains further ground-truth draws against the ground truth: the",
            "value a perfect sampler reaches.",
            "Writes summary.json (with a table at fixed budgets of steps and seconds), model.json, mmd.csv,",
            "log_mmd_steps.png and log_mmd_seconds.png to --out."})
public final class RbmMmdCommand implements Callable<Integer> {

    static final List<String> PAPER_SAMPLERS = List.of("gibbs", "bg-2", "bg-3", "hb-10-1", "gwg", "gwg-3", "gwg-5",
            "rbm-gibbs");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "An RBM model.json (written by d4j sample or d4j train-rbm); default: a random RBM.")
    Path modelFile;

    @Option(names = "--visible", paramLabel = "V", description = "Visible units of the random RBM (default: "
            + "${DEFAULT-VALUE}).")
    int visible = 100;

    @Option(names = "--hidden", paramLabel = "H", description = "Hidden units of the random RBM (default: "
            + "${DEFAULT-VALUE}).")
    int hidden = 25;

    @Option(names = "--weight-std", paramLabel = "S",
            description = "Standard deviation of the random RBM's weights (default: sqrt(0.05), the paper's).")
    double weightStd = Math.sqrt(0.05);

    @Option(names = "--bias-std", paramLabel = "S",
            description = "Standard deviation of the random RBM's biases (default: ${DEFAULT-VALUE}, the paper's).")
    double biasStd = 1.0;

    @Option(names = "--samplers", split = ",", paramLabel = "NAME",
            description = "Samplers to compare, or all for every one that applies (default: the paper's set, "
                    + "${DEFAULT-VALUE}).")
    List<String> samplers = PAPER_SAMPLERS;

    @Option(names = "--chains", paramLabel = "C", description = "Test chains per sampler, and ground-truth draws "
            + "for the floor (default: ${DEFAULT-VALUE}).")
    int chains = 100;

    @Option(names = "--steps", paramLabel = "N", description = "Steps per sampler (default: ${DEFAULT-VALUE}).")
    int steps = 5000;

    @Option(names = "--every", paramLabel = "k", description = "Measure the MMD every k steps (default: "
            + "${DEFAULT-VALUE}).")
    int every = 10;

    @Option(names = "--gt-chains", paramLabel = "M", description = "Ground-truth draws (default: ${DEFAULT-VALUE}).")
    int gtChains = 500;

    @Option(names = "--gt-steps", paramLabel = "N",
            description = "Block-Gibbs steps of each ground-truth chain (default: ${DEFAULT-VALUE}).")
    int gtSteps = 10_000;

    @Option(names = "--budgets", split = ",", paramLabel = "STEPS",
            description = "Step budgets of the summary table; --steps is always one (default: ${DEFAULT-VALUE}).")
    List<Long> budgets = List.of(10L, 30L, 100L, 300L, 1000L);

    @Option(names = "--tolerance", paramLabel = "DEX",
            description = "A sampler has reached the floor at the first measurement within this many decades above "
                    + "it (default: ${DEFAULT-VALUE}).")
    double tolerance = 0.1;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        Rbm rbm = model(cl);
        List<String> names = SampleCommand.chooseSamplers(cl, rbm, samplers, "--samplers");
        RunOutput out = RunOutput.open(common.out, "rbm-mmd");
        out.json("model.json", ModelFiles.parameters(rbm, modelFile != null ? null : randomOptions()));

        int d = rbm.dim();
        Curves curves = new Curves("step", "log10_mmd");
        List<Trajectory.Summary> runs = new ArrayList<>();
        double floor;
        try (Progress bar = Progress.start("rbm-mmd", (long) gtSteps + (long) names.size() * steps, common.quiet)) {
            bar.message("ground truth");
            // Ground truth: gtChains + chains block-Gibbs chains from a uniform start; the last `chains` of them
            // give the floor, the MMD of a perfect sampler's draws.
            ChainState gt = ChainState.uniform(rbm, gtChains + chains, common.seed ^ 0x6A09E667F3BCC909L);
            Trajectory.run(new RbmBlockGibbs(), gt, gtSteps, Math.max(1, gtSteps), (t, s, st) -> { }, bar::stepBy);
            int[] reference = java.util.Arrays.copyOf(gt.x(), gtChains * d);
            int[] holdout = java.util.Arrays.copyOfRange(gt.x(), gtChains * d, (gtChains + chains) * d);
            floor = logMmd(holdout, chains, reference, gtChains, d);

            int[] x0 = ChainState.uniform(rbm, chains, common.seed).x().clone();
            for (String name : names) {
                Curves.Curve curve = curves.start(name);
                runs.add(SamplerRuns.run(name, rbm, x0, chains, steps, every, common.seed,
                        (t, sec, st) -> curve.add(t, sec, logMmd(st.x(), chains, reference, gtChains, d)), bar));
            }
        }
        write(out, rbm, names, curves, runs, floor);
        if (!common.quiet) {
            printTable(cl.getOut(), rbm, curves, runs, floor);
            cl.getOut().println("results in " + out.dir());
        }
        return 0;
    }

    /** log10 of the V-statistic MMD² between the chains and the reference draws. */
    static double logMmd(int[] x, int n, int[] reference, int m, int d) {
        return Math.log10(Mmd.squared(x, n, reference, m, d));
    }

    private void checkOptions(CommandLine cl) {
        if (chains < 1 || gtChains < 1) {
            throw new ParameterException(cl, "--chains and --gt-chains must be >= 1");
        }
        if (steps < 1 || gtSteps < 0) {
            throw new ParameterException(cl, "--steps must be >= 1 and --gt-steps >= 0");
        }
        if (every < 1 || every > steps) {
            throw new ParameterException(cl, "--every must be between 1 and --steps (" + steps + "), got " + every);
        }
        if (visible < 1 || hidden < 1) {
            throw new ParameterException(cl, "--visible and --hidden must be >= 1");
        }
        if (!(weightStd >= 0) || !(biasStd >= 0) || Double.isInfinite(weightStd) || Double.isInfinite(biasStd)) {
            throw new ParameterException(cl, "--weight-std and --bias-std must be finite and >= 0");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new ParameterException(cl, "--tolerance must be finite and >= 0, got " + tolerance);
        }
        if (modelFile != null && !Files.isRegularFile(modelFile)) {
            throw new ParameterException(cl, "--model-file " + modelFile + " is not a readable file");
        }
    }

    private Rbm model(CommandLine cl) {
        if (modelFile == null) {
            return Rbm.random(visible, hidden, weightStd, biasStd, common.seed);
        }
        return ModelFiles.read(cl, modelFile, Rbm.class, "an RBM");
    }

    private Map<String, Object> randomOptions() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", "rbm");
        o.put("visible", visible);
        o.put("hidden", hidden);
        o.put("weightStd", weightStd);
        o.put("biasStd", biasStd);
        o.put("seed", common.seed);
        return o;
    }

    private void write(RunOutput out, Rbm rbm, List<String> names, Curves curves, List<Trajectory.Summary> runs,
            double floor) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", modelFile != null ? "rbm from " + modelFile : String.format(Locale.ROOT,
                "random rbm, W ~ N(0, %.4g^2), b, c ~ N(0, %.4g^2)", weightStd, biasStd));
        s.put("visible", rbm.visible());
        s.put("hidden", rbm.hidden());
        s.put("samplers", names);
        s.put("chains", chains);
        s.put("steps", steps);
        s.put("every", every);
        s.put("start", "uniform random states, the same for every sampler");
        s.put("groundTruth", gtChains + " block-Gibbs chains (rbm-gibbs) of " + gtSteps + " steps from a uniform "
                + "start");
        s.put("gtChains", gtChains);
        s.put("gtSteps", gtSteps);
        s.put("metric", "log10 of the V-statistic MMD^2 with kernel exp(-mean Hamming distance) between the "
                + "chains' current states and the ground-truth draws");
        s.put("seconds", "wall time of the sampler's steps only, after a JIT warm-up run");
        summary.put("settings", s);
        summary.put("floor", floor);
        summary.put("floorMeaning", "log-MMD of " + chains + " further ground-truth draws against the ground truth");
        Map<String, Object> table = curves.budgetTable(summary, 0, budgets, steps);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Trajectory.Summary r : runs) {
            Map<String, Object> e = SamplerRuns.entry(r);
            Curves.Curve c = curves.get(r.kernel());
            e.put("finalLogMmd", Curves.num(c.tailMean(0, 0.1)));
            int hit = c.firstAtOrBelow(0, floor + tolerance);
            e.put("stepsToFloor", hit < 0 ? null : (long) c.x()[hit]);
            e.put("secondsToFloor", hit < 0 ? null : c.seconds()[hit]);
            e.putAll(castMap(table.get(r.kernel())));
            results.add(e);
        }
        summary.put("finalLogMmdMeaning", "mean log10 MMD^2 over the last 10% of the measurements");
        summary.put("tolerance", tolerance);
        summary.put("stepsToFloorMeaning", "first measured step (and sampling seconds) at which log10 MMD^2 <= floor "
                + "+ tolerance; null if never");
        summary.put("results", results);
        out.json("summary.json", summary);
        curves.csv(out, "mmd.csv");
        Map<String, Double> lines = Map.of("gt-gt floor", floor);
        curves.plot(out, "log_mmd_steps.png", 0, false, true, "RBM " + rbm.visible() + "x" + rbm.hidden()
                + ": log10 MMD^2 to block-Gibbs ground truth", lines);
        curves.plot(out, "log_mmd_seconds.png", 0, true, true, "RBM " + rbm.visible() + "x" + rbm.hidden()
                + ": log10 MMD^2 against sampling time", lines);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private void printTable(java.io.PrintWriter w, Rbm rbm, Curves curves, List<Trajectory.Summary> runs,
            double floor) {
        long[] xb = Curves.xBudgets(budgets, steps);
        w.printf(Locale.ROOT, "RBM %d visible x %d hidden; %d chains, %d steps; gt-gt floor log10 MMD^2 = %.3f%n",
                rbm.visible(), rbm.hidden(), chains, steps, floor);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s %7s %9s", "sampler", "accept",
                "seconds"));
        for (long b : xb) {
            head.append(String.format(Locale.ROOT, " %10s", "@" + b));
        }
        head.append(String.format(Locale.ROOT, " %10s %9s", "final", "to floor"));
        w.println(head);
        for (Trajectory.Summary r : runs) {
            Curves.Curve c = curves.get(r.kernel());
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s %7.3f %9.3f", r.kernel(),
                    r.acceptance(), r.seconds()));
            for (long b : xb) {
                row.append(String.format(Locale.ROOT, " %10.3f", c.atX(0, b)));
            }
            int hit = c.firstAtOrBelow(0, floor + tolerance);
            row.append(String.format(Locale.ROOT, " %10.3f %9s", c.tailMean(0, 0.1), hit < 0 ? "never"
                    : Long.toString((long) c.x()[hit])));
            w.println(row);
        }
    }
}
