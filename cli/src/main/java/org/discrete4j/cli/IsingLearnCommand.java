package org.discrete4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import org.discrete4j.learn.IsingPcd;
import org.discrete4j.model.IsingModel;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Seeds;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code d4j ising-learn}: the Ising structure-learning comparison of Grathwohl et al., "Oops I Took A Gradient",
 * ICML 2021 (their pcd.py): data from a lattice Ising model, every pairwise coupling learned by persistent
 * contrastive divergence with each sampler, scored by the RMSE of the learned coupling matrix. A training run:
 * each sampler checkpoints every few iterations and {@code --resume} continues where a run stopped.
 */
@Command(name = "ising-learn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Learn the couplings of an Ising model from data by persistent contrastive divergence (PCD) with each",
            "sampler drawing the model's expectations, and compare the samplers by log10 RMSE of the learned",
            "coupling matrix (all D^2 entries, as the paper) against iterations and against seconds of training.",
            "Data: --data states from a periodic LxL lattice with coupling J (log p~ = J sum_<ij> s_i s_j +",
            "h sum_i s_i, s = 2x - 1, each bond once; the paper's sigma is J / 2), each the final state of its own",
            "Swendsen-Wang chain of --data-steps steps from a uniform start (exact in the limit; SW mixes in a few",
            "steps away from the critical point). The learner frees all D(D-1)/2 couplings (fields held at h),",
            "starts from J ~ N(0, 0.01^2) and uniform persistent chains (the same for every sampler), and each",
            "iteration runs --steps sampler steps on the chains, draws a batch of data and takes one Adam step on",
            "mean_data s_i s_j - mean_chains s_i s_j.",
            "With no options: a 10x10 lattice at J = 0.5 (the paper's sigma = 0.25, just below its critical",
            "temperature), 2000 data states, 256 chains, batch 256, 10 sampler steps per iteration (from the paper's",
            "grid 5..100), 1000 iterations, Adam learning rate 0.002 (the paper's 0.001 on its half-size J),",
            "samplers gibbs-sweep, gibbs, bg-2, hb-10-1, gwg.",
            "Checkpoints every --checkpoint-every iterations into --out/checkpoints; --resume continues from the",
            "last one (redoing a final partial chunk) and gives the same couplings as an uninterrupted run.",
            "Writes summary.json, ising_learn.csv, log_rmse_iterations.png, log_rmse_seconds.png, model-true.json",
            "and model-<sampler>.json (the learned model, readable by d4j sample --model-file) to --out."})
public final class IsingLearnCommand implements Callable<Integer> {

    static final List<String> DEFAULT_SAMPLERS = List.of("gibbs-sweep", "gibbs", "bg-2", "hb-10-1", "gwg");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--size", paramLabel = "L", description = "Lattice side (default: ${DEFAULT-VALUE}).")
    int size = 10;

    @Option(names = "--coupling", paramLabel = "J", description = "Coupling of the data model; the paper's sigma "
            + "is J / 2 (default: ${DEFAULT-VALUE}).")
    double coupling = 0.5;

    @Option(names = "--field", paramLabel = "h", description = "Field of the data model, held fixed by the learner "
            + "(default: ${DEFAULT-VALUE}).")
    double field = 0.0;

    @Option(names = "--data", paramLabel = "N", description = "Data states (default: ${DEFAULT-VALUE}).")
    int data = 2000;

    @Option(names = "--data-sampler", paramLabel = "NAME",
            description = "Kernel drawing the data (default: ${DEFAULT-VALUE}; Swendsen-Wang needs J >= 0, use "
                    + "gibbs-sweep otherwise, with --data-steps a multiple of L^2).")
    String dataSampler = "sw";

    @Option(names = "--data-steps", paramLabel = "N",
            description = "Steps of each data chain (default: ${DEFAULT-VALUE}).")
    int dataSteps = 1000;

    @Option(names = "--samplers", split = ",", paramLabel = "NAME",
            description = "Samplers to train with, or all for every one that applies (default: ${DEFAULT-VALUE}).")
    List<String> samplers = DEFAULT_SAMPLERS;

    @Option(names = "--chains", paramLabel = "C", description = "Persistent chains (default: ${DEFAULT-VALUE}).")
    int chains = 256;

    @Option(names = "--batch", paramLabel = "B", description = "Data states per iteration (default: "
            + "${DEFAULT-VALUE}).")
    int batch = 256;

    @Option(names = "--steps", paramLabel = "K", description = "Sampler steps per iteration (default: "
            + "${DEFAULT-VALUE}).")
    int steps = 10;

    @Option(names = "--iterations", paramLabel = "N", description = "PCD iterations per sampler (default: "
            + "${DEFAULT-VALUE}).")
    int iterations = 1000;

    @Option(names = "--lr", paramLabel = "R", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.002;

    @Option(names = "--every", paramLabel = "k", description = "Measure the RMSE every k iterations (default: "
            + "${DEFAULT-VALUE}).")
    int every = 10;

    @Option(names = "--checkpoint-every", paramLabel = "k",
            description = "Iterations per chunk: a checkpoint after each (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 100;

    @Option(names = "--resume", description = "Continue from the checkpoints in --out.")
    boolean resume;

    @Option(names = "--budgets", split = ",", paramLabel = "ITERATIONS",
            description = "Iteration budgets of the summary table; --iterations is always one (default: "
                    + "${DEFAULT-VALUE}).")
    List<Long> budgets = List.of(100L, 300L);

    /** Initial coupling scale, as the reference code's G ~ 0.01 N(0, 1). */
    static final double INIT_STD = 0.01;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        IsingModel truth = IsingModel.lattice(size, coupling, field);
        List<String> names = SampleCommand.chooseSamplers(cl, truth, samplers, "--samplers");
        SampleCommand.chooseSamplers(cl, truth, List.of(dataSampler), "--data-sampler");
        if (common.out == null && resume) {
            throw new ParameterException(cl, "--resume needs --out, the folder of the run to continue");
        }
        RunOutput out = RunOutput.open(common.out, "ising-learn");
        Path checkpoints = out.resolve("checkpoints");
        if (!resume && Files.isDirectory(checkpoints)) {
            throw new ParameterException(cl, "--out " + out.dir() + " already holds checkpoints: add --resume to "
                    + "continue that run, or choose another --out");
        }
        out.json("model-true.json", ModelFiles.parameters(truth, options()));
        int d = truth.dim();
        double[] target = IsingPcd.couplingsOf(truth);
        double[] fields = truth.fields();
        Curves curves = new Curves("iteration", "log10_rmse");
        Map<String, double[]> learned = new LinkedHashMap<>();
        String fingerprint = fingerprint();
        try (NDManager manager = NDManager.newBaseManager();
                Progress bar = Progress.start("ising-learn", (long) names.size() * iterations, common.quiet)) {
            bar.message("data");
            int[] x = IsingPcd.draw(truth, dataSampler, data, dataSteps, Seeds.of(common.seed, 0));
            for (String name : names) {
                bar.message(name);
                IsingPcd.Settings s = new IsingPcd.Settings(name, chains, batch, steps, learningRate, INIT_STD);
                try (IsingPcd pcd = new IsingPcd(x, data, fields, s, manager, Seeds.of(common.seed, 1))) {
                    Curves.Curve curve = curves.start(name);
                    Path file = checkpoints.resolve(name + ".ckpt");
                    double elapsed = 0;
                    if (resume && Files.isRegularFile(file)) {
                        elapsed = restore(cl, file, manager, pcd, curve, fingerprint);
                    } else {
                        curve.add(0, 0, Math.log10(IsingPcd.rmse(pcd.couplings(), target, d)));
                    }
                    bar.stepBy(pcd.iteration());
                    while (pcd.iteration() < iterations) {
                        long chunk = pcd.iteration() / checkpointEvery;
                        SplittableRandom rng = new SplittableRandom(Seeds.of(common.seed, 2, chunk));
                        pcd.resetSampler();
                        long end = Math.min(iterations, (chunk + 1) * checkpointEvery);
                        while (pcd.iteration() < end) {
                            long t0 = System.nanoTime();
                            pcd.iterate(rng);
                            elapsed += (System.nanoTime() - t0) * 1e-9;
                            bar.step();
                            if (pcd.iteration() % every == 0 || pcd.iteration() == iterations) {
                                curve.add(pcd.iteration(), elapsed,
                                        Math.log10(IsingPcd.rmse(pcd.couplings(), target, d)));
                            }
                        }
                        if (pcd.iteration() % checkpointEvery == 0) {
                            // Only at chunk boundaries: a resumed run restarts a chunk from its seed, never midway.
                            save(file, pcd, curve, elapsed, fingerprint);
                        }
                    }
                    learned.put(name, pcd.couplings());
                }
            }
        }
        write(out, truth, target, fields, curves, learned);
        if (!common.quiet) {
            printTable(cl.getOut(), truth, curves);
            cl.getOut().println("results in " + out.dir());
        }
        return 0;
    }

    /** Everything that must match for a checkpoint to continue this run. */
    private String fingerprint() {
        return String.format(Locale.ROOT, "size=%d coupling=%s field=%s data=%d dataSampler=%s dataSteps=%d "
                + "chains=%d batch=%d steps=%d lr=%s every=%d checkpointEvery=%d seed=%d", size,
                Double.toString(coupling), Double.toString(field), data, dataSampler, dataSteps, chains, batch, steps,
                Double.toString(learningRate), every, checkpointEvery, common.seed);
    }

    private static void save(Path file, IsingPcd pcd, Curves.Curve curve, double elapsed, String fingerprint) {
        Map<String, NDArray> arrays = pcd.arrays("pcd");
        Map<String, Object> values = new LinkedHashMap<>(pcd.values("pcd"));
        values.put("settings", fingerprint);
        values.put("elapsedSeconds", elapsed);
        values.put("curve.iteration", curve.x());
        values.put("curve.seconds", curve.seconds());
        values.put("curve.log10_rmse", curve.values(0));
        Checkpoint.save(file, arrays, values);
    }

    /** Restores the learner and its curve; returns the training seconds spent so far. */
    private static double restore(CommandLine cl, Path file, NDManager manager, IsingPcd pcd, Curves.Curve curve,
            String fingerprint) {
        Checkpoint c = Checkpoint.load(file, manager);
        if (!fingerprint.equals(c.getString("settings"))) {
            throw new ParameterException(cl, "checkpoint " + file + " was written with other settings ("
                    + c.getString("settings") + "); rerun with those or without --resume in a new --out");
        }
        pcd.restore(c, "pcd");
        double[] it = c.getDoubles("curve.iteration");
        double[] sec = c.getDoubles("curve.seconds");
        double[] v = c.getDoubles("curve.log10_rmse");
        for (int i = 0; i < it.length; i++) {
            curve.add(it[i], sec[i], v[i]);
        }
        for (NDArray a : c.arrays().values()) {
            a.close();
        }
        return c.getDouble("elapsedSeconds");
    }

    private void checkOptions(CommandLine cl) {
        if (size < 2) {
            throw new ParameterException(cl, "--size must be >= 2, got " + size);
        }
        if (!Double.isFinite(coupling) || !Double.isFinite(field)) {
            throw new ParameterException(cl, "--coupling and --field must be finite numbers");
        }
        if (data < 1 || dataSteps < 0 || chains < 1 || batch < 1 || steps < 0 || iterations < 1) {
            throw new ParameterException(cl, "--data, --chains, --batch, --iterations must be >= 1 and --data-steps,"
                    + " --steps >= 0");
        }
        if (batch > data) {
            throw new ParameterException(cl, "--batch (" + batch + ") must not exceed --data (" + data + ")");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ParameterException(cl, "--lr must be finite and > 0, got " + learningRate);
        }
        if (every < 1 || checkpointEvery < 1) {
            throw new ParameterException(cl, "--every and --checkpoint-every must be >= 1");
        }
    }

    private Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", "ising");
        o.put("size", size);
        o.put("coupling", coupling);
        o.put("field", field);
        return o;
    }

    private void write(RunOutput out, IsingModel truth, double[] target, double[] fields, Curves curves,
            Map<String, double[]> learned) {
        int d = truth.dim();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = new LinkedHashMap<>(options());
        s.put("description", truth.toString());
        s.put("paperSigma", coupling / 2);
        s.put("data", data);
        s.put("dataSampler", dataSampler);
        s.put("dataSteps", dataSteps);
        s.put("dataMeaning", "each data state is the final state of its own " + dataSampler + " chain of "
                + dataSteps + " steps from a uniform start");
        s.put("samplers", curves.all().stream().map(c -> c.sampler).toList());
        s.put("chains", chains);
        s.put("batch", batch);
        s.put("steps", steps);
        s.put("iterations", iterations);
        s.put("learningRate", learningRate);
        s.put("initialCouplingStd", INIT_STD);
        s.put("learned", "all " + IsingPcd.pairs(d) + " pair couplings; fields held at the truth");
        s.put("metric", "log10 RMSE over all D^2 entries of the symmetric coupling matrix (each bond once; the "
                + "paper's J is half of ours, so its RMSE is half: log10 lower by 0.301)");
        s.put("seconds", "wall time of the PCD iterations (sampling, statistics, Adam), summed over resumed parts");
        s.put("checkpointEvery", checkpointEvery);
        summary.put("settings", s);
        summary.put("initialLog10Rmse", Curves.num(Math.log10(IsingPcd.rmse(new double[target.length], target, d))));
        summary.put("initialMeaning", "log10 RMSE of all-zero couplings");
        Map<String, Object> table = curves.budgetTable(summary, 0, budgets, iterations);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Curves.Curve c : curves.all()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("sampler", c.sampler);
            double[] v = c.values(0);
            e.put("finalLog10Rmse", Curves.num(c.tailMean(0, 0.1)));
            e.put("lastLog10Rmse", Curves.num(v[v.length - 1]));
            e.put("seconds", c.totalSeconds());
            e.putAll(RbmMmdCommand.castMap(table.get(c.sampler)));
            results.add(e);
            out.json("model-" + c.sampler + ".json", ModelFiles.parameters(IsingPcd.model(learned.get(c.sampler),
                    fields), null));
        }
        summary.put("finalMeaning", "finalLog10Rmse is the mean over the last 10% of the measurements (PCD "
                + "oscillates); lastLog10Rmse the last one");
        summary.put("results", results);
        out.json("summary.json", summary);
        curves.csv(out, "ising_learn.csv");
        String title = truth + ": log10 RMSE of learned couplings";
        curves.plot(out, "log_rmse_iterations.png", 0, false, title, Map.of());
        curves.plot(out, "log_rmse_seconds.png", 0, true, true, title + " against training time", Map.of());
    }

    private void printTable(PrintWriter w, IsingModel truth, Curves curves) {
        long[] xb = Curves.xBudgets(budgets, iterations);
        w.printf(Locale.ROOT, "%s; %d data states, %d chains, %d steps per iteration%n", truth, data, chains, steps);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-12s %9s", "sampler", "seconds"));
        for (long b : xb) {
            head.append(String.format(Locale.ROOT, " %10s", "@" + b));
        }
        w.println(head + "   (log10 RMSE of the couplings)");
        for (Curves.Curve c : curves.all()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s %9.2f", c.sampler,
                    c.totalSeconds()));
            for (long b : xb) {
                row.append(String.format(Locale.ROOT, " %10.3f", c.atX(0, b)));
            }
            w.println(row);
        }
    }
}
