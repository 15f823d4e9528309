package org.discrete4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.discrete4j.estimator.Comparison;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.estimator.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j estimators}: every estimator that applies, against the exact gradient of a toy problem. */
@Command(name = "estimators", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compare gradient estimators with the exact gradient of E[f] on a problem with a known answer.",
            "Problems: bernoulli: z_i ~ Bernoulli(sigmoid(theta_i)), f = sum_i (z_i - t)^2;",
            "  categorical: z ~ Categorical(softmax(theta)), f = (z - t)^2 (relaxed one-hot y: (sum_k k*y_k - t)^2);",
            "  poisson: z ~ Poisson(exp(theta_1)); binomial: z ~ Binomial(trials, sigmoid(theta_1)); f = (z - t)^2.",
            "Writes summary.json, estimators.csv and estimators.png to --out."})
public final class EstimatorsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--problem", required = true, paramLabel = "P",
            description = "bernoulli, categorical, poisson or binomial.")
    String problem;

    @Option(names = "--logits", required = true, split = ",", paramLabel = "a,b,...", description = "The logits theta.")
    double[] logits;

    @Option(names = "--target", required = true, paramLabel = "t", description = "The target t in f.")
    double target;

    @Option(names = "--trials", paramLabel = "n", description = "Binomial trials n (default: ${DEFAULT-VALUE}).")
    int trials = 10;

    @Option(names = "--estimator", split = ",", paramLabel = "NAME",
            description = "Estimators to compare, or all (default): every one that applies to the problem. Known: "
                    + "${COMPLETION-CANDIDATES}. vimco (a multi-sample objective) and vq-st (a deterministic "
                    + "quantiser) do not estimate the gradient of E[f] and never apply here.",
            completionCandidates = Names.class)
    List<String> estimators = List.of("all");

    @Option(names = "--samples", paramLabel = "N",
            description = "Independent gradient estimates per estimator (default: ${DEFAULT-VALUE}).")
    int samples = 10000;

    @Option(names = "--tau", paramLabel = "T", description = "Temperature of relaxed estimators (default: ${DEFAULT-VALUE}).")
    double tau = 1.0;

    @Option(names = "--k", paramLabel = "K",
            description = "Draws per estimate of multi-sample estimators (rloo, gumbel-rao) (default: ${DEFAULT-VALUE}).")
    int k = 4;

    /** The known estimator names, for help. */
    static final class Names extends ArrayList<String> {
        Names() {
            super(Estimators.NAMES);
        }
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Problem p = buildProblem(cl);
        if (samples <= 0) {
            throw new ParameterException(cl, "--samples must be > 0, got " + samples);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new ParameterException(cl, "--tau must be a finite number > 0, got " + tau);
        }
        if (k < 1) {
            throw new ParameterException(cl, "--k must be >= 1, got " + k);
        }
        Estimators.Options options = new Estimators.Options(tau, k);
        List<GradientEstimator> chosen = choose(cl, p, options);

        RunOutput out = RunOutput.open(common.out, "estimators");
        PrintWriter w = cl.getOut();
        List<Comparison.Result> results = new ArrayList<>();
        try (Progress bar = Progress.start("estimators", (long) samples * chosen.size(), common.quiet)) {
            for (GradientEstimator e : chosen) {
                bar.message(e.name());
                results.add(Comparison.run(p, e, samples, Math.min(samples, 500), 20, common.seed, bar::stepBy));
            }
        }
        write(out, p, results);
        if (!common.quiet) {
            printTable(w, p, results);
            w.println("results in " + out.dir());
        }
        return 0;
    }

    private Problem buildProblem(CommandLine cl) {
        for (double v : logits) {
            if (!Double.isFinite(v)) {
                throw new ParameterException(cl, "--logits must be finite numbers, got " + v);
            }
        }
        if (!Double.isFinite(target)) {
            throw new ParameterException(cl, "--target must be a finite number");
        }
        switch (problem) {
            case "bernoulli":
                return Problem.bernoulli(logits, target);
            case "categorical":
                if (logits.length < 2) {
                    throw new ParameterException(cl, "categorical needs at least 2 logits");
                }
                return Problem.categorical(logits, target);
            case "poisson":
                if (logits.length != 1) {
                    throw new ParameterException(cl, "poisson takes one logit, got " + logits.length);
                }
                return Problem.poisson(logits, target);
            case "binomial":
                if (logits.length != 1) {
                    throw new ParameterException(cl, "binomial takes one logit, got " + logits.length);
                }
                if (trials < 1) {
                    throw new ParameterException(cl, "--trials must be >= 1, got " + trials);
                }
                return Problem.binomial(logits, target, trials);
            default:
                throw new ParameterException(cl, "unknown --problem '" + problem
                        + "'; expected bernoulli, categorical, poisson or binomial");
        }
    }

    private List<GradientEstimator> choose(CommandLine cl, Problem p, Estimators.Options options) {
        boolean all = estimators.size() == 1 && "all".equals(estimators.get(0));
        List<String> names = all ? Estimators.NAMES : estimators;
        List<GradientEstimator> chosen = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray probe = m.zeros(new ai.djl.ndarray.types.Shape(1, p.theta().length));
            for (String name : names) {
                GradientEstimator e;
                try {
                    e = Estimators.create(name, options);
                } catch (IllegalArgumentException ex) {
                    if (all) {
                        continue;
                    }
                    throw new ParameterException(cl, ex.getMessage());
                }
                if (e.supports(p.distribution().apply(probe))) {
                    chosen.add(e);
                } else if (!all) {
                    throw new ParameterException(cl, "estimator " + name + " does not apply to the " + p.name()
                            + " problem");
                }
            }
        }
        return chosen;
    }

    private void write(RunOutput out, Problem p, List<Comparison.Result> results) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("problem", p.name());
        settings.put("logits", p.theta());
        settings.put("target", p.target());
        settings.put("trials", trials);
        settings.put("samples", samples);
        settings.put("tau", tau);
        settings.put("k", k);
        summary.put("settings", settings);
        List<Map<String, Object>> entries = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        for (Comparison.Result r : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("problem", r.problem());
            e.put("estimator", r.estimator());
            e.put("unbiased", r.unbiased());
            e.put("samples", r.samples());
            e.put("exact", r.exact());
            e.put("mean", r.mean());
            e.put("stderr", r.stderr());
            e.put("variance", r.variance());
            e.put("seconds", r.seconds());
            entries.add(e);
            for (int i = 0; i < r.exact().length; i++) {
                rows.add(List.of(r.estimator(), r.unbiased(), i, r.exact()[i], r.mean()[i], r.stderr()[i],
                        r.variance()[i], r.mean()[i] - r.exact()[i]));
            }
        }
        summary.put("results", entries);
        out.json("summary.json", summary);
        out.csv("estimators.csv",
                List.of("estimator", "unbiased", "coordinate", "exact", "mean", "stderr", "variance", "bias"), rows);
        List<String> names = new ArrayList<>();
        double[] bias = new double[results.size()];
        double[] variance = new double[results.size()];
        for (int j = 0; j < results.size(); j++) {
            Comparison.Result r = results.get(j);
            names.add(r.estimator());
            // log10 on a linear axis: exact estimators have zero variance, which a log axis cannot show.
            bias[j] = Math.log10(Math.max(rms(r.mean(), r.exact()), 1e-16));
            variance[j] = Math.log10(Math.max(Arrays.stream(r.variance()).average().orElse(0), 1e-16));
        }
        Plots.bars(out.resolve("estimators.png"), "Gradient estimators on the " + p.name() + " problem",
                "log10, over the coordinates of theta", names,
                List.of("log10 |bias| (rms of mean - exact)", "log10 variance (mean)"), List.of(bias, variance), false);
    }

    private static double rms(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    private static void printTable(PrintWriter w, Problem p, List<Comparison.Result> results) {
        w.printf(Locale.ROOT, "problem %s, logits %s, target %s; exact gradient %s%n", p.name(),
                Arrays.toString(p.theta()), p.target(), fmt(p.exact()));
        w.printf(Locale.ROOT, "%-18s %-8s %10s %10s %12s %8s%n", "estimator", "unbiased", "|bias|", "max z",
                "variance", "seconds");
        for (Comparison.Result r : results) {
            w.printf(Locale.ROOT, "%-18s %-8s %10.3g %10.2f %12.4g %8.2f%n", r.estimator(), r.unbiased(),
                    rms(r.mean(), r.exact()), r.maxZ(), Arrays.stream(r.variance()).average().orElse(0),
                    r.seconds());
        }
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.5g", v[i]));
        }
        return sb.append(']').toString();
    }
}
