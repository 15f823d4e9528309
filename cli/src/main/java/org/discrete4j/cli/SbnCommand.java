package org.discrete4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.train.Seeds;
import org.discrete4j.vae.Evaluation;
import org.discrete4j.vae.Latent;
import org.discrete4j.vae.Sbn;
import org.discrete4j.vae.Trainable;
import org.discrete4j.vae.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j sbn}: structured output prediction with a sigmoid belief network (issue 5). */
@Command(name = "sbn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Structured output prediction as Jang, Gu and Poole (ICLR 2017, section 4.1): predict the lower half of",
            "a binarised digit from its upper half through two stochastic layers, Bernoulli 392-200-200-392 or",
            "categorical 392-(20x10)-(20x10)-392 (affine logits per layer), one estimator per layer (nested),",
            "tau = 1 fixed, Adam, batch 100. Reports the test -log p(lower | upper) estimated with --eval-samples",
            "draws of p(h | upper) (1000, as the paper) and the one-draw bound E[-log p(lower | h)].",
            "Writes summary.json, curve.csv, learning_curve.png, completions.png (test images, then the same upper",
            "halves with predicted lower halves) and checkpoint.bin (each epoch; --resume continues it) to --out."})
public final class SbnCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--latent", paramLabel = "L", description = "bernoulli or categorical (default: ${DEFAULT-VALUE}).")
    String latent = "bernoulli";

    @Option(names = "--units", paramLabel = "U",
            description = "Units per layer (categorical: variables); 0 for the default (200, or 20 of 10 classes).")
    int units;

    @Option(names = "--classes", paramLabel = "K", description = "Classes of categorical variables; 0 for 10.")
    int classes;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (!latent.equals("bernoulli") && !latent.equals("categorical")) {
            throw new ParameterException(cl, "--latent must be bernoulli or categorical, got '" + latent + "'");
        }
        Latent layer;
        try {
            layer = Latent.of(latent, units, classes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--units/--classes: " + e.getMessage());
        }
        Trainer.Settings settings = training.settings(cl, common.seed, 2, 1.0, 1.0, 0.0, 1);
        TrainingOptions.checkApplies(cl, settings.estimator(), settings.k(), layer);
        ImageSet train = TrainingOptions.load(cl, training.data, Datasets.Split.TRAIN, training.trainImages);
        ImageSet test = TrainingOptions.load(cl, training.data, Datasets.Split.TEST, training.testImages);
        if (train.count() < settings.batch()) {
            throw new ParameterException(cl, "--batch " + settings.batch() + " exceeds the " + train.count()
                    + " training images");
        }
        int upper = (train.rows() / 2) * train.cols();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(common.seed, -4));
            Sbn sbn = new Sbn(manager, layer, upper, train.dim() - upper);
            TrainingRun.Model model = new TrainingRun.Model() {
                @Override
                public Trainable trainable() {
                    return sbn;
                }

                @Override
                public Evaluation evaluate(NDArray images, int samples, int budget) {
                    return sbn.evaluate(images, samples, budget);
                }

                @Override
                public String boundMeaning() {
                    return "-log (1/m) sum_i p(lower | h_i), h_i ~ p(h | upper), mean over test images";
                }

                @Override
                public String oneDrawMeaning() {
                    return "E_{h ~ p(h | upper)}[log p(lower | h)], averaged over the m draws";
                }

                @Override
                public void pictures(RunOutput out, NDManager m, NDArray images, int rows, int cols) {
                    int n = Math.toIntExact(Math.min(10, images.getShape().get(0)));
                    NDArray first = images.get(":" + n);
                    float[][] both = new float[2 * n][];
                    System.arraycopy(VaeCommand.split(first.toFloatArray(), n), 0, both, 0, n);
                    System.arraycopy(sbn.complete(first), 0, both, n, n);
                    Plots.imageGrid(out.resolve("completions.png"), both, rows, cols, n, 2);
                }
            };
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("inputPixels", upper);
            extra.put("outputPixels", train.dim() - upper);
            return TrainingRun.run(cl, common, training, "sbn", settings, train, test, manager, model, extra);
        }
    }
}
