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
import org.discrete4j.vae.Trainable;
import org.discrete4j.vae.Trainer;
import org.discrete4j.vae.Vae;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code d4j vae}: a VAE with discrete latent variables trained through a gradient estimator (issue 5). */
@Command(name = "vae", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a variational autoencoder on binarised images with discrete latent variables through a gradient",
            "estimator, as Jang, Gu and Poole (ICLR 2017, section 4.2): encoder 784-512-256 and a mirrored decoder",
            "(ReLU), 200 Bernoulli units or 20 categorical variables of 10 classes with a uniform prior (KL in",
            "closed form), Adam, batch 100, tau = max(0.5, exp(-r t)) with r = 1e-4 updated every 500 steps. Also",
            "Poisson (prior rate 1) and binomial (10 trials, prior p = 1/2) latents of 20 units (Joo et al.'s",
            "GenGS against score-function estimators). 'st' with the schedule is the slope-annealed ST;",
            "--tau-rate 0 gives plain ST.",
            "Reports the importance-sampled bound on the test -log p(x) with --eval-samples draws of q (1000, as",
            "the paper) and the test ELBO. Writes summary.json, curve.csv, learning_curve.png, reconstructions.png",
            "(rows of test images and their reconstructions), samples.png and checkpoint.bin (each epoch;",
            "--resume continues it) to --out."})
public final class VaeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--latent", paramLabel = "L",
            description = "bernoulli, categorical, poisson or binomial (default: ${DEFAULT-VALUE}).")
    String latent = "categorical";

    @Option(names = "--units", paramLabel = "U",
            description = "Latent units (categorical: variables); 0 for the default of the latent.")
    int units;

    @Option(names = "--classes", paramLabel = "K",
            description = "Classes of categorical variables, trials of binomial ones; 0 for the default.")
    int classes;

    @Option(names = "--hidden", paramLabel = "H", split = ",",
            description = "Hidden widths of the encoder (the decoder mirrors them) (default: 512,256).")
    int[] hidden = {512, 256};

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Latent layer;
        try {
            layer = Latent.of(latent, units, classes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--latent: " + e.getMessage());
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new ParameterException(cl, "--hidden widths must be >= 1");
            }
        }
        Trainer.Settings settings = training.settings(cl, common.seed, 1, 1.0, 0.5, 1e-4, 500);
        TrainingOptions.checkApplies(cl, settings.estimator(), settings.k(), layer);
        ImageSet train = TrainingOptions.load(cl, training.data, Datasets.Split.TRAIN, training.trainImages);
        ImageSet test = TrainingOptions.load(cl, training.data, Datasets.Split.TEST, training.testImages);
        if (train.count() < settings.batch()) {
            throw new ParameterException(cl, "--batch " + settings.batch() + " exceeds the " + train.count()
                    + " training images");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(common.seed, -4));
            Vae vae = new Vae(manager, layer, train.dim(), hidden);
            TrainingRun.Model model = new TrainingRun.Model() {
                @Override
                public Trainable trainable() {
                    return vae;
                }

                @Override
                public Evaluation evaluate(NDArray images, int samples, int budget) {
                    return vae.evaluate(images, samples, budget);
                }

                @Override
                public String boundMeaning() {
                    return "-log (1/m) sum_i p(x, z_i) / q(z_i | x), z_i ~ q discrete, mean over test images";
                }

                @Override
                public String oneDrawMeaning() {
                    return "E_q[log p(x | z)] - KL(q || prior): expectation over the m draws, KL in closed form";
                }

                @Override
                public void pictures(RunOutput out, NDManager m, NDArray images, int rows, int cols) {
                    int n = Math.toIntExact(Math.min(10, images.getShape().get(0)));
                    float[][] originals = images.get(":" + n).toFloatArray().length == 0 ? new float[0][]
                            : split(images.get(":" + n).toFloatArray(), n);
                    float[][] recon = vae.reconstruct(images.get(":" + n));
                    float[][] both = new float[2 * n][];
                    System.arraycopy(originals, 0, both, 0, n);
                    System.arraycopy(recon, 0, both, n, n);
                    Plots.imageGrid(out.resolve("reconstructions.png"), both, rows, cols, n, 2);
                    Plots.imageGrid(out.resolve("samples.png"), vae.sample(m, 100), rows, cols, 10, 2);
                }
            };
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("kl", "closed form against the fixed prior, as Jang et al.'s categorical VAE; the estimator"
                    + " differentiates E_q[-log p(x | z)] only");
            return TrainingRun.run(cl, common, training, "vae", settings, train, test, manager, model, extra);
        }
    }

    static float[][] split(float[] flat, int n) {
        int d = flat.length / n;
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
