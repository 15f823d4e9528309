package org.discrete4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.discrete4j.model.FactorialHmm;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.Trajectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code d4j fhmm}: the factorial-HMM posterior sampling comparison of Grathwohl et al., "Oops I Took A Gradient",
 * ICML 2021 (their fhmm_sample.py): samplers started from prior draws, scored by the log-joint of their chains, the
 * reconstruction error of the observations and the fraction of hidden bits that differ from the ground truth.
 */
@Command(name = "fhmm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compare samplers on the posterior of a factorial HMM: the mean over chains of the log-joint",
            "log p(x, y) (higher is better; the hidden state that generated y is the reference line), of the",
            "reconstruction error sum_t (y_t - mu_t(x))^2 and of the fraction of hidden bits unlike the truth,",
            "against steps and against seconds of sampling.",
            "With no options: the paper's instance, T = 100 time steps, K = 10 hidden chains (1000 bits),",
            "W, b ~ N(0, 1), sigma = 0.5, stay probability 0.95, P(x_0 = 1) = 0.1, drawn from --seed; 100 chains",
            "started from prior draws (the same for every sampler), 5000 steps, the paper's samplers.",
            "Writes summary.json, model.json, fhmm.csv and log_joint_steps.png, log_joint_seconds.png,",
            "reconstruction_steps.png, bit_error_steps.png to --out."})
public final class FhmmCommand implements Callable<Integer> {

    static final List<String> PAPER_SAMPLERS = List.of("gibbs", "bg-2", "hb-10-1", "gwg", "gwg-3", "gwg-5");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "A factorial-HMM model.json (written by d4j sample --model fhmm); default: a random one.")
    Path modelFile;

    @Option(names = "--time-steps", paramLabel = "T", description = "Time steps (default: ${DEFAULT-VALUE}).")
    int timeSteps = 100;

    @Option(names = "--hidden-chains", paramLabel = "K", description = "Hidden binary chains (default: "
            + "${DEFAULT-VALUE}).")
    int hiddenChains = 10;

    @Option(names = "--samplers", split = ",", paramLabel = "NAME",
            description = "Samplers to compare, or all for every one that applies (default: the paper's set, "
                    + "${DEFAULT-VALUE}).")
    List<String> samplers = PAPER_SAMPLERS;

    @Option(names = "--chains", paramLabel = "C", description = "Chains per sampler (default: ${DEFAULT-VALUE}).")
    int chains = 100;

    @Option(names = "--steps", paramLabel = "N", description = "Steps per sampler (default: ${DEFAULT-VALUE}).")
    int steps = 5000;

    @Option(names = "--every", paramLabel = "k", description = "Measure every k steps (default: ${DEFAULT-VALUE}).")
    int every = 10;

    @Option(names = "--budgets", split = ",", paramLabel = "STEPS",
            description = "Step budgets of the summary table; --steps is always one (default: ${DEFAULT-VALUE}).")
    List<Long> budgets = List.of(100L, 1000L);

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        FactorialHmm hmm = model(cl);
        if (hmm.groundTruth() == null) {
            throw new ParameterException(cl, "--model-file " + modelFile + " has no groundTruth hidden state");
        }
        List<String> names = SampleCommand.chooseSamplers(cl, hmm, samplers, "--samplers");
        RunOutput out = RunOutput.open(common.out, "fhmm");
        out.json("model.json", ModelFiles.parameters(hmm, modelFile != null ? null : randomOptions()));

        double[] truth = new double[1];
        hmm.logProb(hmm.groundTruth(), 1, truth);
        int[] x0 = new int[chains * hmm.dim()];
        hmm.samplePrior(x0, chains, new SplittableRandom(common.seed ^ 0xBB67AE8584CAA73BL));
        Curves curves = new Curves("step", "log_joint", "reconstruction_error", "bit_error");
        List<Trajectory.Summary> runs = new ArrayList<>();
        try (Progress bar = Progress.start("fhmm", (long) names.size() * steps, common.quiet)) {
            for (String name : names) {
                Curves.Curve curve = curves.start(name);
                runs.add(SamplerRuns.run(name, hmm, x0, chains, steps, every, common.seed,
                        (t, sec, st) -> curve.add(t, sec, figures(hmm, st)), bar));
            }
        }
        write(out, hmm, names, curves, runs, truth[0]);
        if (!common.quiet) {
            printTable(cl.getOut(), hmm, curves, runs, truth[0]);
            cl.getOut().println("results in " + out.dir());
        }
        return 0;
    }

    /** Means over chains of the log-joint, the reconstruction error and the bit error. */
    static double[] figures(FactorialHmm hmm, ChainState state) {
        double[] f = new double[3];
        int n = state.chains();
        for (int c = 0; c < n; c++) {
            f[0] += state.logProb()[c];
            f[1] += hmm.reconstructionError(state.x(), c);
            f[2] += hmm.bitError(state.x(), c);
        }
        for (int i = 0; i < 3; i++) {
            f[i] /= n;
        }
        return f;
    }

    private void checkOptions(CommandLine cl) {
        if (chains < 1 || steps < 1) {
            throw new ParameterException(cl, "--chains and --steps must be >= 1");
        }
        if (every < 1 || every > steps) {
            throw new ParameterException(cl, "--every must be between 1 and --steps (" + steps + "), got " + every);
        }
        if (timeSteps < 1 || hiddenChains < 1) {
            throw new ParameterException(cl, "--time-steps and --hidden-chains must be >= 1");
        }
        if (modelFile != null && !Files.isRegularFile(modelFile)) {
            throw new ParameterException(cl, "--model-file " + modelFile + " is not a readable file");
        }
    }

    private FactorialHmm model(CommandLine cl) {
        if (modelFile == null) {
            return FactorialHmm.random(timeSteps, hiddenChains, common.seed);
        }
        return ModelFiles.read(cl, modelFile, FactorialHmm.class, "a factorial HMM");
    }

    private Map<String, Object> randomOptions() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", "fhmm");
        o.put("timeSteps", timeSteps);
        o.put("hiddenChains", hiddenChains);
        o.put("seed", common.seed);
        return o;
    }

    private void write(RunOutput out, FactorialHmm hmm, List<String> names, Curves curves,
            List<Trajectory.Summary> runs, double truth) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", modelFile != null ? hmm + " from " + modelFile : hmm + ", random instance of the paper's "
                + "setting (W, b ~ N(0, 1), sigma 0.5, stay 0.95, initial 0.1)");
        s.put("timeSteps", hmm.timeSteps());
        s.put("hiddenChains", hmm.hiddenChains());
        s.put("samplers", names);
        s.put("chains", chains);
        s.put("steps", steps);
        s.put("every", every);
        s.put("start", "draws from the prior of the hidden chains, the same for every sampler");
        s.put("figures", "means over chains: log_joint = log p(x, y); reconstruction_error = sum_t (y_t - mu_t)^2; "
                + "bit_error = fraction of hidden bits unlike the state that generated y");
        s.put("seconds", "wall time of the sampler's steps only, after a JIT warm-up run");
        summary.put("settings", s);
        summary.put("trueLogJoint", truth);
        Map<String, Object> table = curves.budgetTable(summary, 0, budgets, steps);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Trajectory.Summary r : runs) {
            Curves.Curve c = curves.get(r.kernel());
            Map<String, Object> e = SamplerRuns.entry(r);
            e.put("finalLogJoint", Curves.num(c.tailMean(0, 0.1)));
            e.put("finalReconstructionError", Curves.num(c.tailMean(1, 0.1)));
            e.put("finalBitError", Curves.num(c.tailMean(2, 0.1)));
            e.put("logJoint", table.get(r.kernel()));
            results.add(e);
        }
        summary.put("finalMeaning", "means of each figure over the last 10% of the measurements");
        summary.put("results", results);
        out.json("summary.json", summary);
        curves.csv(out, "fhmm.csv");
        String title = hmm + ": ";
        curves.plot(out, "log_joint_steps.png", 0, false, title + "log-joint (mean over chains)",
                Map.of("true hidden state", truth));
        curves.plot(out, "log_joint_seconds.png", 0, true, true, title + "log-joint against sampling time",
                Map.of("true hidden state", truth));
        curves.plot(out, "reconstruction_steps.png", 1, false, title + "reconstruction error", Map.of());
        curves.plot(out, "bit_error_steps.png", 2, false, title + "fraction of bits unlike the truth", Map.of());
    }

    private void printTable(PrintWriter w, FactorialHmm hmm, Curves curves, List<Trajectory.Summary> runs,
            double truth) {
        w.printf(Locale.ROOT, "%s; %d chains, %d steps; log-joint of the true hidden state %.2f%n", hmm, chains,
                steps, truth);
        w.printf(Locale.ROOT, "%-10s %7s %9s %12s %12s %12s %10s%n", "sampler", "accept", "seconds", "log-joint",
                "@" + steps / 10, "recon err", "bit err");
        for (Trajectory.Summary r : runs) {
            Curves.Curve c = curves.get(r.kernel());
            w.printf(Locale.ROOT, "%-10s %7.3f %9.3f %12.2f %12.2f %12.3f %10.4f%n", r.kernel(), r.acceptance(),
                    r.seconds(), c.tailMean(0, 0.1), c.atX(0, steps / 10), c.tailMean(1, 0.1), c.tailMean(2, 0.1));
        }
    }
}
