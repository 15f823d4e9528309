package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.discrete4j.cli.EstimatorsCommandTest.concat;
import static org.discrete4j.cli.EstimatorsCommandTest.run;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.discrete4j.cli.EstimatorsCommandTest.Run;
import org.discrete4j.learn.EbmFiles;
import org.discrete4j.model.NeuralEnergy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EbmCommandTest {

    /** A tiny run on mnist-10k: width-8 MLP, 6 iterations of 2 GWG steps on 10 states, short AIS everywhere. */
    static final String[] TINY = {"ebm", "--width", "8", "--batch", "10", "--steps", "2", "--buffer", "40",
        "--warmup", "2", "--lr", "1e-3", "--checkpoint-every", "3", "--log-every", "1", "--eval-every", "3",
        "--val-temperatures", "5", "--val-chains", "4", "--validation", "100", "--test-temperatures", "5",
        "--test-chains", "4", "--reinit", "0.1", "--seed", "5", "--quiet"};

    @Test
    @SuppressWarnings("unchecked")
    void trainsWritesEverythingAndSavesALoadableModel(@TempDir Path dir) throws IOException {
        Run r = run(concat(TINY, "--iterations", "6", "--out", dir.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        for (String f : List.of("summary.json", "curve.csv", "validation.csv", "learning_curve.png", "validation.png",
                "buffer.png", "data.png", "checkpoint.ckpt", EbmFiles.BEST, EbmFiles.FINAL)) {
            assertThat(dir.resolve(f)).as(f).exists().isNotEmptyFile();
        }
        Map<String, Object> summary = RunOutput.readJson(dir.resolve("summary.json"));
        assertThat((Map<String, Object>) summary.get("provenance")).containsKeys("command", "seed", "djl");
        Map<String, Object> settings = (Map<String, Object>) summary.get("settings");
        assertThat(settings).containsEntry("data", "mnist-10k").containsEntry("binarization", "static")
                .containsEntry("energy", "mlp").containsEntry("width", 8).containsEntry("steps", 2)
                .containsEntry("sampler", "gwg").containsEntry("trainImages", 7900).containsEntry("testImages", 2000);
        Map<String, Object> results = (Map<String, Object>) summary.get("results");
        assertThat(results).containsEntry("iterations", 6);
        Map<String, Object> test = (Map<String, Object>) results.get("test");
        assertThat(test).containsEntry("temperatures", 5).containsEntry("chains", 4).containsEntry("images", 2000);
        double ll = (Double) test.get("logLikelihood");
        // A barely trained model is about the data-mean Bernoulli, roughly −200 nats per MNIST digit.
        assertThat(ll).isBetween(-400.0, -100.0);
        List<String> curve = Files.readAllLines(dir.resolve("curve.csv"));
        assertThat(curve.get(0)).startsWith("iteration,learning_rate,logp_data,logp_buffer,gap,acceptance");
        assertThat(curve).hasSize(7);
        assertThat(Files.readAllLines(dir.resolve("validation.csv"))).hasSize(3);

        try (NDManager m = NDManager.newBaseManager()) {
            NeuralEnergy e = EbmFiles.load(dir, m);
            assertThat(e.dim()).isEqualTo(784);
            assertThat(EbmFiles.about(dir)).containsEntry("data", "mnist-10k").containsEntry("dataSeed", 0L);
        }

        // d4j ais reads the saved model from the folder, with the data it was trained on.
        Path ais = dir.resolve("ais");
        Run scored = run("ais", "--model-file", dir.toString(), "--temperatures", "5", "--chains", "4", "--seed", "1",
                "--quiet", "--out", ais.toString());
        assertThat(scored.code()).as(scored.err()).isZero();
        Map<String, Object> scoredSummary = RunOutput.readJson(ais.resolve("summary.json"));
        assertThat((Map<String, Object>) scoredSummary.get("settings")).containsEntry("data", "mnist-10k")
                .containsEntry("sampler", "gwg");
        assertThat((Double) ((Map<String, Object>) scoredSummary.get("results")).get("logLikelihood"))
                .isBetween(-400.0, -100.0);

        // The folder now holds a checkpoint: starting again there is refused unless resuming.
        Run again = run(concat(TINY, "--iterations", "6", "--out", dir.toString()));
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("--resume");
    }

    /** Stopped after one chunk and resumed, a run ends exactly where an uninterrupted one does. */
    @Test
    @SuppressWarnings("unchecked")
    void resumeMatchesAnUninterruptedRun(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        String[] dynamic = concat(TINY, "--binarization", "dynamic");
        assertThat(run(concat(dynamic, "--iterations", "6", "--out", whole.toString())).code()).isZero();
        assertThat(run(concat(dynamic, "--iterations", "3", "--out", parts.toString())).code()).isZero();
        Run resumed = run(concat(dynamic, "--iterations", "6", "--resume", "--out", parts.toString()));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Map<String, Object> a = (Map<String, Object>) RunOutput.readJson(whole.resolve("summary.json")).get("results");
        Map<String, Object> b = (Map<String, Object>) RunOutput.readJson(parts.resolve("summary.json")).get("results");
        assertThat(b.get("bestValidation")).isEqualTo(a.get("bestValidation"));
        assertThat(b.get("bestIteration")).isEqualTo(a.get("bestIteration"));
        assertThat(((Map<String, Object>) b.get("test")).get("logLikelihood"))
                .isEqualTo(((Map<String, Object>) a.get("test")).get("logLikelihood"));
        List<String> ca = Files.readAllLines(whole.resolve("curve.csv"));
        List<String> cb = Files.readAllLines(parts.resolve("curve.csv"));
        assertThat(cb).hasSameSizeAs(ca);
        for (int i = 0; i < ca.size(); i++) { // every column but the last, wall time
            assertThat(cb.get(i).replaceFirst(",[^,]*$", "")).isEqualTo(ca.get(i).replaceFirst(",[^,]*$", ""));
        }
        assertThat(Files.readAllBytes(parts.resolve(EbmFiles.FINAL))).isEqualTo(
                Files.readAllBytes(whole.resolve(EbmFiles.FINAL)));
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        Run r = run("ebm", "--energy", "cnn", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--energy");
        r = run("ebm", "--log-every", "7", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("log interval");
        r = run("ebm", "--resume");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out");
        r = run("ebm", "--data", dir.resolve("none").toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--data");
    }
}
