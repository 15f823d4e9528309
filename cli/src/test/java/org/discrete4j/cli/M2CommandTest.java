package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.discrete4j.cli.EstimatorsCommandTest.concat;
import static org.discrete4j.cli.EstimatorsCommandTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.discrete4j.cli.EstimatorsCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class M2CommandTest {

    static final String[] TINY = {"m2", "--train-size", "300", "--test-size", "100", "--labels", "20", "--hidden",
        "16", "--latent", "4", "--batch", "70", "--labelled-batch", "10", "--seed", "3", "--quiet"};

    @Test
    @SuppressWarnings("unchecked")
    void trainsEveryMethodAndTimesTwoClassCounts(@TempDir Path dir) throws IOException {
        Run r = run(concat(TINY, "--epochs", "1", "--speed-classes", "10,30", "--speed-seconds", "0.05",
                "--speed-rounds", "1", "--out", dir.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> summary = RunOutput.readJson(dir.resolve("summary.json"));
        assertThat((Map<String, Object>) summary.get("provenance")).containsKeys("command", "seed", "pytorch");
        Map<String, Object> settings = (Map<String, Object>) summary.get("settings");
        assertThat(settings).containsEntry("labels", 20).containsEntry("unlabelled", 280)
                .containsEntry("classes", 10).containsEntry("binarization", "dynamic");
        List<Map<String, Object>> results = (List<Map<String, Object>>) summary.get("results");
        assertThat(results).extracting(m -> m.get("method")).containsExactly("gumbel", "st-gumbel", "marginal");
        for (Map<String, Object> m : results) {
            assertThat((Double) m.get("testAccuracy")).isBetween(0.0, 1.0);
            assertThat((Double) m.get("testElbo")).isNegative();
            assertThat(m).containsEntry("steps", 4); // 280 unlabelled images in batches of 70
        }
        Map<String, Map<String, Double>> speed = (Map<String, Map<String, Double>>) summary.get("stepsPerSecond");
        assertThat(speed).containsOnlyKeys("10", "30");
        assertThat(speed.get("30")).containsOnlyKeys("gumbel", "st-gumbel", "marginal");
        Map<String, Map<String, Double>> speedup = (Map<String, Map<String, Double>>) summary.get("speedupOverMarginal");
        assertThat(speedup.get("30").get("gumbel")).isPositive();
        assertThat(Files.readAllLines(dir.resolve("curves.csv"))).hasSize(1 + 3)
                .first().isEqualTo("method,epoch,step,tau,train_loss,test_elbo,test_accuracy,seconds");
        assertThat(Files.readAllLines(dir.resolve("speed.csv"))).hasSize(1 + 6);
        for (String png : List.of("accuracy.png", "elbo.png", "speed.png", "samples-gumbel.png",
                "samples-marginal.png")) {
            assertThat(dir.resolve(png)).isNotEmptyFile();
        }
        assertThat(dir.resolve("m2-st-gumbel.ckpt")).isNotEmptyFile();
    }

    /** Two epochs straight through, or one epoch and then --resume for the second: the same figures, bit for bit. */
    @Test
    @SuppressWarnings("unchecked")
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        String[] common = concat(TINY, "--method", "gumbel,marginal", "--speed-classes", "0");
        assertThat(run(concat(common, "--epochs", "2", "--out", straight.toString())).code()).isZero();
        assertThat(run(concat(common, "--epochs", "1", "--out", resumed.toString())).code()).isZero();
        Run second = run(concat(common, "--epochs", "2", "--resume", "--out", resumed.toString()));
        assertThat(second.code()).as(second.err()).isZero();
        List<Map<String, Object>> a = (List<Map<String, Object>>) RunOutput.readJson(straight.resolve("summary.json"))
                .get("results");
        List<Map<String, Object>> b = (List<Map<String, Object>>) RunOutput.readJson(resumed.resolve("summary.json"))
                .get("results");
        for (int i = 0; i < 2; i++) {
            for (String key : List.of("method", "testAccuracy", "testElbo", "steps", "epochs", "finalTau")) {
                assertThat(b.get(i).get(key)).as(key).isEqualTo(a.get(i).get(key));
            }
        }
        assertThat(withoutSeconds(resumed.resolve("curves.csv"))).isEqualTo(withoutSeconds(straight.resolve("curves.csv")));

        Run changed = run(concat(common, "--epochs", "3", "--lr", "0.01", "--resume", "--out", resumed.toString()));
        assertThat(changed.code()).isEqualTo(1);
        assertThat(changed.err()).contains("other settings");
    }

    static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void rejectsBadOptions() {
        Run r = run("m2", "--method", "reinforce");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown M2 method");
        r = run("m2", "--labels", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--labels must be >= 1");
        r = run("m2", "--speed-classes", "1");
        assertThat(r.code()).isEqualTo(2);
        r = run("m2", "--train-size", "50", "--labels", "50", "--epochs", "1", "--speed-classes", "0", "--quiet");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("leaves no unlabelled image");
    }
}
