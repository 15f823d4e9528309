package org.discrete4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.discrete4j.diagnostic.Mixing;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.FactorialHmm;
import org.discrete4j.model.FactorizedBernoulli;
import org.discrete4j.model.FactorizedCategorical;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.PottsModel;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.ChainRunner;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.Kernel;
import org.discrete4j.sampler.Samplers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j sample}: run MCMC kernels on an energy model and compare how fast they mix. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run discrete MCMC samplers on an energy model and compare them: acceptance, effective sample size (ESS),",
            "ESS per second and per energy evaluation, R-hat, wall time.",
            "With no options: a 16x16 periodic Ising model at J = 0.4, h = 0 (just above the critical temperature),",
            "every sampler that applies.",
            "ESS is tfp.mcmc.effective_sample_size of each chain's Hamming distance to a fixed random reference",
            "state, averaged over chains (as DISCS); ESS/s and ESS/eval sum it over chains. Per-coordinate ESS",
            "(min / median over sites) averages each site's ESS over the first " + SampleCommand.COORDINATE_CHAINS
                    + " chains. R-hat is the rank-normalised split R-hat (Vehtari et al. 2021) of the Hamming",
            "statistic.",
            "Writes summary.json, model.json, ess_per_second.png, trace.png and, with --save-samples, samples.csv",
            "(sampler,chain,step,state; step counts transitions from the start, burn-in included; state is the",
            "digits of x site by site in row-major order) to --out."})
public final class SampleCommand implements Callable<Integer> {

    /** Chains whose every site is recorded for the per-coordinate ESS. */
    static final int COORDINATE_CHAINS = 4;

    /** Steps, and at most seconds, that each kernel runs untimed before its timed run. */
    static final int WARM_UP_STEPS = 20_000;

    static final double WARM_UP_SECONDS = 1.0;

    static final List<String> MODELS = List.of("ising", "ising-er", "potts", "rbm", "fhmm", "bernoulli", "categorical");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", paramLabel = "M",
            description = "ising, ising-er, potts, rbm, fhmm, bernoulli or categorical (default: ${DEFAULT-VALUE}).")
    String model = "ising";

    @Option(names = "--size", paramLabel = "L",
            description = "Lattice side L (ising, potts; ising-er has L² nodes) (default: ${DEFAULT-VALUE}).")
    int size = 16;

    @Option(names = "--coupling", paramLabel = "J", description = "Coupling J (default: ${DEFAULT-VALUE}).")
    double coupling = 0.4;

    @Option(names = "--field", paramLabel = "h", description = "External field h (default: ${DEFAULT-VALUE}).")
    double field = 0.0;

    @Option(names = "--colors", paramLabel = "K",
            description = "Colours K (potts, categorical) (default: ${DEFAULT-VALUE}).")
    int colors = 3;

    @Option(names = "--visible", paramLabel = "V",
            description = "Visible units (rbm), sites (bernoulli, categorical) or time steps (fhmm) "
                    + "(default: ${DEFAULT-VALUE}).")
    int visible = 100;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Hidden units (rbm) or hidden chains (fhmm) (default: ${DEFAULT-VALUE}).")
    int hidden = 25;

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "Read the model from a model.json written by an earlier run (overrides --model).")
    Path modelFile;

    @Option(names = "--sampler", split = ",", paramLabel = "NAME",
            description = "Samplers to run, or all (default) for every one that applies."
                    + " Known: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Names.class)
    List<String> samplers = List.of("all");

    @Option(names = "--chains", paramLabel = "C", description = "Independent chains (default: ${DEFAULT-VALUE}).")
    int chains = 32;

    @Option(names = "--steps", paramLabel = "N", description = "Steps after burn-in (default: ${DEFAULT-VALUE}).")
    int steps = 10_000;

    @Option(names = "--burn-in", paramLabel = "B",
            description = "Steps before recording, with adaptation on (default: steps / 10).")
    Integer burnIn;

    @Option(names = "--thin", paramLabel = "k",
            description = "Keep every k-th state after burn-in (default: ${DEFAULT-VALUE}).")
    int thin = 1;

    @Option(names = "--save-samples", description = "Write every kept state of every chain to samples.csv.")
    boolean saveSamples;

    /** The registered sampler names, for help. */
    static final class Names extends ArrayList<String> {
        Names() {
            super(Samplers.names());
        }
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        EnergyModel energy = modelFile != null ? ModelFiles.read(cl, modelFile) : buildModel(cl);
        List<String> names = chooseSamplers(cl, energy, samplers, "--sampler");
        int b = burnIn != null ? burnIn : steps / 10;
        int[] reference = new int[energy.dim()];
        SplittableRandom refRng = new SplittableRandom(common.seed ^ 0x2545F4914F6CDD1DL);
        for (int i = 0; i < reference.length; i++) {
            reference[i] = refRng.nextInt(energy.numValues());
        }
        ChainRunner.Settings settings = new ChainRunner.Settings(b, steps, thin, reference,
                saveSamples ? chains : Math.min(chains, COORDINATE_CHAINS));

        RunOutput out = RunOutput.open(common.out, "sample");
        out.json("model.json", ModelFiles.parameters(energy, modelFile != null ? null : options()));
        List<Mixing> results = new ArrayList<>();
        List<Plots.Series> traces = new ArrayList<>();
        SamplesCsv csv = saveSamples ? new SamplesCsv(out) : null;
        try (Progress bar = Progress.start("sample", (long) names.size() * (b + steps), common.quiet)) {
            for (String name : names) {
                bar.message(name);
                warmUp(name, energy, chains, common.seed);
                Kernel kernel = Samplers.create(name);
                ChainState state = ChainState.uniform(energy, chains, common.seed);
                ChainRunner.Result r = ChainRunner.run(kernel, state, settings, bar::stepBy);
                results.add(mixing(r));
                traces.add(trace(name, r.meanLogProb()));
                if (csv != null) {
                    csv.append(name, r);
                }
            }
            if (csv != null) {
                csv.finish();
            }
        } finally {
            if (csv != null) {
                csv.abandon();
            }
        }
        write(out, energy, settings, names, results, traces);
        if (!common.quiet) {
            printTable(cl.getOut(), energy, settings, results);
            cl.getOut().println("results in " + out.dir());
        }
        return 0;
    }

    /**
     * Runs a throwaway copy of the kernel for {@link #WARM_UP_STEPS} steps (at most {@link #WARM_UP_SECONDS}) so the
     * JIT has compiled its step before the timed run (HotSpot compiles a method fully after about 10⁴ calls);
     * otherwise the first sampler's ESS per second would include compilation and look several times worse on
     * short runs.
     */
    static void warmUp(String name, EnergyModel energy, int chains, long seed) {
        Kernel kernel = Samplers.create(name);
        ChainState state = ChainState.uniform(energy, chains, seed + 1);
        kernel.init(state);
        kernel.setAdapting(true);
        long end = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        for (int t = 0; t < WARM_UP_STEPS && System.nanoTime() < end; t++) {
            if (t == WARM_UP_STEPS / 2) {
                kernel.setAdapting(false);
            }
            kernel.step(state);
        }
    }

    private static Mixing mixing(ChainRunner.Result r) {
        return Mixing.of(r, Math.min(COORDINATE_CHAINS, r.states().length));
    }

    private void checkOptions(CommandLine cl) {
        if (chains < 1) {
            throw new ParameterException(cl, "--chains must be >= 1, got " + chains);
        }
        if (steps < 1) {
            throw new ParameterException(cl, "--steps must be >= 1, got " + steps);
        }
        if (burnIn != null && burnIn < 0) {
            throw new ParameterException(cl, "--burn-in must be >= 0, got " + burnIn);
        }
        if (thin < 1 || thin > steps) {
            throw new ParameterException(cl, "--thin must be between 1 and --steps (" + steps + "), got " + thin);
        }
        if (!Double.isFinite(coupling)) {
            throw new ParameterException(cl, "--coupling must be a finite number, got " + coupling);
        }
        if (!Double.isFinite(field)) {
            throw new ParameterException(cl, "--field must be a finite number, got " + field);
        }
        if (size < 2) {
            throw new ParameterException(cl, "--size must be >= 2, got " + size);
        }
        if (colors < 2) {
            throw new ParameterException(cl, "--colors must be >= 2, got " + colors);
        }
        if (visible < 1 || hidden < 1) {
            throw new ParameterException(cl, "--visible and --hidden must be >= 1");
        }
        if (modelFile != null && !Files.isRegularFile(modelFile)) {
            throw new ParameterException(cl, "--model-file " + modelFile + " is not a readable file");
        }
    }

    /**
     * The model the options describe: one case per model. Random parameters (Erdős–Rényi graph, RBM weights, FHMM
     * instance, factorised logits) are drawn from {@code --seed}; model.json records them exactly.
     */
    private EnergyModel buildModel(CommandLine cl) {
        switch (model) {
            case "ising":
                return IsingModel.lattice(size, coupling, field);
            case "ising-er":
                // L² nodes with mean degree 4, like the lattice; couplings J·N(0, 1).
                return IsingModel.erdosRenyi(size * size, Math.min(1.0, 4.0 / (size * size - 1)), coupling, field,
                        common.seed);
            case "potts":
                return PottsModel.lattice(size, colors, coupling, field);
            case "rbm":
                return Rbm.random(visible, hidden, common.seed);
            case "fhmm":
                return FactorialHmm.random(visible, hidden, common.seed);
            case "bernoulli":
                return FactorizedBernoulli.random(visible, 0.5, common.seed);
            case "categorical":
                return FactorizedCategorical.random(visible, colors, 1.5, common.seed);
            default:
                throw new ParameterException(cl, "unknown --model '" + model + "'; expected one of "
                        + String.join(", ", MODELS));
        }
    }

    /** The options the built-in model was made from, for model.json. */
    Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model);
        o.put("seed", common.seed);
        switch (model) {
            case "ising":
            case "ising-er":
            case "potts":
                o.put("size", size);
                o.put("coupling", coupling);
                o.put("field", field);
                if ("potts".equals(model)) {
                    o.put("colors", colors);
                }
                break;
            case "categorical":
                o.put("colors", colors);
                o.put("visible", visible);
                break;
            default:
                o.put("visible", visible);
                o.put("hidden", hidden);
                break;
        }
        return o;
    }

    /**
     * The kernels {@code requested} names (all that apply for the single name {@code all}), each checked to exist and
     * to apply to the model; a problem is a usage error naming {@code option}.
     */
    static List<String> chooseSamplers(CommandLine cl, EnergyModel energy, List<String> requested, String option) {
        boolean all = requested.size() == 1 && "all".equals(requested.get(0));
        List<String> names = all ? Samplers.applicable(energy) : requested;
        if (new HashSet<>(names).size() != names.size()) {
            throw new ParameterException(cl, option + " lists a sampler twice: " + String.join(",", names));
        }
        for (String name : names) {
            Kernel k;
            try {
                k = Samplers.create(name);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, e.getMessage());
            }
            if (!k.appliesTo(energy)) {
                throw new ParameterException(cl, "sampler " + name + " does not apply to " + energy);
            }
        }
        if (names.isEmpty()) {
            throw new ParameterException(cl, "no sampler applies to " + energy);
        }
        return names;
    }

    /** Mean log p̃ over chains after each step, at most 1000 points. */
    private static Plots.Series trace(String name, double[] meanLogProb) {
        int every = Math.max(1, meanLogProb.length / 1000);
        int n = meanLogProb.length / every;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int t = (i + 1) * every - 1;
            x[i] = t + 1;
            y[i] = meanLogProb[t];
        }
        return new Plots.Series(name, x, y);
    }

    private void write(RunOutput out, EnergyModel energy, ChainRunner.Settings settings, List<String> names,
            List<Mixing> results, List<Plots.Series> traces) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", energy.toString());
        s.put("dim", energy.dim());
        s.put("numValues", energy.numValues());
        s.put("chains", chains);
        s.put("burnIn", settings.burnIn());
        s.put("steps", settings.steps());
        s.put("thin", settings.thin());
        s.put("kept", settings.kept());
        s.put("samplers", names);
        s.put("statistic", "Hamming distance of each chain to the reference state");
        s.put("reference", ModelFiles.digits(settings.reference(), 0, settings.reference().length,
                energy.numValues()));
        s.put("ess", "tfp.mcmc.effective_sample_size of the statistic per chain (first negative autocorrelation "
                + "truncation; constant chain = 1), mean over chains, kept states after burn-in and thinning");
        s.put("essPerSecond", "ess summed over chains / seconds of kernel steps after burn-in");
        s.put("essPerEvaluation", "ess summed over chains / energy evaluations of all chains after burn-in");
        s.put("essCoordinate", "tfp ESS of each site's values, mean over the first " + COORDINATE_CHAINS
                + " chains; min and median over sites");
        s.put("rhat", "rank-normalised split R-hat (Vehtari et al. 2021) of the statistic over all chains");
        summary.put("settings", s);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Mixing m : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("sampler", m.kernel());
            e.put("exact", Samplers.create(m.kernel()).exact());
            e.put("acceptance", num(m.acceptance()));
            e.put("flipsPerStep", num(m.flips()));
            e.put("ess", num(m.ess()));
            e.put("essBulk", num(m.essBulk()));
            e.put("rhat", num(m.rhat()));
            e.put("essLogProb", num(m.essLogProb()));
            e.put("essCoordinateMin", num(m.essCoordinateMin()));
            e.put("essCoordinateMedian", num(m.essCoordinateMedian()));
            e.put("essPerSecond", num(m.essPerSecond()));
            e.put("essPerEvaluation", num(m.essPerEvaluation()));
            e.put("seconds", m.seconds());
            e.put("evaluationsPerChain", m.evaluations());
            entries.add(e);
        }
        summary.put("results", entries);
        out.json("summary.json", summary);

        double[] perSecond = new double[results.size()];
        for (int i = 0; i < perSecond.length; i++) {
            double v = results.get(i).essPerSecond();
            perSecond[i] = Double.isFinite(v) ? v : 0;
        }
        Plots.bars(out.resolve("ess_per_second.png"), "ESS per second on " + energy,
                "ESS/s (Hamming statistic, all chains)", names, List.of("ESS per second"), List.of(perSecond), true);
        Plots.lines(out.resolve("trace.png"), "log p~ (mean over chains) on " + energy, "step", "log p~", traces,
                false, false);
    }

    /** JSON has no NaN or infinity: write null. */
    private static Object num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void printTable(PrintWriter w, EnergyModel energy, ChainRunner.Settings s, List<Mixing> results) {
        w.printf(Locale.ROOT, "%s: %d sites, K = %d; %d chains, %d burn-in + %d steps, thin %d%n", energy,
                energy.dim(), energy.numValues(), results.isEmpty() ? 0 : results.get(0).chains(), s.burnIn(),
                s.steps(), s.thin());
        w.println("ESS: tfp ESS of the Hamming distance to a fixed reference state, mean per chain; coord: per-site"
                + " ESS min/median; ESS/s, ESS/eval: summed over chains");
        w.printf(Locale.ROOT, "%-14s %7s %9s %7s %9s %9s %11s %10s %12s %9s%n", "sampler", "accept", "ESS", "R-hat",
                "coord min", "coord med", "ESS/s", "ESS/eval", "evals/chain", "seconds");
        boolean anyBiased = false;
        for (Mixing m : results) {
            boolean biased = !Samplers.create(m.kernel()).exact();
            anyBiased |= biased;
            w.printf(Locale.ROOT, "%-14s %7.3f %9.1f %7.3f %9.1f %9.1f %11.4g %10.3g %12d %9.3f%n",
                    m.kernel() + (biased ? " *" : ""),
                    m.acceptance(), m.ess(), m.rhat(), m.essCoordinateMin(), m.essCoordinateMedian(),
                    m.essPerSecond(), m.essPerEvaluation(), m.evaluations(), m.seconds());
        }
        if (anyBiased) {
            w.println("* no Metropolis-Hastings correction: samples a biased approximation of p (compare the trace of"
                    + " log p~); its ESS is not comparable");
        }
    }

    /** samples.csv, streamed sampler by sampler into a temporary file that is renamed when complete. */
    private static final class SamplesCsv {
        private final Path target;
        private final Path tmp;
        private BufferedWriter writer;

        SamplesCsv(RunOutput out) {
            target = out.resolve("samples.csv");
            try {
                tmp = Files.createTempFile(out.dir(), ".samples.csv", ".tmp");
                writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                writer.write("sampler,chain,step,state\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }

        void append(String sampler, ChainRunner.Result r) {
            StringBuilder sb = new StringBuilder();
            try {
                for (int c = 0; c < r.states().length; c++) {
                    for (int j = 0; j < r.kept(); j++) {
                        sb.setLength(0);
                        sb.append(sampler).append(',').append(c).append(',').append(r.step(j)).append(',');
                        for (int i = 0; i < r.dim(); i++) {
                            ModelFiles.appendDigit(sb, r.state(c, j, i), r.numValues(), i);
                        }
                        sb.append('\n');
                        writer.write(sb.toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }

        void finish() {
            try {
                writer.close();
                writer = null;
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }

        /** Removes the partial file after a failure. */
        void abandon() {
            try {
                if (writer != null) {
                    writer.close();
                }
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the run already failed or succeeded
            }
        }
    }
}
