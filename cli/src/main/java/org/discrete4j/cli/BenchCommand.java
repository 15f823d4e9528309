package org.discrete4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import org.discrete4j.diagnostic.Ess;
import org.discrete4j.model.ChainLanes;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.ChainRunner;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.GibbsWithGradients;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code d4j bench}: discrete4j against a PyTorch reference on the same machine, side by side (issue 4).
 *
 * <p>The gwg suite runs binary Gibbs-with-Gradients (τ = 2) on an RBM 784×500 and on a 10×10 periodic Ising
 * lattice, 100 chains each: our {@link GibbsWithGradients} kernel through {@link ChainRunner}, and
 * {@code bench/python/gwg_reference.py} (the published algorithm: four autograd evaluations a step) as a
 * subprocess, on the same model.json and reference state. The two sides alternate A B A B for {@code --rounds}
 * rounds so that slow drift of the machine (other processes, clock) falls on both alike; the table shows medians.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Benchmark discrete4j against PyTorch reference scripts on this machine, side by side, interleaved",
            "A B A B over rounds. Suite gwg: Gibbs-with-Gradients (tau = 2), RBM 784x500 and 10x10 periodic Ising",
            "(J = 0.2 per pair, the reference's sigma = 0.1), 100 chains; ms per step after warm-up (the Java side",
            "also runs untimed for 3 s per case first, so that its rounds time the JIT's compiled step) and ESS per",
            "step of the Hamming distance to a fixed reference state (tfp ESS, mean over chains) on each side, and the",
            "machine's matrix-multiply floor for the RBM step (100x500 by 500x784 float32 through DJL, best of 50).",
            "Suite vae: one training step of the categorical VAE 784-512-256-(20x10) (Gumbel-softmax, Adam, batch 100),",
            "d4j vae's step against bench/python/vae_reference.py (F.gumbel_softmax); ms per step, median.",
            "The Python side needs python3 with PyTorch and OpenBLAS: apt-get install python3-torch",
            "libopenblas0-pthread. Threads: --threads sets torch.set_num_threads on the Python side, and on the",
            "Java side both DJL's PyTorch intra-op threads (the RBM gradient product, the matmul floor) and the",
            "threads the GWG step's per-chain work may use (two lanes of chains for large batches).",
            "Writes summary.json, bench.csv, ms_per_step.png and the models' model.json to --out.",
            "--scaling runs the scaling study instead of the suite's table: GWG ms per step against the dimension",
            "(Ising L x L for L = 10..100, RBM 784 x H for H = 100..2000, 100 chains) and against the number of",
            "chains (1..1000; RBM 784x500 and Ising 10x10), both sides at each point (the reference's dense Ising",
            "energy stops at L = 50), --scaling-steps timed steps after --scaling-warmup; writes scaling.csv and",
            "scaling_ising_dim.png, scaling_rbm_hidden.png, scaling_chains.png."})
public final class BenchCommand implements Callable<Integer> {

    static final List<String> SUITES = List.of("gwg", "vae", "all");

    /** The Debian packages the Python side needs, for messages. */
    static final String PACKAGES = "apt-get install python3-torch libopenblas0-pthread";

    static final String SCRIPT = "bench/python/gwg_reference.py";

    /** The columns of bench.csv, one row per side and round. */
    static final List<String> CSV_HEADER = List.of("case", "round", "side", "ms_per_step", "ess_per_step",
            "acceptance", "load_average_1min");

    /** Coupling per pair of the Ising case: the reference LatticeIsingModel's σ = 0.1 counts every pair twice. */
    static final double ISING_COUPLING = 0.2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--suite", paramLabel = "S", description = "gwg, vae or all (default: ${DEFAULT-VALUE}).")
    String suite = "gwg";

    @Option(names = "--rounds", paramLabel = "R",
            description = "Rounds of A B A B per case (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads of the PyTorch side and of the DJL matmul floor (default: ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--chains", paramLabel = "C", description = "Chains per model (default: ${DEFAULT-VALUE}).")
    int chains = 100;

    /** Least time the Java side of each GWG case runs untimed before its rounds. */
    static final double JIT_WARMUP_SECONDS = 3;

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps per run (default: ${DEFAULT-VALUE}).")
    int steps = 1000;

    @Option(names = "--warmup", paramLabel = "W",
            description = "Untimed steps before each run (default: ${DEFAULT-VALUE}).")
    int warmup = 200;

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "An RBM model.json to use instead of Rbm.random(784, 500, seed).")
    Path modelFile;

    @Option(names = "--scaling", description = "Run the scaling study instead of the suite (see above).")
    boolean scaling;

    @Option(names = "--scaling-steps", paramLabel = "N",
            description = "Timed steps per point of the scaling study (default: ${DEFAULT-VALUE}).")
    int scalingSteps = 200;

    @Option(names = "--scaling-warmup", paramLabel = "W",
            description = "Untimed steps per point of the scaling study (default: ${DEFAULT-VALUE}).")
    int scalingWarmup = 50;

    @Option(names = "--python", paramLabel = "EXE",
            description = "Python interpreter with torch (default: python3 on the PATH if it imports torch, else"
                    + " /usr/bin/python3, where Debian's python3-torch lives).")
    String python;

    @Option(names = "--script", paramLabel = "FILE",
            description = "The reference script (default: " + SCRIPT + " of this checkout).")
    Path script;

    @Option(names = "--vae-script", paramLabel = "FILE",
            description = "The VAE reference script (default: " + VaeBench.SCRIPT + " of this checkout).")
    Path vaeScript;

    /** One benchmark case: a model run by both sides. */
    record Case(String name, EnergyModel model, int[] reference) {}

    /** What one side measured in one run. */
    record Side(double msPerStep, double essPerStep, double acceptance) {}

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        if (suite.equals("vae")) {
            return vaeSuite(cl);
        }
        Path scriptFile = script != null ? script : findScript(SCRIPT);
        if (!Files.isRegularFile(scriptFile)) {
            throw new IllegalStateException("reference script " + scriptFile + " not found; run d4j from the checkout"
                    + " or pass --script");
        }
        String interpreter = choosePython();
        setThreads();

        RunOutput out = RunOutput.open(common.out, "bench");
        if (scaling) {
            return runScaling(cl, out, interpreter, scriptFile);
        }
        double loadAtStart = load();
        List<Case> cases = gwgCases(cl);
        PrintWriter log = cl.getErr();
        List<List<?>> rows = new ArrayList<>();
        Map<String, Object> results = new LinkedHashMap<>();
        List<double[][]> medians = new ArrayList<>(); // per case: {java, python} × {ms, ess/step, acceptance}
        List<double[]> speedups = new ArrayList<>(); // per case: each round's speedup
        for (Case c : cases) {
            // Untimed passes first, for at least JIT_WARMUP_SECONDS (as JMH warms up): the JIT compiles the Java step,
            // and recompiles the code the cases share once the second case's profile has replaced the first's, rather
            // than inside the timed rounds (an Ising step measured 0.07-0.09 ms in the rounds of a 0.7 s warm-up,
            // 0.045 ms once compiled).
            long warmUntil = System.nanoTime() + (long) (JIT_WARMUP_SECONDS * 1e9);
            do {
                runJava(c.model(), c.reference(), chains, warmup, Math.max(2, steps / 2), common.seed);
            } while (System.nanoTime() < warmUntil);
            Path modelJson = out.resolve(c.name() + ".model.json");
            out.json(c.name() + ".model.json", ModelFiles.parameters(c.model(), null));
            List<Side> java = new ArrayList<>();
            List<Side> torch = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                double loadA = load();
                Side a = runJava(c.model(), c.reference(), chains, warmup, steps, common.seed + r);
                java.add(a);
                double loadB = load();
                Side b = runPython(interpreter, scriptFile, modelJson, c.reference(), chains, steps, warmup,
                        common.seed + r);
                torch.add(b);
                if (!common.quiet) {
                    log.printf(Locale.ROOT, "bench %s round %d/%d: discrete4j %.3f ms/step, pytorch %.3f ms/step%n",
                            c.name(), r + 1, rounds, a.msPerStep(), b.msPerStep());
                }
                rows.add(List.of(c.name(), r + 1, "discrete4j", a.msPerStep(), a.essPerStep(), a.acceptance(), loadA));
                rows.add(List.of(c.name(), r + 1, "pytorch", b.msPerStep(), b.essPerStep(), b.acceptance(), loadB));
            }
            double[][] m = {summarise(java), summarise(torch)};
            medians.add(m);
            Map<String, Object> rc = new LinkedHashMap<>();
            rc.put("model", c.model().toString());
            rc.put("discrete4j", sideJson(m[0], java));
            rc.put("pytorch", sideJson(m[1], torch));
            rc.put("speedup", m[1][0] / m[0][0]);
            double[] perRound = roundSpeedups(java, torch);
            speedups.add(perRound);
            rc.put("roundSpeedups", perRound);
            rc.put("essPerStepRatio", m[0][1] / m[1][1]);
            results.put(c.name(), rc);
        }
        double floorMs = matmulFloorMs(100, 500, 784, 50);
        double rbmOverFloor = medians.get(0)[0][0] / floorMs;

        Map<String, Object> summary = suiteSummary(cl, loadAtStart, interpreter, scriptFile);
        summary.put("threads", threadsNote());
        summary.put("gwg", results);
        Map<String, Object> floor = new LinkedHashMap<>();
        floor.put("shape", "100x500 by 500x784 float32 (DJL PyTorch), best of 50");
        floor.put("ms", floorMs);
        floor.put("rbmStepOverFloor", rbmOverFloor);
        summary.put("matmulFloor", floor);
        VaeBench vae = null;
        if (suite.equals("all")) {
            vae = new VaeBench(rounds, steps, warmup, threads, common.seed);
            summary.put("vae", vae.run(interpreter, vaeScript(), common.quiet ? null : log));
            rows.addAll(vae.csvRows());
            vae.plot(out.resolve("vae_ms_per_step.png"));
        }
        out.json("summary.json", summary);
        out.csv("bench.csv", CSV_HEADER, rows);
        List<String> names = new ArrayList<>();
        double[] javaMs = new double[cases.size()];
        double[] torchMs = new double[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            names.add(cases.get(i).name());
            javaMs[i] = medians.get(i)[0][0];
            torchMs[i] = medians.get(i)[1][0];
        }
        Plots.bars(out.resolve("ms_per_step.png"), "Gibbs-with-Gradients, " + chains + " chains: ms per step (median of "
                + rounds + " rounds)", "ms per step", names, List.of("discrete4j", "PyTorch reference"),
                List.of(javaMs, torchMs), true);
        if (!common.quiet) {
            printTable(cl.getOut(), cases, medians, speedups, floorMs, rbmOverFloor, vae);
            printEnd(cl, out, loadAtStart);
        }
        return 0;
    }

    /** {@code --suite vae}: the categorical VAE step on both sides ({@link VaeBench}). */
    private int vaeSuite(CommandLine cl) throws IOException, InterruptedException {
        Path scriptFile = vaeScript();
        String interpreter = choosePython();
        setThreads();
        RunOutput out = RunOutput.open(common.out, "bench");
        double loadAtStart = load();
        VaeBench vae = new VaeBench(rounds, steps, warmup, threads, common.seed);
        Map<String, Object> results = vae.run(interpreter, scriptFile, common.quiet ? null : cl.getErr());
        Map<String, Object> summary = suiteSummary(cl, loadAtStart, interpreter, scriptFile);
        summary.put("vae", results);
        out.json("summary.json", summary);
        out.csv("bench.csv", CSV_HEADER, vae.csvRows());
        vae.plot(out.resolve("vae_ms_per_step.png"));
        if (!common.quiet) {
            vae.printTable(cl.getOut());
            printEnd(cl, out, loadAtStart);
        }
        return 0;
    }

    /**
     * Both sides' thread counts; DJL reads its count when the engine starts, which nothing has done yet in a d4j
     * process. The Java side's per-chain work (the GWG step's lanes of chains, FusedAdam's lanes) runs at the same
     * count as PyTorch's.
     */
    private void setThreads() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        ChainLanes.setThreads(threads);
    }

    /**
     * The head of a suite's summary.json: provenance, the suite, the load average over the run (other processes on
     * the cores hurt multi-threaded code, spinning OpenMP threads, on both sides) and the settings; the gwg suite's
     * settings also hold its chains and each side's thread setting.
     */
    private Map<String, Object> suiteSummary(CommandLine cl, double loadAtStart, String interpreter, Path scriptFile) {
        boolean gwg = !suite.equals("vae");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(cl.getParseResult().originalArgs(), common.seed));
        summary.put("suite", suite);
        summary.put("loadAverage1min", Map.of("start", loadAtStart, "end", load()));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("rounds", rounds);
        settings.put("threads", threads);
        if (gwg) {
            settings.put("chains", chains);
        }
        settings.put("steps", steps);
        settings.put("warmup", warmup);
        settings.put("python", interpreter);
        settings.put("script", scriptFile.toString());
        if (gwg) {
            settings.put("discrete4jThreadSetting", javaThreadSetting());
            settings.put("referenceThreadSetting", REFERENCE_THREAD_SETTING);
        }
        summary.put("settings", settings);
        return summary;
    }

    /** The last lines of a suite's output, after its table. */
    private void printEnd(CommandLine cl, RunOutput out, double loadAtStart) {
        cl.getOut().printf(Locale.ROOT, "load average (1 min) at start %.2f, at end %.2f on %d cores%n",
                loadAtStart, load(), Runtime.getRuntime().availableProcessors());
        cl.getOut().println("results in " + out.dir());
    }

    private String threadsNote() {
        return "PyTorch side: torch.set_num_threads(" + threads + "); discrete4j side: DJL PyTorch with " + threads
                + " intra-op threads (RBM gradient product, matmul floor) and " + threads + " thread(s) for the GWG"
                + " step's lanes of chains, " + javaThreadSetting() + "; reference " + REFERENCE_THREAD_SETTING
                + " (each side at its fastest setting)";
    }

    /**
     * How this process's OpenMP threads wait and whether DJL's oneMKL runs with the launcher's AMD library
     * (see the d4j launcher): the Java side's setting, which the reference does not inherit.
     */
    static String javaThreadSetting() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        String spin = System.getenv("GOMP_SPINCOUNT");
        String preload = System.getenv("LD_PRELOAD");
        String omp = policy != null && !policy.isBlank() ? "OMP_WAIT_POLICY=" + policy
                : spin != null && !spin.isBlank() ? "GOMP_SPINCOUNT=" + spin : "libgomp's default wait";
        boolean mkl = preload != null && preload.contains("libd4j-mkl-amd");
        return omp + (mkl ? ", oneMKL AMD library preloaded" : "");
    }

    /**
     * The reference's OpenMP wait policy, its fastest here (PyTorch 1.13 with OpenBLAS, 2 threads:
     * VAE step 13.3 ms passive against 16.0 ms with a short spin; RBM GWG step 6.2 against 10.9 ms).
     */
    static final String REFERENCE_WAIT_POLICY = "PASSIVE";

    /** {@link #REFERENCE_WAIT_POLICY} as the summaries print it. */
    static final String REFERENCE_THREAD_SETTING = "OMP_WAIT_POLICY=" + REFERENCE_WAIT_POLICY;

    /** {@code --scaling}: the scaling study in place of the suite. */
    private int runScaling(CommandLine cl, RunOutput out, String interpreter, Path scriptFile)
            throws IOException, InterruptedException {
        double loadAtStart = load();
        List<BenchScaling.Result> results = BenchScaling.run(this, out, interpreter, scriptFile, scalingSteps,
                scalingWarmup, common.seed, cl.getErr(), common.quiet);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(cl.getParseResult().originalArgs(), common.seed));
        summary.put("study", "scaling");
        summary.put("loadAverage1min", Map.of("start", loadAtStart, "end", load()));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("threads", threads);
        settings.put("steps", scalingSteps);
        settings.put("warmup", scalingWarmup);
        settings.put("python", interpreter);
        settings.put("script", scriptFile.toString());
        settings.put("discrete4jThreadSetting", javaThreadSetting());
        settings.put("referenceThreadSetting", REFERENCE_THREAD_SETTING);
        summary.put("settings", settings);
        summary.put("threads", threadsNote());
        summary.put("scaling", BenchScaling.json(results));
        out.json("summary.json", summary);
        if (!common.quiet) {
            cl.getOut().println("scaling study in " + out.dir() + " (scaling.csv, scaling_*.png)");
        }
        return 0;
    }

    private Path vaeScript() {
        Path file = vaeScript != null ? vaeScript : findScript(VaeBench.SCRIPT);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("reference script " + file + " not found; run d4j from the checkout"
                    + " or pass --vae-script");
        }
        return file;
    }

    private void checkOptions(CommandLine cl) {
        if (!SUITES.contains(suite)) {
            throw new ParameterException(cl, "--suite must be one of " + SUITES + ", got '" + suite + "'");
        }
        if (rounds < 1) {
            throw new ParameterException(cl, "--rounds must be >= 1, got " + rounds);
        }
        if (threads < 1) {
            throw new ParameterException(cl, "--threads must be >= 1, got " + threads);
        }
        if (chains < 1) {
            throw new ParameterException(cl, "--chains must be >= 1, got " + chains);
        }
        if (steps < 2) {
            throw new ParameterException(cl, "--steps must be >= 2, got " + steps);
        }
        if (warmup < 0) {
            throw new ParameterException(cl, "--warmup must be >= 0, got " + warmup);
        }
        if (scalingSteps < 2) {
            throw new ParameterException(cl, "--scaling-steps must be >= 2, got " + scalingSteps);
        }
        if (scalingWarmup < 0) {
            throw new ParameterException(cl, "--scaling-warmup must be >= 0, got " + scalingWarmup);
        }
        if (modelFile != null && !Files.isRegularFile(modelFile)) {
            throw new ParameterException(cl, "--model-file " + modelFile + " is not a readable file");
        }
        if (script != null && !Files.isRegularFile(script)) {
            throw new ParameterException(cl, "--script " + script + " is not a readable file");
        }
    }

    /** The RBM (random as Grathwohl et al., or --model-file) and the Ising lattice, with fixed random references. */
    private List<Case> gwgCases(CommandLine cl) {
        EnergyModel rbm = modelFile != null ? ModelFiles.read(cl, modelFile) : Rbm.random(784, 500, common.seed);
        if (!(rbm instanceof Rbm)) {
            throw new ParameterException(cl, "--model-file must hold an rbm, got " + rbm);
        }
        EnergyModel ising = IsingModel.lattice(10, ISING_COUPLING, 0.0);
        return List.of(new Case("rbm", rbm, reference(rbm.dim(), common.seed)),
                new Case("ising", ising, reference(ising.dim(), common.seed + 1)));
    }

    static int[] reference(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        int[] r = new int[dim];
        for (int i = 0; i < dim; i++) {
            r[i] = rng.nextInt(2);
        }
        return r;
    }

    /**
     * The Java side: {@code warmup} untimed steps of GWG (which also let the JIT compile the step), then
     * {@code steps} timed ones; ESS per step of the Hamming distance to {@code reference}, mean over chains.
     */
    static Side runJava(EnergyModel model, int[] reference, int chains, int warmup, int steps, long seed) {
        ChainState state = ChainState.uniform(model, chains, seed);
        ChainRunner.Result r = ChainRunner.run(new GibbsWithGradients(), state,
                new ChainRunner.Settings(warmup, steps, 1, reference, 0), null);
        return new Side(1000 * r.seconds() / steps, Ess.tfpMean(r.hamming()) / steps, r.meanAcceptance());
    }

    /** The Python side: one run of the reference script, its JSON line parsed. */
    Side runPython(String python, Path scriptFile, Path modelJson, int[] reference, int chains, int steps,
            int warmup, long seed) throws IOException, InterruptedException {
        StringBuilder digits = new StringBuilder();
        for (int v : reference) {
            digits.append(v);
        }
        List<String> cmd = List.of(python, scriptFile.toString(), "--model", modelJson.toString(), "--reference",
                digits.toString(), "--chains", Integer.toString(chains), "--steps", Integer.toString(steps),
                "--warmup", Integer.toString(warmup), "--threads", Integer.toString(threads), "--seed",
                Long.toString(seed));
        Map<?, ?> json = runReference(cmd);
        return new Side(((Number) json.get("ms_per_step")).doubleValue(),
                ((Number) json.get("ess_per_step")).doubleValue(), ((Number) json.get("acceptance")).doubleValue());
    }

    /** Runs a reference script ({@code cmd}: interpreter, script, arguments) and parses its last line as JSON. */
    static Map<?, ?> runReference(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(false);
        builder.environment().put("OMP_WAIT_POLICY", REFERENCE_WAIT_POLICY);
        builder.environment().remove("GOMP_SPINCOUNT");
        builder.environment().remove("LD_PRELOAD");
        Process p = builder.start();
        p.getOutputStream().close();
        byte[] stderr;
        String stdout;
        try (var err = p.getErrorStream(); var in = p.getInputStream()) {
            // stderr is drained on its own thread so a chatty child never blocks on a full pipe
            var errBytes = new java.io.ByteArrayOutputStream();
            Thread drain = new Thread(() -> {
                try {
                    err.transferTo(errBytes);
                } catch (IOException ignored) {
                    // the exit code reports the failure
                }
            });
            drain.start();
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            drain.join();
            stderr = errBytes.toByteArray();
        }
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("the PyTorch reference (" + String.join(" ", cmd.subList(0, 2))
                    + ") failed with exit code " + code + ": " + tail(new String(stderr, StandardCharsets.UTF_8)));
        }
        String[] lines = stdout.strip().split("\n");
        return new ObjectMapper().readValue(lines[lines.length - 1], Map.class);
    }

    /**
     * The interpreter to run the reference with: {@code --python}, or the first of python3 on the PATH and
     * /usr/bin/python3 that imports torch and numpy (a pyenv or venv python3 on the PATH usually lacks Debian's
     * torch). Fails with the packages to install otherwise: the comparison is the point of this command, so it
     * never runs one-sided.
     */
    String choosePython() throws InterruptedException {
        List<String> candidates = python != null ? List.of(python) : List.of("python3", "/usr/bin/python3");
        List<String> problems = new ArrayList<>();
        for (String exe : candidates) {
            String problem = importsTorch(exe);
            if (problem == null) {
                return exe;
            }
            problems.add(problem);
        }
        throw new IllegalStateException(String.join("; ", problems) + ". The PyTorch side of d4j bench needs"
                + " Debian's python3-torch and libopenblas0-pthread (" + PACKAGES + "); d4j installs nothing itself");
    }

    /** Null if {@code python} runs and imports torch and numpy, else what went wrong. */
    private static String importsTorch(String python) throws InterruptedException {
        String problem;
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = "'" + python + " -c \"import torch\"' did not finish in 120 s";
            } else {
                problem = p.exitValue() == 0 ? null : "'" + python + "' cannot import torch and numpy: " + tail(text);
            }
        } catch (IOException e) {
            problem = "cannot run '" + python + "': " + e.getMessage();
        }
        return problem;
    }

    /** A script next to the jar's checkout (cli/target/d4j.jar → checkout root), else relative to here. */
    static Path findScript(String relative) {
        try {
            Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(relative);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of(relative);
    }

    /** The 1-minute load average of the machine (NaN where /proc/loadavg does not exist). */
    static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 800 ? t : "..." + t.substring(t.length() - 800);
    }

    /** The speedup of each round (its PyTorch ms over its discrete4j ms, measured back to back). */
    static double[] roundSpeedups(List<Side> java, List<Side> torch) {
        double[] r = new double[java.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = torch.get(i).msPerStep() / java.get(i).msPerStep();
        }
        return r;
    }

    /** Median ms per step, mean ESS per step and mean acceptance over the rounds. */
    private static double[] summarise(List<Side> runs) {
        double[] ms = new double[runs.size()];
        double ess = 0;
        double acc = 0;
        for (int i = 0; i < ms.length; i++) {
            ms[i] = runs.get(i).msPerStep();
            ess += runs.get(i).essPerStep();
            acc += runs.get(i).acceptance();
        }
        Arrays.sort(ms);
        double median = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
        return new double[] {median, ess / ms.length, acc / ms.length};
    }

    private static Map<String, Object> sideJson(double[] m, List<Side> runs) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("msPerStepMedian", m[0]);
        s.put("essPerStepMean", m[1]);
        s.put("acceptanceMean", m[2]);
        s.put("rounds", runs);
        return s;
    }

    /**
     * Best of {@code repeats} timings of an (m × k) by (k × n) float32 product through DJL: the most the machine's
     * BLAS does for the product an RBM gradient needs, so the floor under an RBM step.
     */
    static double matmulFloorMs(int m, int k, int n, int repeats) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(m, k));
            NDArray b = manager.randomNormal(new Shape(k, n));
            double best = Double.POSITIVE_INFINITY;
            for (int t = 0; t < repeats + 5; t++) {
                long start = System.nanoTime();
                NDArray c = a.matMul(b);
                float first = c.getFloat(0, 0); // forces the result
                long nanos = System.nanoTime() - start;
                c.close();
                if (t >= 5 && Float.isFinite(first)) {
                    best = Math.min(best, nanos * 1e-6);
                }
            }
            return best;
        }
    }

    private void printTable(PrintWriter w, List<Case> cases, List<double[][]> medians, List<double[]> speedups,
            double floorMs, double rbmOverFloor, VaeBench vae) {
        w.printf(Locale.ROOT, "Gibbs-with-Gradients (tau = 2), %d chains, %d timed steps, median of %d rounds"
                + " (A B A B), %d threads each side (discrete4j %s; reference %s)%n", chains, steps, rounds,
                threads, javaThreadSetting(), REFERENCE_THREAD_SETTING);
        w.printf(Locale.ROOT, "%-8s %12s %12s %9s %8s %12s %12s %10s%n", "model", "d4j ms/step", "torch ms/step",
                "speedup", "target", "d4j ESS/step", "torch ESS/st", "ESS ratio");
        for (int i = 0; i < cases.size(); i++) {
            double[][] m = medians.get(i);
            String target = cases.get(i).name().equals("rbm") ? ">= 10x" : ">= 20x";
            w.printf(Locale.ROOT, "%-8s %12.4f %12.4f %8.2fx %8s %12.5f %12.5f %10.3f%n", cases.get(i).name(),
                    m[0][0], m[1][0], m[1][0] / m[0][0], target, m[0][1], m[1][1], m[0][1] / m[1][1]);
        }
        for (int i = 0; i < cases.size(); i++) {
            StringBuilder b = new StringBuilder();
            for (double r : speedups.get(i)) {
                b.append(String.format(Locale.ROOT, " %.2fx", r));
            }
            w.printf(Locale.ROOT, "%s speedup of each round (A B back to back):%s%n", cases.get(i).name(), b);
        }
        w.printf(Locale.ROOT, "matmul floor (100x500 by 500x784 float32, DJL, %d threads, best of 50): %.4f ms;"
                + " RBM step / floor = %.2f (target <= 3)%n", threads, floorMs, rbmOverFloor);
        if (vae != null) {
            vae.printTable(w);
        }
    }
}
