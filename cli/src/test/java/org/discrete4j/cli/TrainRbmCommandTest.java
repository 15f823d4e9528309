package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.discrete4j.cli.EstimatorsCommandTest.concat;
import static org.discrete4j.cli.EstimatorsCommandTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.discrete4j.cli.EstimatorsCommandTest.Run;
import org.discrete4j.model.Models;
import org.discrete4j.model.Rbm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRbmCommandTest {

    /** A few seconds of training: 5 hidden units (exact log Z), 40 updates per epoch on mnist-10k. */
    static final String[] BASE = {"train-rbm", "--batch-size", "200", "--eval-images", "10",
        "--samples", "4", "--sample-steps", "5", "--seed", "3", "--quiet"};

    static final String[] SMALL = concat(BASE, "--hidden", "5");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void trainsWritesItsOutputsAndResumesBitForBit() throws IOException {
        Path whole = dir.resolve("whole");
        Path split = dir.resolve("split");
        Run a = run(concat(SMALL, "--epochs", "2", "--out", whole.toString()));
        assertThat(a.code()).as(a.err()).isZero();
        Run b = run(concat(SMALL, "--epochs", "2", "--stop-after", "1", "--out", split.toString()));
        assertThat(b.code()).as(b.err()).isZero();
        Run c = run(concat(SMALL, "--epochs", "2", "--resume", "--out", split.toString()));
        assertThat(c.code()).as(c.err()).isZero();

        for (String f : List.of("model.json", "curve.csv", "curve_likelihood.png", "curve_reconstruction.png",
                "samples.png", "chains.png", "weights.png", "summary.json", TrainRbmCommand.CHECKPOINT)) {
            assertThat(whole.resolve(f)).exists().isNotEmptyFile();
        }
        // The resumed run made exactly the updates of the uninterrupted one.
        Map<String, Object> m1 = RunOutput.readJson(whole.resolve("model.json"));
        Map<String, Object> m2 = RunOutput.readJson(split.resolve("model.json"));
        for (String key : List.of("weights", "visibleBias", "hiddenBias")) {
            assertThat(m2.get(key)).as(key).isEqualTo(m1.get(key));
        }
        List<List<String>> c1 = curveWithoutSeconds(whole);
        List<List<String>> c2 = curveWithoutSeconds(split);
        assertThat(c1).hasSize(2).isEqualTo(c2);
        assertThat(c1.get(1).get(7)).isEqualTo("exact");

        Map<String, Object> summary = RunOutput.readJson(whole.resolve("summary.json"));
        assertThat((Map<String, Object>) summary.get("provenance")).containsKeys("command", "seed", "pytorch");
        Map<String, Object> settings = (Map<String, Object>) summary.get("settings");
        assertThat(settings).containsEntry("hidden", 5).containsEntry("method", "pcd").containsEntry("optimizer",
                "adam").containsEntry("data", "mnist-10k");
        Map<String, Object> results = (Map<String, Object>) summary.get("results");
        assertThat(results).containsEntry("epochs", 2).containsEntry("logLikelihoodMethod", "exact");
        double ll = ((Number) results.get("testLogLikelihood")).doubleValue();
        // Independent pixels at the data mean score about -206 nats on binarised MNIST; 5 hidden units do a bit
        // better after two epochs but nowhere near a real model.
        assertThat(ll).isBetween(-230.0, -150.0);

        // The model file rebuilds the trained RBM and d4j sample runs on it.
        Rbm rbm = (Rbm) Models.fromParameters(m1);
        assertThat(rbm.visible()).isEqualTo(784);
        assertThat(rbm.hidden()).isEqualTo(5);
        assertThat(((Number) results.get("logZ")).doubleValue()).isCloseTo(rbm.logZ(),
                org.assertj.core.data.Offset.offset(1e-9));
        Path sampled = dir.resolve("sample");
        Run s = run("sample", "--model-file", whole.resolve("model.json").toString(), "--sampler", "rbm-gibbs",
                "--chains", "2", "--steps", "20", "--quiet", "--out", sampled.toString());
        assertThat(s.code()).as(s.err()).isZero();
        Map<String, Object> m3 = RunOutput.readJson(sampled.resolve("model.json"));
        assertThat(m3.get("weights")).isEqualTo(m1.get("weights"));
        assertThat(m3.get("visibleBias")).isEqualTo(m1.get("visibleBias"));
    }

    @Test
    void largeModelsAreScoredByAis() throws IOException {
        Path out = dir.resolve("ais");
        Run r = run(concat(BASE, "--hidden", "21", "--epochs", "1", "--ais-chains", "3", "--ais-temperatures", "10",
                "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        List<List<String>> curve = curveWithoutSeconds(out);
        assertThat(curve.get(0).get(7)).isEqualTo("ais");
        assertThat(Double.parseDouble(curve.get(0).get(6))).isPositive(); // log Z standard error
    }

    @Test
    void badInputIsAUsageError() throws IOException {
        assertUsage(concat(SMALL, "--method", "sgd", "--out", dir.resolve("a").toString()), "cd or pcd");
        assertUsage(concat(BASE, "--hidden", "0", "--out", dir.resolve("b").toString()), "--hidden");
        assertUsage(concat(SMALL, "--binarization", "grey", "--out", dir.resolve("c").toString()), "binarisation");
        assertUsage(concat(SMALL, "--data", dir.resolve("none").toString(), "--out", dir.resolve("d").toString()),
                "--data");
        assertUsage(concat(SMALL, "--lr", "0", "--out", dir.resolve("e").toString()), "--lr");
        assertUsage(concat(SMALL, "--resume", "--out", dir.resolve("f").toString()), "no checkpoint.bin");
        Path done = dir.resolve("g");
        Run r = run(concat(SMALL, "--epochs", "1", "--out", done.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertUsage(concat(SMALL, "--epochs", "1", "--out", done.toString()), "--resume");
        assertUsage(concat(BASE, "--epochs", "1", "--hidden", "6", "--resume", "--out", done.toString()),
                "settings differ");
        // The linear learning-rate decay depends on the number of epochs, so it cannot change on resume.
        assertUsage(concat(SMALL, "--epochs", "2", "--resume", "--out", done.toString()), "settings differ");
        assertUsage(concat(SMALL, "--lr-decay", "cosine", "--out", dir.resolve("h").toString()), "--lr-decay");
        assertUsage(concat(SMALL, "--stop-after", "0", "--out", dir.resolve("i").toString()), "--stop-after");
    }

    private static void assertUsage(String[] args, String message) {
        Run r = run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    /** curve.csv's rows without the wall-clock column. */
    static List<List<String>> curveWithoutSeconds(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("curve.csv"));
        assertThat(lines.get(0)).isEqualTo(String.join(",", TrainRbmCommand.CURVE_HEADER));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(1);
            rows.add(cells);
        }
        return rows;
    }
}
