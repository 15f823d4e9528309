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

class TopicsCommandTest {

    static final String[] TINY = {"topics", "--gen-topics", "3", "--vocabulary", "30", "--words-per-topic", "8",
        "--documents", "60", "--test-documents", "20", "--min-length", "10", "--max-length", "20", "--hidden", "8",
        "--batch", "20", "--eval-samples", "5", "--seed", "5", "--quiet"};

    @Test
    @SuppressWarnings("unchecked")
    void syntheticRunReportsPerplexityTruthAndTopicsThenReadsItsExport(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("synthetic");
        Path export = dir.resolve("export");
        Run r = run(concat(TINY, "--epochs", "1", "--estimator", "gengs,rloo", "--export", export.toString(),
                "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> summary = RunOutput.readJson(out.resolve("summary.json"));
        Map<String, Object> settings = (Map<String, Object>) summary.get("settings");
        assertThat(settings).containsEntry("trainDocuments", 60).containsEntry("topics", 3).containsKey("generator");
        List<Map<String, Object>> results = (List<Map<String, Object>>) summary.get("results");
        assertThat(results).extracting(m -> m.get("model")).containsExactly("gengs", "rloo", "truth");
        for (Map<String, Object> m : results) {
            // Bounds on a perplexity over 30 words: above 1; after one epoch near the uniform model's 30, not far above.
            assertThat((Double) m.get("perplexityImportanceWeighted")).isBetween(1.0, 100.0);
        }
        assertThat(results.get(0)).containsKeys("topicRecoveryCosine", "topicRecoveryTotalVariation");
        assertThat(results.get(2)).doesNotContainKey("topicRecoveryCosine");
        assertThat(Files.readAllLines(out.resolve("curves.csv"))).hasSize(1 + 3);
        assertThat(Files.readAllLines(out.resolve("topics.csv"))).hasSize(1 + 2 * 3);
        assertThat(out.resolve("perplexity.png")).isNotEmptyFile();

        Path uci = dir.resolve("uci");
        Run read = run("topics", "--data", export.resolve("docword.synthetic-train.txt").toString(), "--topics", "3",
                "--hidden", "8", "--batch", "20", "--eval-samples", "5", "--epochs", "1", "--estimator", "gengs",
                "--test-fraction", "0.25", "--quiet", "--out", uci.toString());
        assertThat(read.code()).as(read.err()).isZero();
        Map<String, Object> s2 = (Map<String, Object>) RunOutput.readJson(uci.resolve("summary.json")).get("settings");
        assertThat(s2).containsEntry("trainDocuments", 45).containsEntry("testDocuments", 15);
    }

    /** Two epochs straight through equal one epoch and a resumed second, bit for bit (moving-average baseline too). */
    @Test
    @SuppressWarnings("unchecked")
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
        String[] common = concat(TINY, "--estimator", "reinforce-ma,gengs", "--no-truth");
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        assertThat(run(concat(common, "--epochs", "2", "--out", straight.toString())).code()).isZero();
        assertThat(run(concat(common, "--epochs", "1", "--out", resumed.toString())).code()).isZero();
        Run second = run(concat(common, "--epochs", "2", "--resume", "--out", resumed.toString()));
        assertThat(second.code()).as(second.err()).isZero();
        List<Map<String, Object>> a = (List<Map<String, Object>>) RunOutput.readJson(straight.resolve("summary.json"))
                .get("results");
        List<Map<String, Object>> b = (List<Map<String, Object>>) RunOutput.readJson(resumed.resolve("summary.json"))
                .get("results");
        for (int i = 0; i < 2; i++) {
            for (String key : List.of("model", "perplexityElbo", "perplexityImportanceWeighted", "trainLossPerWord",
                    "steps", "topicRecoveryCosine")) {
                assertThat(b.get(i).get(key)).as(key).isEqualTo(a.get(i).get(key));
            }
        }
        assertThat(M2CommandTest.withoutSeconds(resumed.resolve("curves.csv")))
                .isEqualTo(M2CommandTest.withoutSeconds(straight.resolve("curves.csv")));
    }

    @Test
    void badInputsAreClearErrors(@TempDir Path dir) throws IOException {
        Run r = run("topics", "--estimator", "nvil");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not apply to Poisson");
        r = run("topics", "--estimator", "gengs,gengs");
        assertThat(r.code()).isEqualTo(2);
        Path bad = dir.resolve("docword.bad.txt");
        Files.writeString(bad, "2\n3\n5\n1 1 1\n");
        Files.writeString(dir.resolve("vocab.bad.txt"), "a\nb\nc\n");
        r = run("topics", "--data", bad.toString(), "--quiet", "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("truncated").contains(bad.toString());
    }
}
