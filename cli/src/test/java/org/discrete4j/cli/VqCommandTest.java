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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VqCommandTest {

    /** 128 training and 40 test digits, a model small enough for a second per epoch. */
    static final String[] SMALL = {"vq", "--train-size", "128", "--test-size", "40", "--hidden", "32",
        "--positions", "4", "--dimension", "8", "--codes", "16", "--batch-size", "32", "--dead-code-limit", "2",
        "--methods", "vq-ema,gumbel-softmax", "--seed", "3", "--grid", "8"};

    @Test
    @SuppressWarnings("unchecked")
    void writesSummaryCurvesPlotsAndCheckpoints(@TempDir Path dir) throws IOException {
        Run r = run(concat(SMALL, "--epochs", "2", "--out", dir.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("method", "test MSE", "perplexity", "vq-ema", "gumbel-softmax", "16 bits",
                "results in");
        for (String png : List.of("test_mse.png", "perplexity.png", "usage.png", "reconstructions.png")) {
            assertThat(dir.resolve(png)).as(png).exists().isNotEmptyFile();
        }
        assertThat(dir.resolve("checkpoint-vq-ema.ckpt")).exists();
        assertThat(dir.resolve("checkpoint-gumbel-softmax.ckpt")).exists();
        // The grid: one row of originals and one per method, 8 images of 28 × 28 at scale 2 with 1-pixel borders.
        java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(dir.resolve("reconstructions.png").toFile());
        assertThat(grid.getWidth()).isEqualTo(8 * 57 + 1);
        assertThat(grid.getHeight()).isEqualTo(3 * 57 + 1);

        Map<String, Object> summary = RunOutput.readJson(dir.resolve("summary.json"));
        Map<String, Object> prov = (Map<String, Object>) summary.get("provenance");
        assertThat((String) prov.get("command")).startsWith("d4j vq --train-size 128");
        Map<String, Object> settings = (Map<String, Object>) summary.get("settings");
        assertThat(settings).containsEntry("train_images", 128).containsEntry("test_images", 40)
                .containsEntry("positions", 4).containsEntry("codes", 16).containsEntry("bits", 16.0)
                .containsEntry("epochs", 2).containsEntry("batch_size", 32).containsEntry("commitment_cost", 0.25)
                .containsEntry("ema_decay", 0.99).containsEntry("dead_code_limit_steps", 2)
                .containsKeys("learning_rate", "hidden", "dimension", "tau0", "tau_min", "tau_rate", "tau_every",
                        "architecture", "reconstruction_loss", "pixel_variance", "methods", "seed");
        List<Map<String, Object>> results = (List<Map<String, Object>>) summary.get("results");
        assertThat(results).extracting(m -> m.get("method")).containsExactly("vq-ema", "gumbel-softmax");
        for (Map<String, Object> m : results) {
            assertThat(m).containsEntry("epochs", 2).containsEntry("steps", 8).containsKeys("test_mse",
                    "test_perplexity", "test_codes_used", "test_dead_codes", "train_perplexity", "train_dead_codes",
                    "train_seconds", "bits");
            double perplexity = ((Number) m.get("test_perplexity")).doubleValue();
            int used = ((Number) m.get("test_codes_used")).intValue();
            assertThat(perplexity).isBetween(1.0, (double) used);
            assertThat(used + ((Number) m.get("test_dead_codes")).intValue()).isEqualTo(16);
            assertThat(((Number) m.get("test_mse")).doubleValue()).isBetween(0.0, 1.0);
        }
        assertThat(results.get(0).get("final_tau")).isNull();
        assertThat(((Number) results.get(1).get("final_tau")).doubleValue()).isBetween(0.5, 1.0);

        List<String> lines = Files.readAllLines(dir.resolve("curves.csv"));
        assertThat(lines.get(0)).isEqualTo(String.join(",", VqCommand.CURVE_HEADER));
        assertThat(lines).hasSize(1 + 2 * 2);
        assertThat(lines.get(1)).startsWith("vq-ema,1,4,");
        assertThat(lines.get(4)).startsWith("gumbel-softmax,2,8,");
    }

    /** Two epochs straight, or one epoch and then --resume to two, give the same figures and curves. */
    @Test
    void resumeContinuesExactly(@TempDir Path dir) throws IOException {
        String a = dir.resolve("a").toString();
        String b = dir.resolve("b").toString();
        assertThat(run(concat(SMALL, "--quiet", "--epochs", "2", "--out", a)).code()).isZero();
        assertThat(run(concat(SMALL, "--quiet", "--epochs", "1", "--out", b)).code()).isZero();
        Run resumed = run(concat(SMALL, "--quiet", "--epochs", "2", "--resume", "--out", b));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(withoutSeconds(dir.resolve("b/curves.csv"))).isEqualTo(withoutSeconds(dir.resolve("a/curves.csv")));
        List<Map<String, Object>> want = results(dir.resolve("a/summary.json"));
        List<Map<String, Object>> got = results(dir.resolve("b/summary.json"));
        for (int i = 0; i < want.size(); i++) {
            want.get(i).remove("train_seconds");
            got.get(i).remove("train_seconds");
            assertThat(got.get(i)).isEqualTo(want.get(i));
        }
        // Resuming a finished run trains nothing and reports the same figures again.
        assertThat(run(concat(SMALL, "--quiet", "--epochs", "2", "--resume", "--out", b)).code()).isZero();
        assertThat(withoutSeconds(dir.resolve("b/curves.csv"))).isEqualTo(withoutSeconds(dir.resolve("a/curves.csv")));

        // Other settings, or fewer epochs than the checkpoint holds: a usage error.
        Run other = run(concat(SMALL, "--quiet", "--epochs", "3", "--lr", "0.01", "--resume", "--out", b));
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("other settings", "Usage:");
        Run fewer = run(concat(SMALL, "--quiet", "--epochs", "1", "--resume", "--out", b));
        assertThat(fewer.code()).isEqualTo(2);
        assertThat(fewer.err()).contains("already holds 2 epochs");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--epochs 0",
        "--batch-size 0",
        "--codes 1",
        "--positions 0",
        "--lr 0",
        "--lr NaN",
        "--commitment -1",
        "--decay 1",
        "--dead-code-limit 0",
        "--tau-min 2",
        "--tau-rate -1",
        "--train-size 0",
        "--methods nope",
        "--methods reinforce",
        "--methods vq-ema,vq-ema",
        "--data /nonexistent/folder",
        "--epochs x",
    })
    void badOptionsAreAUsageErrorWithExitCode2(String line, @TempDir Path dir) {
        Run r = run(concat(concat(new String[] {"vq", "--quiet"}, line.split(" ")), "--out", dir.toString()));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("Usage:").doesNotContain("Exception");
    }

    @Test
    void resumeNeedsAnOutputFolderAndHelpListsTheOptions() {
        Run r = run("vq", "--resume", "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--resume needs --out");
        Run help = run("vq", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--data", "--methods", "--epochs", "--codes", "--positions", "--dimension",
                "--commitment", "--decay", "--dead-code-limit", "--tau0", "--resume", "vq-codebook-loss",
                "vq-ema-no-restart");
    }

    private static List<String> withoutSeconds(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            out.add(line.substring(0, line.lastIndexOf(',')));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Path summary) throws IOException {
        return (List<Map<String, Object>>) RunOutput.readJson(summary).get("results");
    }
}
