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
import org.discrete4j.model.Models;
import org.discrete4j.model.Rbm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AisCommandTest {

    @TempDir
    static Path dir;

    static Path model;
    static double exactLogZ;

    /** A 784 × 5 RBM trained for one epoch, whose log Z is exact. */
    @BeforeAll
    static void trainSmallRbm() throws IOException {
        Path out = dir.resolve("rbm");
        Run r = run(concat(TrainRbmCommandTest.SMALL, "--epochs", "1", "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        model = out.resolve("model.json");
        exactLogZ = ((Rbm) Models.fromParameters(RunOutput.readJson(model))).logZ();
    }

    @Test
    @SuppressWarnings("unchecked")
    void estimatesLogZAndTheTestLogLikelihood() throws IOException {
        Path out = dir.resolve("ais");
        Run r = run("ais", "--model-file", model.toString(), "--chains", "50", "--temperatures", "300", "--out",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("log Z", "test log-likelihood");
        Map<String, Object> summary = RunOutput.readJson(out.resolve("summary.json"));
        Map<String, Object> settings = (Map<String, Object>) summary.get("settings");
        // The data set and its binarisation come from the model file's training options.
        assertThat(settings).containsEntry("data", "mnist-10k").containsEntry("binarization", "static")
                .containsEntry("sampler", "rbm-gibbs").containsEntry("split", "test");
        Map<String, Object> res = (Map<String, Object>) summary.get("results");
        double logZ = ((Number) res.get("logZ")).doubleValue();
        double se = ((Number) res.get("logZStderr")).doubleValue();
        // 4 delta-method standard errors over 50 runs; a 5-hidden-unit RBM anneals easily in 300 temperatures.
        assertThat(Math.abs(logZ - exactLogZ)).isLessThan(4 * se + 1e-3);
        double ll = ((Number) res.get("logLikelihood")).doubleValue();
        assertThat(ll).isEqualTo(((Number) res.get("meanLogProb")).doubleValue() - logZ);
        assertThat(res).containsEntry("images", 2000);
        assertThat(Files.readAllLines(out.resolve("log_weights.csv"))).hasSize(51);
    }

    @Test
    @SuppressWarnings("unchecked")
    void validateComparesWithTheExactLogZ() throws IOException {
        Path out = dir.resolve("validate");
        Run r = run("ais", "--model-file", model.toString(), "--validate", "--validate-temperatures", "2,100",
                "--chains", "20", "--quiet", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("validate.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("temperatures,log_z_ais,stderr,log_z_exact,abs_error");
        assertThat(out.resolve("validate.png")).exists().isNotEmptyFile();
        Map<String, Object> summary = RunOutput.readJson(out.resolve("summary.json"));
        assertThat(((Number) summary.get("exactLogZ")).doubleValue()).isEqualTo(exactLogZ);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) summary.get("results");
        assertThat(rows).extracting(m -> m.get("temperatures")).containsExactly(2, 100);
    }

    @Test
    void anyExactSamplerRunsOnTheGeometricPath() throws IOException {
        Path out = dir.resolve("gibbs");
        Run r = run("ais", "--model-file", model.toString(), "--sampler", "gibbs-sweep", "--chains", "10",
                "--temperatures", "30", "--quiet", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(RunOutput.readJson(out.resolve("summary.json")).toString()).contains("geometric");
    }

    @Test
    void badInputIsAUsageError() throws IOException {
        String m = model.toString();
        assertUsage("--temperatures must be >= 2", "--model-file", m, "--temperatures", "1");
        assertUsage("neither a readable file nor a d4j ebm output folder", "--model-file",
                dir.resolve("none.json").toString());
        assertUsage("approximate", "--model-file", m, "--sampler", "dula");
        assertUsage("unknown sampler", "--model-file", m, "--sampler", "nope");
        assertUsage("--split", "--model-file", m, "--split", "valid");
        assertUsage("binarisation", "--model-file", m, "--binarization", "grey");
        Path big = dir.resolve("big.json");
        RunOutput.open(dir, "ais").json("big.json", ModelFiles.parameters(Rbm.random(784, 21, 1), null));
        assertUsage("at most 20 hidden", "--model-file", big.toString(), "--validate");
        Path small = dir.resolve("small.json");
        RunOutput.open(dir, "ais").json("small.json", ModelFiles.parameters(Rbm.random(100, 3, 1), null));
        assertUsage("784 pixels", "--model-file", small.toString());
        Path notJson = dir.resolve("bad.json");
        Files.writeString(notJson, "{ not json");
        assertUsage("not a model.json", "--model-file", notJson.toString());
    }

    private static void assertUsage(String message, String... args) {
        Run r = run(concat(new String[] {"ais", "--chains", "2", "--quiet", "--out",
            dir.resolve("bad").toString()}, args));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }
}
