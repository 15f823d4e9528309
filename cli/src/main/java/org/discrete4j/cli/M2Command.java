package org.discrete4j.cli;

import java.io.PrintWriter;
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
import org.discrete4j.vae.M2;
import org.discrete4j.vae.M2.Method;
import org.discrete4j.vae.M2Training;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j m2}: semi-supervised M2 with the class inferred by Gumbel-softmax, straight-through or marginalisation. */
@Command(name = "m2", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Semi-supervised M2 (Kingma et al. 2014) as in Jang, Gu and Poole (ICLR 2017, Table 2): a few labelled",
            "images balanced over the classes, the rest unlabelled; the class y of an unlabelled image inferred with",
            "the Gumbel-softmax (gumbel), straight-through Gumbel-softmax (st-gumbel) or the exact sum over classes",
            "(marginal); Gaussian z. MLPs with one softplus hidden layer (the paper used conv nets).",
            "Reports test accuracy of argmax q(y|x), the test bound -U(x) (y summed out exactly, z drawn once), and",
            "training steps per second at each --speed-classes K (for K beyond the data's classes the labelled",
            "images get random labels in 0..K-1: meaningless, only the cost of K classes is timed, as the paper's",
            "Fig. 5 did). Writes summary.json, curves.csv, speed.csv, accuracy.png, elbo.png, speed.png and",
            "samples-<method>.png (one row per class, z shared down each column) to --out; a checkpoint per method",
            "after every epoch, which --resume continues bit-identically."})
public final class M2Command implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--data", paramLabel = "SET",
            description = "mnist-10k, fashion-mnist or a folder of MNIST-style IDX files (default: ${DEFAULT-VALUE}).")
    String data = Datasets.MNIST_10K;

    @Option(names = "--labels", paramLabel = "N",
            description = "Labelled training images, balanced over the classes (default: ${DEFAULT-VALUE}).")
    int labels = 100;

    @Option(names = "--method", split = ",", paramLabel = "M",
            description = "gumbel, st-gumbel, marginal, or all (default).")
    List<String> methods = List.of("all");

    @Option(names = "--epochs", paramLabel = "E",
            description = "Passes over the unlabelled images (default: ${DEFAULT-VALUE}).")
    int epochs = 20;

    @Option(names = "--batch", paramLabel = "B", description = "Unlabelled images per step (default: ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--labelled-batch", paramLabel = "B",
            description = "Labelled images per step (default: ${DEFAULT-VALUE}).")
    int labelledBatch = 100;

    @Option(names = "--lr", paramLabel = "R", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 1e-3;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Weight of the classification loss as Kingma et al.'s alpha / N (default: ${DEFAULT-VALUE},"
                    + " their alpha = 0.1 N).")
    double alpha = 0.1;

    @Option(names = "--labelled-weight", paramLabel = "W",
            description = "Weight of the labelled bound relative to the unlabelled one (default: N_l/N_u, Kingma et al.'s"
                    + " objective with every image counted once).")
    Double labelledWeight;

    @Option(names = "--latent", paramLabel = "Z", description = "Dimension of z (default: ${DEFAULT-VALUE}).")
    int latent = 50;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Hidden units of each network (default: ${DEFAULT-VALUE}).")
    int hidden = 500;

    @Option(names = "--binarization", paramLabel = "B",
            description = "dynamic, static or threshold (default: ${DEFAULT-VALUE}).")
    String binarization = "dynamic";

    @Option(names = "--tau0", paramLabel = "T", description = "Initial temperature (default: ${DEFAULT-VALUE}).")
    double tau0 = 1.0;

    @Option(names = "--anneal-rate", paramLabel = "R",
            description = "r in tau = max(tau-min, tau0 exp(-r t)) (default: ${DEFAULT-VALUE}).")
    double annealRate = 3e-5;

    @Option(names = "--tau-min", paramLabel = "T", description = "Temperature floor (default: ${DEFAULT-VALUE}).")
    double tauMin = 0.5;

    @Option(names = "--anneal-every", paramLabel = "N",
            description = "Steps between temperature updates (default: ${DEFAULT-VALUE}).")
    long annealEvery = 2000;

    @Option(names = "--train-size", paramLabel = "N", description = "Use only the first N training images.")
    Integer trainSize;

    @Option(names = "--test-size", paramLabel = "N", description = "Use only the first N test images.")
    Integer testSize;

    @Option(names = "--speed-classes", split = ",", paramLabel = "K",
            description = "Class counts at which steps per second are timed; 0 for none (default: 10,100).")
    List<Integer> speedClasses = List.of(10, 100);

    @Option(names = "--speed-seconds", paramLabel = "S",
            description = "Timed seconds per method, class count and round (default: ${DEFAULT-VALUE}).")
    double speedSeconds = 8;

    @Option(names = "--speed-rounds", paramLabel = "R",
            description = "Rounds of timing, methods interleaved; the median is reported (default: ${DEFAULT-VALUE}).")
    int speedRounds = 3;

    @Option(names = "--resume", description = "Continue from the checkpoints in --out.")
    boolean resume;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        List<Method> chosen = chooseMethods(cl);
        checkOptions(cl);
        Binarization bin;
        try {
            bin = Binarization.parse(binarization);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        ImageSet train = Datasets.load(data, Datasets.Split.TRAIN);
        ImageSet test = Datasets.load(data, Datasets.Split.TEST);
        if (trainSize != null) {
            train = train.subset(0, Math.min(trainSize, train.count()));
        }
        if (testSize != null) {
            test = test.subset(0, Math.min(testSize, test.count()));
        }
        RunOutput out = RunOutput.open(common.out, "m2");
        PrintWriter w = cl.getOut();

        List<M2Training.Result> results = new ArrayList<>();
        for (Method m : chosen) {
            M2Training training = new M2Training(train, test, settings(m, bin), train.numClasses());
            M2Training.Result r = training.run(out.resolve("m2-" + m.label() + ".ckpt"), resume, e -> {
                if (!common.quiet) {
                    w.printf(Locale.ROOT, "%-10s epoch %3d/%d  step %6d  tau %.3f  loss %9.3f  test ELBO %9.3f  "
                            + "accuracy %.4f  %.0f s%n", m.label(), e.epoch(), epochs, e.step(), e.tau(),
                            e.trainLoss(), e.testElbo(), e.testAccuracy(), e.seconds());
                }
            });
            if (r.curve().isEmpty()) {
                throw new IllegalArgumentException("--epochs 0: nothing to train or report");
            }
            results.add(r);
        }

        // Timing: methods interleaved within each round so that a change of machine load hits all of them.
        List<Integer> ks = speedClasses.stream().filter(k -> k > 0).toList();
        Map<Integer, Map<Method, List<Double>>> speed = new LinkedHashMap<>();
        for (int round = 0; round < (ks.isEmpty() ? 0 : speedRounds); round++) {
            for (int k : ks) {
                for (Method m : chosen) {
                    double s = new M2Training(train, test, settings(m, bin), k).stepsPerSecond(2, speedSeconds);
                    speed.computeIfAbsent(k, x -> new LinkedHashMap<>()).computeIfAbsent(m, x -> new ArrayList<>())
                            .add(s);
                    if (!common.quiet) {
                        w.printf(Locale.ROOT, "speed round %d  K = %3d  %-10s %8.3f steps/s%n", round + 1, k,
                                m.label(), s);
                    }
                }
            }
        }
        write(out, chosen, bin, train, test, results, speed);
        if (!common.quiet) {
            w.println("results in " + out.dir());
        }
        return 0;
    }

    private M2Training.Settings settings(Method m, Binarization bin) {
        return new M2Training.Settings(m, labels, epochs, batch, labelledBatch, learningRate, alpha,
                labelledWeight == null ? Double.NaN : labelledWeight, latent, hidden,
                bin, tau0, annealRate, tauMin, annealEvery, common.seed);
    }

    private List<Method> chooseMethods(CommandLine cl) {
        if (methods.size() == 1 && "all".equalsIgnoreCase(methods.get(0))) {
            return List.of(Method.values());
        }
        List<Method> out = new ArrayList<>();
        for (String s : methods) {
            try {
                Method m = Method.parse(s);
                if (out.contains(m)) {
                    throw new ParameterException(cl, "--method lists " + m.label() + " twice");
                }
                out.add(m);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, e.getMessage());
            }
        }
        return out;
    }

    private void checkOptions(CommandLine cl) {
        if (labels < 1) {
            throw new ParameterException(cl, "--labels must be >= 1, got " + labels);
        }
        if (epochs < 1) {
            throw new ParameterException(cl, "--epochs must be >= 1, got " + epochs);
        }
        if (batch < 1 || labelledBatch < 1) {
            throw new ParameterException(cl, "--batch and --labelled-batch must be >= 1");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new ParameterException(cl, "--lr must be a positive number, got " + learningRate);
        }
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new ParameterException(cl, "--alpha must be >= 0, got " + alpha);
        }
        if (labelledWeight != null && !(labelledWeight >= 0 && Double.isFinite(labelledWeight))) {
            throw new ParameterException(cl, "--labelled-weight must be >= 0, got " + labelledWeight);
        }
        if (latent < 1 || hidden < 1) {
            throw new ParameterException(cl, "--latent and --hidden must be >= 1");
        }
        if (!(tau0 > 0) || !(tauMin > 0) || tauMin > tau0 || !(annealRate >= 0) || annealEvery < 1) {
            throw new ParameterException(cl, "the temperature schedule needs 0 < --tau-min <= --tau0, "
                    + "--anneal-rate >= 0 and --anneal-every >= 1");
        }
        if ((trainSize != null && trainSize < 2) || (testSize != null && testSize < 1)) {
            throw new ParameterException(cl, "--train-size must be >= 2 and --test-size >= 1");
        }
        if (!(speedSeconds > 0) || speedRounds < 1) {
            throw new ParameterException(cl, "--speed-seconds must be > 0 and --speed-rounds >= 1");
        }
        for (int k : speedClasses) {
            if (k < 0 || k == 1) {
                throw new ParameterException(cl, "--speed-classes must be 0 (none) or >= 2, got " + k);
            }
        }
    }

    private void write(RunOutput out, List<Method> chosen, Binarization bin, ImageSet train, ImageSet test,
            List<M2Training.Result> results, Map<Integer, Map<Method, List<Double>>> speed) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(spec.commandLine().getParseResult().originalArgs(), common.seed));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("data", data);
        s.put("trainImages", train.count());
        s.put("testImages", test.count());
        s.put("classes", train.numClasses());
        s.put("labels", labels);
        s.put("unlabelled", train.count() - labels);
        s.put("methods", chosen.stream().map(Method::label).toList());
        s.put("epochs", epochs);
        s.put("batch", batch);
        s.put("labelledBatch", labelledBatch);
        s.put("optimizer", "adam");
        s.put("learningRate", learningRate);
        s.put("alphaPerN", alpha);
        M2.Weights weights = M2.Weights.of(labels, train.count() - labels, alpha);
        s.put("labelledWeight", labelledWeight != null ? labelledWeight : weights.labelled());
        s.put("classificationWeight", weights.classification());
        s.put("architecture", "MLPs with one softplus hidden layer of " + hidden + ": q(y|x) " + train.dim() + "-"
                + hidden + "-K, q(z|x,y) (" + train.dim() + "+K)-" + hidden + "-2x" + latent + ", p(x|y,z) (" + latent
                + "+K)-" + hidden + "-" + train.dim());
        s.put("latent", latent);
        s.put("hidden", hidden);
        s.put("binarization", bin.name().toLowerCase(Locale.ROOT));
        s.put("testBinarization", bin == Binarization.THRESHOLD ? "threshold" : "static (one seeded draw)");
        s.put("temperature", String.format(Locale.ROOT, "max(%g, %g exp(-%g t)), updated every %d steps", tauMin,
                tau0, annealRate, annealEvery));
        s.put("objective", "Kingma et al. J^alpha per unlabelled image: mean U(x) + labelledWeight mean L(x,y)"
                + " + classificationWeight mean(-log q(y|x))");
        s.put("testElbo", "-mean U(x) over the test images, y summed out exactly, z drawn once per class");
        s.put("speedClasses", speed.keySet());
        s.put("speedSeconds", speedSeconds);
        s.put("speedRounds", speedRounds);
        s.put("speedNote", "steps per second of whole training steps (unlabelled and labelled batches); for K beyond"
                + " the data's classes the labelled images carry random labels in 0..K-1");
        summary.put("settings", s);

        List<Map<String, Object>> entries = new ArrayList<>();
        for (M2Training.Result r : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("method", r.method().label());
            e.put("testAccuracy", r.last().testAccuracy());
            e.put("testElbo", r.last().testElbo());
            e.put("epochs", r.last().epoch());
            e.put("steps", r.last().step());
            e.put("finalTau", r.last().tau());
            e.put("trainSeconds", r.trainSeconds());
            entries.add(e);
        }
        summary.put("results", entries);

        Map<String, Object> speedJson = new LinkedHashMap<>();
        Map<String, Object> speedups = new LinkedHashMap<>();
        List<List<?>> speedRows = new ArrayList<>();
        for (Map.Entry<Integer, Map<Method, List<Double>>> byK : speed.entrySet()) {
            Map<String, Object> perMethod = new LinkedHashMap<>();
            for (Map.Entry<Method, List<Double>> e : byK.getValue().entrySet()) {
                perMethod.put(e.getKey().label(), median(e.getValue()));
                for (int round = 0; round < e.getValue().size(); round++) {
                    speedRows.add(List.of(byK.getKey(), e.getKey().label(), round + 1, e.getValue().get(round)));
                }
            }
            speedJson.put(Integer.toString(byK.getKey()), perMethod);
            List<Double> marginal = byK.getValue().get(Method.MARGINAL);
            if (marginal != null) {
                Map<String, Object> ratio = new LinkedHashMap<>();
                for (Map.Entry<Method, List<Double>> e : byK.getValue().entrySet()) {
                    if (e.getKey() != Method.MARGINAL) {
                        ratio.put(e.getKey().label(), median(e.getValue()) / median(marginal));
                    }
                }
                speedups.put(Integer.toString(byK.getKey()), ratio);
            }
        }
        summary.put("stepsPerSecond", speedJson);
        summary.put("speedupOverMarginal", speedups);
        out.json("summary.json", summary);

        List<List<?>> rows = new ArrayList<>();
        List<Plots.Series> accuracy = new ArrayList<>();
        List<Plots.Series> elbo = new ArrayList<>();
        for (M2Training.Result r : results) {
            int n = r.curve().size();
            double[] x = new double[n];
            double[] acc = new double[n];
            double[] bound = new double[n];
            for (int i = 0; i < n; i++) {
                M2Training.EpochResult e = r.curve().get(i);
                rows.add(List.of(r.method().label(), e.epoch(), e.step(), e.tau(), e.trainLoss(), e.testElbo(),
                        e.testAccuracy(), e.seconds()));
                x[i] = e.epoch();
                acc[i] = e.testAccuracy();
                bound[i] = e.testElbo();
            }
            accuracy.add(new Plots.Series(r.method().label(), x, acc));
            elbo.add(new Plots.Series(r.method().label(), x, bound));
            Plots.imageGrid(out.resolve("samples-" + r.method().label() + ".png"), r.samples(), train.rows(),
                    train.cols(), 10, 2);
        }
        out.csv("curves.csv", List.of("method", "epoch", "step", "tau", "train_loss", "test_elbo", "test_accuracy",
                "seconds"), rows);
        out.csv("speed.csv", List.of("classes", "method", "round", "steps_per_second"), speedRows);
        Plots.lines(out.resolve("accuracy.png"), "M2 test accuracy, " + labels + " labels (" + data + ")", "epoch",
                "accuracy", accuracy, false, false);
        Plots.lines(out.resolve("elbo.png"), "M2 test ELBO (" + data + ")", "epoch", "ELBO (nats)", elbo, false,
                false);
        if (!speed.isEmpty()) {
            List<String> categories = speed.keySet().stream().map(k -> "K = " + k).toList();
            List<double[]> values = new ArrayList<>();
            for (Method m : chosen) {
                double[] v = new double[categories.size()];
                int i = 0;
                for (Map<Method, List<Double>> perMethod : speed.values()) {
                    v[i++] = median(perMethod.get(m));
                }
                values.add(v);
            }
            Plots.bars(out.resolve("speed.png"), "M2 training steps per second", "steps/s (median of rounds)",
                    categories, chosen.stream().map(Method::label).toList(), values, true);
        }
        if (!common.quiet) {
            printTable(results, speed, speedups);
        }
    }

    private void printTable(List<M2Training.Result> results, Map<Integer, Map<Method, List<Double>>> speed,
            Map<String, Object> speedups) {
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%-10s %10s %10s %8s %10s%n", "method", "accuracy", "test ELBO", "epochs", "seconds");
        for (M2Training.Result r : results) {
            w.printf(Locale.ROOT, "%-10s %10.4f %10.3f %8d %10.1f%n", r.method().label(), r.last().testAccuracy(),
                    r.last().testElbo(), r.last().epoch(), r.trainSeconds());
        }
        for (Map.Entry<Integer, Map<Method, List<Double>>> byK : speed.entrySet()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "K = %3d steps/s:", byK.getKey()));
            for (Map.Entry<Method, List<Double>> e : byK.getValue().entrySet()) {
                sb.append(String.format(Locale.ROOT, "  %s %.3f", e.getKey().label(), median(e.getValue())));
            }
            Object ratio = speedups.get(Integer.toString(byK.getKey()));
            if (ratio != null) {
                sb.append("  speed-up over marginal ").append(formatRatios(ratio));
            }
            w.println(sb);
        }
    }

    @SuppressWarnings("unchecked")
    private static String formatRatios(Object ratio) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) ratio).entrySet()) {
            sb.append(String.format(Locale.ROOT, "%s %.2fx ", e.getKey(), (Double) e.getValue()));
        }
        return sb.toString().trim();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
