package org.discrete4j.cli;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.vae.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of the commands that train a model on images through a gradient estimator ({@code d4j vae},
 * {@code d4j sbn}). The temperature options default per command (a null field takes the command's default).
 */
public final class TrainingOptions {

    @Option(names = "--estimator", paramLabel = "NAME",
            description = "Gradient estimator from the registry (d4j estimators --help), e.g. gumbel-softmax,"
                    + " st-gumbel-softmax, st, muprop, nvil, reinforce, rloo, gengs (default: ${DEFAULT-VALUE}).")
    String estimator = "gumbel-softmax";

    @Option(names = "--data", paramLabel = "SET",
            description = "mnist-10k, fashion-mnist or a folder of MNIST-style IDX files (default: ${DEFAULT-VALUE}).")
    String data = Datasets.MNIST_10K;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs = 100;

    @Option(names = "--batch", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 1e-3;

    @Option(names = "--binarization", paramLabel = "B",
            description = "static (one seeded draw, as the paper), dynamic or threshold (default: ${DEFAULT-VALUE}).")
    String binarization = "static";

    @Option(names = "--k", paramLabel = "K",
            description = "Draws per estimate of multi-draw estimators (rloo, reinforce-batch, gumbel-rao)"
                    + " (default: ${DEFAULT-VALUE}).")
    int k = 4;

    @Option(names = "--tau", paramLabel = "T", description = "Initial temperature tau0 of tempered estimators.")
    Double tau;

    @Option(names = "--tau-min", paramLabel = "T", description = "Floor of the temperature schedule.")
    Double tauMin;

    @Option(names = "--tau-rate", paramLabel = "R",
            description = "r in tau = max(tau-min, tau0 exp(-r t)) (t = steps); 0 keeps tau0.")
    Double tauRate;

    @Option(names = "--tau-every", paramLabel = "N", description = "Steps between temperature updates.")
    Long tauEvery;

    @Option(names = "--eval-samples", paramLabel = "M",
            description = "Importance samples per test image for the final bound (default: ${DEFAULT-VALUE},"
                    + " as Jang et al.).")
    int evalSamples = 1000;

    @Option(names = "--eval-budget", paramLabel = "P",
            description = "(sample, image) pairs evaluated at once, bounding memory (default: ${DEFAULT-VALUE}).")
    int evalBudget = 20_000;

    @Option(names = "--train-images", paramLabel = "N",
            description = "Use only the first N training images (0: all) (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--test-images", paramLabel = "N",
            description = "Use only the first N test images (0: all) (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--resume", description = "Continue from the checkpoint in --out.")
    boolean resume;

    /** Checks the options and builds the trainer's settings with the command's temperature defaults. */
    Trainer.Settings settings(CommandLine cl, long seed, int layers, double tauDefault, double tauMinDefault,
            double rateDefault, long everyDefault) {
        if (epochs < 0) {
            throw new ParameterException(cl, "--epochs must be >= 0, got " + epochs);
        }
        if (batch < 1) {
            throw new ParameterException(cl, "--batch must be >= 1, got " + batch);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new ParameterException(cl, "--lr must be a finite number > 0, got " + lr);
        }
        if (k < 1) {
            throw new ParameterException(cl, "--k must be >= 1, got " + k);
        }
        if (evalSamples < 1 || evalBudget < 1) {
            throw new ParameterException(cl, "--eval-samples and --eval-budget must be >= 1");
        }
        if (trainImages < 0 || testImages < 0) {
            throw new ParameterException(cl, "--train-images and --test-images must be >= 0");
        }
        Binarization b;
        try {
            b = Binarization.parse(binarization);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--binarization: " + e.getMessage());
        }
        try {
            Estimators.create(estimator, new Estimators.Options(1, k));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--estimator: " + e.getMessage());
        }
        try {
            return new Trainer.Settings(estimator, k, or(tau, tauDefault), or(tauMin, tauMinDefault),
                    or(tauRate, rateDefault), tauEvery == null ? everyDefault : tauEvery, epochs, batch, lr, seed, b);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "temperature schedule: " + e.getMessage());
        }
    }

    /** Checks that the estimator applies to the model's latent variables, as a usage error. */
    static void checkApplies(CommandLine cl, String estimator, int k, org.discrete4j.vae.Latent latent) {
        try (NDManager m = NDManager.newBaseManager()) {
            GradientEstimator e = Estimators.create(estimator, new Estimators.Options(1, k));
            if (!e.supports(latent.posterior(m.zeros(new ai.djl.ndarray.types.Shape(1, latent.parameters()))))) {
                throw new ParameterException(cl, "--estimator " + estimator + " does not apply to " + latent.name()
                        + " latent variables");
            }
        }
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }

    /** One split of the data set, cut to {@code limit} images when positive. */
    static ImageSet load(CommandLine cl, String data, Datasets.Split split, int limit) {
        ImageSet set;
        try {
            set = Datasets.load(data, split);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--data: " + e.getMessage());
        }
        return limit > 0 && limit < set.count() ? set.subset(0, limit) : set;
    }

    /** The settings for summary.json. */
    static Map<String, Object> describe(Trainer.Settings s, TrainingOptions o, ImageSet train, ImageSet test) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimator", s.estimator());
        m.put("k", s.k());
        m.put("data", o.data);
        m.put("trainImages", train.count());
        m.put("testImages", test.count());
        m.put("binarization", s.binarization().name().toLowerCase(java.util.Locale.ROOT));
        m.put("epochs", s.epochs());
        m.put("batch", s.batch());
        m.put("optimizer", "Adam (beta1 0.9, beta2 0.999, eps 1e-8)");
        m.put("learningRate", s.learningRate());
        m.put("tau0", s.tau());
        m.put("tauMin", s.tauMin());
        m.put("tauRate", s.tauRate());
        m.put("tauEvery", s.tauEvery());
        m.put("temperatureSchedule", "tau = max(tauMin, tau0 * exp(-tauRate * t)), t = step rounded down to a"
                + " multiple of tauEvery; used by tempered estimators only");
        m.put("evalSamples", o.evalSamples);
        m.put("evalBudget", o.evalBudget);
        m.put("seed", s.seed());
        return m;
    }
}
