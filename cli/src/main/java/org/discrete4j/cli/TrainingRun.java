package org.discrete4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.train.Seeds;
import org.discrete4j.vae.Evaluation;
import org.discrete4j.vae.Trainable;
import org.discrete4j.vae.Trainer;
import picocli.CommandLine;

/**
 * What {@code d4j vae} and {@code d4j sbn} share: train with {@link Trainer} (checkpoint each epoch, resume), evaluate
 * on the test set after each epoch and at the end with m importance samples, and write curve.csv, summary.json,
 * learning_curve.png and the model's pictures.
 */
final class TrainingRun {

    /** The model-specific parts of a run. */
    interface Model {
        Trainable trainable();

        /** Test figures with m samples per image. */
        Evaluation evaluate(NDArray images, int samples, int budget);

        /** What the figures are called in summary.json: the bound and the one-draw figure. */
        String boundMeaning();

        String oneDrawMeaning();

        /** Writes PNG grids of the model's outputs for the first test images. */
        void pictures(RunOutput out, NDManager manager, NDArray testImages, int rows, int cols);
    }

    private TrainingRun() {}

    static int run(CommandLine cl, CommonOptions common, TrainingOptions o, String command, Trainer.Settings settings,
            ImageSet train, ImageSet test, NDManager manager, Model model, Map<String, Object> extra) {
        RunOutput out = RunOutput.open(common.out, command);
        // The test set is binarised once with a seed of its own, whatever the training binarisation, so that every
        // run and every estimator is scored on the same binary images.
        Binarization testBinarization = settings.binarization() == Binarization.THRESHOLD ? Binarization.THRESHOLD
                : Binarization.STATIC;
        ImageSet testBinary = testBinarization.prepare(test, Seeds.of(settings.seed(), -2));
        NDArray testX = testBinary.toFloat(manager);

        Trainer trainer = new Trainer(manager, model.trainable(), settings, train);
        List<String> columns = new ArrayList<>(Trainer.COLUMNS);
        columns.add("test_one_draw");
        Trainer.Evaluator evaluator = new Trainer.Evaluator() {
            @Override
            public List<String> columns() {
                return List.of("test_one_draw");
            }

            @Override
            public double[] evaluate(int epoch) {
                return new double[] {model.evaluate(testX, 1, o.evalBudget).meanNegativeElbo()};
            }
        };
        PrintWriter log = cl.getErr();
        try (Progress bar = Progress.start(command + " " + settings.estimator(), settings.epochs(), common.quiet)) {
            trainer.run(out.resolve("checkpoint.bin"), o.resume, evaluator, (epoch, curve) -> {
                double[] last = curve.get(curve.size() - 1);
                writeCurve(out, columns, curve);
                bar.step();
                bar.message(String.format(Locale.ROOT, "loss %.2f test %.2f", last[3], last[5]));
                if (common.verbose) {
                    log.printf(Locale.ROOT, "epoch %d: train loss %.3f, test one-draw bound %.3f, tau %.3f%n",
                            epoch, last[3], last[5], last[2]);
                }
            });
        }
        writeCurve(out, columns, trainer.curve());

        Engine.getInstance().setRandomSeed(Seeds.engineSeed(settings.seed(), -3));
        long start = System.nanoTime();
        Evaluation e = model.evaluate(testX, o.evalSamples, o.evalBudget);
        double evalSeconds = (System.nanoTime() - start) * 1e-9;

        GradientEstimator estimator = Estimators.create(settings.estimator(), new Estimators.Options(1, settings.k()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("provenance", Provenance.of(cl.getParseResult().originalArgs(), common.seed));
        summary.put("command", command);
        summary.put("model", model.trainable().describe());
        summary.put("settings", TrainingOptions.describe(settings, o, train, testBinary));
        summary.put("estimatorUnbiased", estimator.unbiased());
        summary.putAll(extra);
        summary.put("test_nll_bound", e.meanNllBound());
        summary.put("test_nll_bound_meaning", model.boundMeaning());
        summary.put("test_elbo", -e.meanNegativeElbo());
        summary.put("test_elbo_meaning", model.oneDrawMeaning());
        summary.put("eval_samples", e.samples());
        summary.put("train_seconds", trainer.trainSeconds());
        summary.put("eval_seconds", evalSeconds);
        summary.put("epochs", trainer.epochsDone());
        summary.put("steps", trainer.steps());
        List<double[]> curve = trainer.curve();
        if (!curve.isEmpty()) {
            double[] last = curve.get(curve.size() - 1);
            summary.put("final_train_loss", last[3]);
            summary.put("final_tau", last[2]);
            summary.put("ms_per_step", 1000 * trainer.trainSeconds() / Math.max(1, trainer.steps()));
        }
        summary.put("units", "nats per image");
        out.json("summary.json", summary);

        if (!curve.isEmpty()) {
            double[] x = new double[curve.size()];
            double[] loss = new double[curve.size()];
            double[] testOne = new double[curve.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = curve.get(i)[0];
                loss[i] = curve.get(i)[3];
                testOne[i] = curve.get(i)[5];
            }
            Plots.lines(out.resolve("learning_curve.png"), command + " " + model.trainable().describe().get("latent")
                    + ", " + settings.estimator() + ": loss per image", "epoch", "nats",
                    List.of(new Plots.Series("train loss (estimator's objective)", x, loss),
                            new Plots.Series("test, one draw", x, testOne)), false, false);
        }
        int shown = Math.min(testBinary.count(), 50);
        model.pictures(out, manager, testX.get(":" + shown), testBinary.rows(), testBinary.cols());
        if (!common.quiet) {
            PrintWriter w = cl.getOut();
            w.printf(Locale.ROOT, "%s %s, %s: %d epochs, %d steps, %.1f s training (%.2f ms/step)%n", command,
                    model.trainable().describe().get("latent"), settings.estimator(), trainer.epochsDone(),
                    trainer.steps(), trainer.trainSeconds(), 1000 * trainer.trainSeconds()
                            / Math.max(1, trainer.steps()));
            w.printf(Locale.ROOT, "test -log p bound (m = %d): %.3f nats; test ELBO: %.3f nats%n", e.samples(),
                    e.meanNllBound(), -e.meanNegativeElbo());
            w.println("results in " + out.dir());
        }
        return 0;
    }

    private static void writeCurve(RunOutput out, List<String> columns, List<double[]> curve) {
        List<List<?>> rows = new ArrayList<>();
        for (double[] r : curve) {
            List<Object> row = new ArrayList<>();
            row.add((long) r[0]);
            row.add((long) r[1]);
            for (int i = 2; i < r.length; i++) {
                row.add(r[i]);
            }
            rows.add(row);
        }
        out.csv("curve.csv", columns, rows);
    }
}
