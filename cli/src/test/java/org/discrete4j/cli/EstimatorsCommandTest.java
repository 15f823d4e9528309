package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EstimatorsCommandTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesSummaryCsvAndPlotWithExactGradient(@TempDir Path dir) throws IOException {
        Run r = run("estimators", "--problem", "bernoulli", "--logits", "0.5,-1,2", "--target", "0.45",
                "--samples", "2000", "--estimator", "exact,reinforce", "--out", dir.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("estimators.csv")).exists();
        assertThat(dir.resolve("estimators.png")).exists().isNotEmptyFile();
        Map<String, Object> summary = RunOutput.readJson(dir.resolve("summary.json"));
        Map<String, Object> prov = (Map<String, Object>) summary.get("provenance");
        assertThat(prov).containsKeys("command", "seed", "discrete4j", "djl", "pytorch", "date");
        assertThat((String) prov.get("command")).startsWith("d4j estimators --problem bernoulli");
        List<Map<String, Object>> results = (List<Map<String, Object>>) summary.get("results");
        assertThat(results).extracting(m -> m.get("estimator")).containsExactly("exact", "reinforce");
        for (Map<String, Object> e : results) {
            assertThat(e).containsKeys("problem", "estimator", "unbiased", "samples", "exact", "mean", "stderr",
                    "variance");
        }
        List<Double> exact = (List<Double>) results.get(0).get("exact");
        List<Double> mean = (List<Double>) results.get(0).get("mean");
        for (int i = 0; i < 3; i++) {
            assertThat(mean.get(i)).isCloseTo(exact.get(i), org.assertj.core.data.Offset.offset(1e-6));
        }
        String csv = Files.readString(dir.resolve("estimators.csv"));
        assertThat(csv).startsWith("estimator,unbiased,coordinate,exact,mean,stderr,variance,bias");
    }

    @Test
    void sameSeedSameResults(@TempDir Path dir) throws IOException {
        String[] args = {"estimators", "--problem", "categorical", "--logits", "0.5,1.5,-0.5", "--target", "1.3",
            "--samples", "500", "--estimator", "reinforce", "--quiet", "--seed", "5", "--out"};
        assertThat(run(concat(args, dir.resolve("a").toString())).code()).isZero();
        assertThat(run(concat(args, dir.resolve("b").toString())).code()).isZero();
        assertThat(Files.readString(dir.resolve("a/estimators.csv")))
                .isEqualTo(Files.readString(dir.resolve("b/estimators.csv")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--problem nope --logits 1 --target 0",
        "--problem bernoulli --logits 1,NaN --target 0",
        "--problem bernoulli --logits 1,Infinity --target 0",
        "--problem bernoulli --logits 1 --target 0 --tau 0",
        "--problem bernoulli --logits 1 --target 0 --tau -1",
        "--problem bernoulli --logits 1 --target 0 --samples 0",
        "--problem bernoulli --logits 1 --target 0 --estimator nope",
        "--problem categorical --logits 1 --target 0",
        "--problem bernoulli --target 0",
        "--problem bernoulli --logits x --target 0",
    })
    void badInputIsAUsageErrorWithExitCode2(String line, @TempDir Path dir) {
        Run r = run(concat(concat(new String[] {"estimators"}, line.split(" ")), "--out", dir.toString()));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("Usage:");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void helpOnEveryCommand() {
        assertThat(run("--help").code()).isZero();
        Run r = run("estimators", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--problem", "--estimator", "--samples", "--tau");
        assertThat(run().code()).isEqualTo(2);
    }

    static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
