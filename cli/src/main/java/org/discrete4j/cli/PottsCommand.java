package org.discrete4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.discrete4j.diagnostic.Ess;
import org.discrete4j.diagnostic.Marginals;
import org.discrete4j.model.PottsModel;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.Kernel;
import org.discrete4j.sampler.Samplers;
import org.discrete4j.sampler.Trajectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code d4j potts}: the lattice-Potts sampling comparison of Grathwohl et al., "Oops I Took A Gradient", ICML 2021
 * (their potts_sample.py: systematic- and random-scan Gibbs against categorical Gibbs-with-Gradients, by the
 * effective sample size of each one-hot coordinate), with the error of the estimated marginals against a long
 * Swendsen–Wang run added as a convergence curve.
 */
@Command(name = "potts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compare samplers on a lattice Potts model: the paper's figure, the effective sample size (tfp ESS) of",
            "every one-hot coordinate x_ik of the first " + PottsCommand.ESS_CHAINS + " chains after a 10% burn-in",
            "(quartiles over the D*K coordinates, and the median per second of sampling), and a convergence curve:",
            "log10 of the mean squared error, over sites and colours, between the fraction of chains with x_i = k",
            "and the model's marginal p(x_i = k) from a long ground-truth run, against steps and seconds.",
            "With no options: the paper's 10x10 periodic lattice with 3 colours and sigma = 0.1 in its",
            "parameterisation, which is coupling J = 4 sigma = 0.4 here (log p~ = J sum_<ij> 1[x_i = x_j]), no field;",
            "100 chains from one uniform start, 5000 steps, samplers gibbs-sweep (the paper's dim-gibbs), gibbs",
            "(rand-gibbs) and gwg. Ground truth: 500 Swendsen-Wang chains of 1000 steps, second half averaged.",
            "Writes summary.json, model.json, potts.csv, log_mse_steps.png, log_mse_seconds.png and ess.png to --out."})
public final class PottsCommand implements Callable<Integer> {

    static final List<String> PAPER_SAMPLERS = List.of("gibbs-sweep", "gibbs", "gwg");

    /** Chains whose one-hot coordinates are recorded for the ESS (the paper uses chain 0 alone). */
    static final int ESS_CHAINS = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--size", paramLabel = "L", description = "Lattice side (default: ${DEFAULT-VALUE}).")
    int size = 10;

    @Option(names = "--colors", paramLabel = "K", description = "Colours (default: ${DEFAULT-VALUE}).")
    int colors = 3;

    @Option(names = "--coupling", paramLabel = "J",
            description = "Coupling J; the paper's sigma is J / 4 (default: ${DEFAULT-VALUE}).")
    double coupling = 0.4;

    @Option(names = "--field", paramLabel = "h", description = "Field on colour 0 (default: ${DEFAULT-VALUE}).")
    double field = 0.0;

    @Option(names = "--samplers", split = ",", paramLabel = "NAME",
            description = "Samplers to compare, or all for every one that applies (default: the paper's set, "
                    + "${DEFAULT-VALUE}).")
    List<String> samplers = PAPER_SAMPLERS;

    @Option(names = "--chains", paramLabel = "C", description = "Chains per sampler (default: ${DEFAULT-VALUE}).")
    int chains = 100;

    @Option(names = "--steps", paramLabel = "N", description = "Steps per sampler (default: ${DEFAULT-VALUE}).")
    int steps = 5000;

    @Option(names = "--every", paramLabel = "k", description = "Measure the marginal error every k steps "
            + "(default: ${DEFAULT-VALUE}).")
    int every = 10;

    @Option(names = "--burn-in", paramLabel = "F", description = "Fraction of the steps left out of the ESS "
            + "(default: ${DEFAULT-VALUE}, the paper's).")
    double burnIn = 0.1;

    @Option(names = "--start", paramLabel = "S",
            description = "Start of every sampler's chains: uniform (the paper's; already at the marginals when there "
                    + "is no field, so the error curve starts at its floor) or zeros (every site colour 0, far from "
                    + "them) (default: ${DEFAULT-VALUE}).")
    String start = "uniform";

    @Option(names = "--gt-sampler", paramLabel = "NAME",
            description = "Kernel of the ground-truth run (default: ${DEFAULT-VALUE}; Swendsen-Wang needs J >= 0, "
                    + "use gibbs-sweep otherwise).")
    String gtSampler = "sw";

    @Option(names = "--gt-chains", paramLabel = "M", description = "Ground-truth chains (default: ${DEFAULT-VALUE}).")
    int gtChains = 500;

    @Option(names = "--gt-steps", paramLabel = "N", description = "Steps of each ground-truth chain; the second "
            + "half is averaged (default: ${DEFAULT-VALUE}).")
    int gtSteps = 1000;

    @Option(names = "--budgets", split = ",", paramLabel = "STEPS",
            description = "Step budgets of the summary table; --steps is always one (default: ${DEFAULT-VALUE}).")
    List<Long> budgets = List.of(100L, 1000L);

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        PottsModel potts = PottsModel.lattice(size, colors, coupling, field);
        List<String> names = SampleCommand.chooseSamplers(cl, potts, samplers, "--samplers");
        Kernel gtKernel = SampleCommand.chooseSamplers(cl, potts, List.of(gtSampler), "--gt-sampler").stream()
                .map(Samplers::create).findFirst().orElseThrow();
        RunOutput out = RunOutput.open(common.out, "potts");
        out.json("model.json", ModelFiles.parameters(potts, options()));

        int d = potts.dim();
        int recorded = Math.min(ESS_CHAINS, chains);
        int burn = (int) Math.floor(burnIn * steps);
        Curves curves = new Curves("step", "log10_mse");
        List<Trajectory.Summary> runs = new ArrayList<>();
        List<double[]> ess = new ArrayList<>();
        List<Double> essSeconds = new ArrayList<>();
        double[] reference;
        double floor;
        try (Progress bar = Progress.start("potts", (long) gtSteps + (long) names.size() * steps, common.quiet)) {
            bar.message("ground truth");
            ChainState gt = ChainState.uniform(potts, gtChains + chains, common.seed ^ 0x3C6EF372FE94F82BL);
            Marginals gtMarginals = new Marginals(d, colors);
            int gtBurn = gtSteps / 2;
            Trajectory.run(gtKernel, gt, gtSteps, 1, (t, s, st) -> {
                if (t > gtBurn) {
                    gtMarginals.add(st.x(), 0, gtChains);
                }
            }, bar::stepBy);
            reference = gtMarginals.probabilities();
            // A perfect sampler's figure: `chains` further ground-truth states against the reference.
            Marginals holdout = new Marginals(d, colors);
            holdout.add(gt.x(), gtChains, chains);
            floor = Math.log10(holdout.meanSquaredError(reference));

            int[] x0 = "zeros".equals(start) ? new int[chains * d]
                    : ChainState.uniform(potts, chains, common.seed).x().clone();
            for (String name : names) {
                Curves.Curve curve = curves.start(name);
                byte[][] states = new byte[recorded][(steps - burn) * d];
                double[] burnSeconds = new double[1];
                Marginals now = new Marginals(d, colors);
                Trajectory.Summary r = SamplerRuns.run(name, potts, x0, chains, steps, 1, common.seed,
                        (t, sec, st) -> {
                            if (t % every == 0) {
                                now.clear();
                                now.add(st.x(), 0, chains);
                                curve.add(t, sec, Math.log10(now.meanSquaredError(reference)));
                            }
                            if (t == burn) {
                                burnSeconds[0] = sec;
                            }
                            if (t > burn) {
                                for (int c = 0; c < recorded; c++) {
                                    for (int i = 0; i < d; i++) {
                                        states[c][(int) (t - burn - 1) * d + i] = (byte) st.x()[c * d + i];
                                    }
                                }
                            }
                        }, bar);
                runs.add(r);
                ess.add(oneHotEss(states, steps - burn, d, colors));
                essSeconds.add(r.seconds() - burnSeconds[0]);
            }
        }
        write(out, potts, names, curves, runs, ess, essSeconds, reference, floor, burn);
        if (!common.quiet) {
            printTable(cl.getOut(), potts, curves, runs, ess, essSeconds, floor);
            cl.getOut().println("results in " + out.dir());
        }
        return 0;
    }

    /**
     * tfp's ESS of every one-hot coordinate 1[x_i = k] (site-major, i·K + k), averaged over the recorded chains,
     * sorted ascending: the paper's "dims" statistic.
     */
    static double[] oneHotEss(byte[][] states, int n, int d, int k) {
        double[] out = new double[d * k];
        double[][] series = new double[states.length][n];
        for (int i = 0; i < d; i++) {
            for (int v = 0; v < k; v++) {
                for (int c = 0; c < states.length; c++) {
                    for (int t = 0; t < n; t++) {
                        series[c][t] = states[c][t * d + i] == v ? 1 : 0;
                    }
                }
                double s = 0;
                for (double e : Ess.tfp(series)) {
                    s += e;
                }
                out[i * k + v] = s / states.length;
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** The q-quantile of sorted values (linear interpolation). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private void checkOptions(CommandLine cl) {
        if (size < 2 || colors < 2) {
            throw new ParameterException(cl, "--size and --colors must be >= 2");
        }
        if (!Double.isFinite(coupling) || !Double.isFinite(field)) {
            throw new ParameterException(cl, "--coupling and --field must be finite numbers");
        }
        if (!"uniform".equals(start) && !"zeros".equals(start)) {
            throw new ParameterException(cl, "--start must be uniform or zeros, got " + start);
        }
        if (colors > 127) {
            throw new ParameterException(cl, "--colors must be <= 127, got " + colors);
        }
        if (chains < 1 || steps < 1 || gtChains < 1 || gtSteps < 2) {
            throw new ParameterException(cl, "--chains, --steps and --gt-chains must be >= 1, --gt-steps >= 2");
        }
        if (every < 1 || every > steps) {
            throw new ParameterException(cl, "--every must be between 1 and --steps (" + steps + "), got " + every);
        }
        if (!(burnIn >= 0 && burnIn < 1) || steps - (int) Math.floor(burnIn * steps) < 2) {
            throw new ParameterException(cl, "--burn-in must lie in [0, 1) and leave at least 2 steps, got " + burnIn);
        }
    }

    private Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", "potts");
        o.put("size", size);
        o.put("colors", colors);
        o.put("coupling", coupling);
        o.put("field", field);
        return o;
    }

    private void write(RunOutput out, PottsModel potts, List<String> names, Curves curves,
            List<Trajectory.Summary> runs, List<double[]> ess, List<Double> essSeconds, double[] reference,
            double floor, int burn) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = new LinkedHashMap<>(options());
        s.put("description", potts.toString());
        s.put("paperSigma", coupling / 4);
        s.put("samplers", names);
        s.put("chains", chains);
        s.put("steps", steps);
        s.put("every", every);
        s.put("burnInSteps", burn);
        s.put("start", ("zeros".equals(start) ? "every site colour 0" : "uniform random states")
                + ", the same for every sampler");
        s.put("groundTruth", gtChains + " " + gtSampler + " chains of " + gtSteps + " steps from a uniform start, "
                + "marginals averaged over chains and the second half of the steps");
        s.put("metric", "log10 of the mean over sites i and colours k of (fraction of chains with x_i = k - "
                + "ground-truth p(x_i = k))^2");
        s.put("ess", "tfp ESS of each one-hot coordinate 1[x_i = k] after burn-in, mean over the first "
                + Math.min(ESS_CHAINS, chains) + " chains; quartiles over the D*K coordinates");
        s.put("essPerSecond", "median ESS / seconds of the sampler's steps after burn-in");
        s.put("seconds", "wall time of the sampler's steps only, after a JIT warm-up run");
        summary.put("settings", s);
        summary.put("floor", floor);
        summary.put("floorMeaning", "the metric for " + chains + " further ground-truth states");
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double p : reference) {
            range[0] = Math.min(range[0], p);
            range[1] = Math.max(range[1], p);
        }
        summary.put("groundTruthMarginalRange", range);
        Map<String, Object> table = curves.budgetTable(summary, 0, budgets, steps);
        List<Map<String, Object>> results = new ArrayList<>();
        double[] medians = new double[runs.size()];
        double[] perSecond = new double[runs.size()];
        for (int n = 0; n < runs.size(); n++) {
            Trajectory.Summary r = runs.get(n);
            double[] e = ess.get(n);
            Map<String, Object> m = SamplerRuns.entry(r);
            m.put("finalLogMse", Curves.num(curves.get(r.kernel()).tailMean(0, 0.1)));
            m.put("essMin", e[0]);
            m.put("essQ25", quantile(e, 0.25));
            m.put("essMedian", quantile(e, 0.5));
            m.put("essQ75", quantile(e, 0.75));
            m.put("essMax", e[e.length - 1]);
            medians[n] = quantile(e, 0.5);
            perSecond[n] = medians[n] / essSeconds.get(n);
            m.put("essMedianPerSecond", Curves.num(perSecond[n]));
            m.putAll(RbmMmdCommand.castMap(table.get(r.kernel())));
            results.add(m);
        }
        summary.put("finalLogMseMeaning", "mean of the metric over the last 10% of the measurements");
        summary.put("results", results);
        out.json("summary.json", summary);
        curves.csv(out, "potts.csv");
        String title = potts + ": log10 MSE of marginals";
        curves.plot(out, "log_mse_steps.png", 0, false, true, title, Map.of("gt-gt floor", floor));
        curves.plot(out, "log_mse_seconds.png", 0, true, true, title + " against sampling time",
                Map.of("gt-gt floor", floor));
        Plots.bars(out.resolve("ess.png"), potts + ": ESS of one-hot coordinates (median)", "median ESS, ESS/s",
                names, List.of("median ESS", "median ESS per second"), List.of(medians, perSecond), true);
    }

    private void printTable(PrintWriter w, PottsModel potts, Curves curves, List<Trajectory.Summary> runs,
            List<double[]> ess, List<Double> essSeconds, double floor) {
        w.printf(Locale.ROOT, "%s; %d chains, %d steps; gt-gt floor log10 MSE = %.3f%n", potts, chains, steps, floor);
        w.printf(Locale.ROOT, "%-12s %7s %9s %10s %10s %10s %10s %12s%n", "sampler", "accept", "seconds",
                "@" + steps / 10, "final", "ESS q25", "ESS med", "ESS med/s");
        for (int n = 0; n < runs.size(); n++) {
            Trajectory.Summary r = runs.get(n);
            Curves.Curve c = curves.get(r.kernel());
            double[] e = ess.get(n);
            w.printf(Locale.ROOT, "%-12s %7.3f %9.3f %10.3f %10.3f %10.1f %10.1f %12.1f%n", r.kernel(), r.acceptance(),
                    r.seconds(), c.atX(0, steps / 10), c.tailMean(0, 0.1), quantile(e, 0.25), quantile(e, 0.5),
                    quantile(e, 0.5) / essSeconds.get(n));
        }
    }
}
