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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SampleCommandTest {

    static final String[] SMALL = {"sample", "--size", "4", "--chains", "3", "--steps", "50", "--burn-in", "10",
        "--thin", "2", "--seed", "7"};

    @Test
    @SuppressWarnings("unchecked")
    void writesSummaryModelPlotsAndSamples(@TempDir Path dir) throws IOException {
        Run r = run(concat(SMALL, "--sampler", "gibbs", "--save-samples", "--out", dir.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sampler", "accept", "ESS/s", "ESS/eval", "gibbs", "results in");
        assertThat(dir.resolve("ess_per_second.png")).exists().isNotEmptyFile();
        assertThat(dir.resolve("trace.png")).exists().isNotEmptyFile();

        Map<String, Object> summary = RunOutput.readJson(dir.resolve("summary.json"));
        Map<String, Object> prov = (Map<String, Object>) summary.get("provenance");
        assertThat(prov).containsKeys("command", "seed", "discrete4j", "djl", "pytorch", "date");
        assertThat((String) prov.get("command")).startsWith("d4j sample --size 4");
        Map<String, Object> settings = (Map<String, Object>) summary.get("settings");
        assertThat(settings).containsEntry("chains", 3).containsEntry("burnIn", 10).containsEntry("steps", 50)
                .containsEntry("thin", 2).containsEntry("kept", 25).containsEntry("dim", 16);
        assertThat((String) settings.get("reference")).matches("[01]{16}");
        List<Map<String, Object>> results = (List<Map<String, Object>>) summary.get("results");
        assertThat(results).extracting(m -> m.get("sampler")).containsExactly("gibbs");
        assertThat(results.get(0)).containsKeys("acceptance", "ess", "essBulk", "rhat", "essCoordinateMin",
                "essCoordinateMedian", "essPerSecond", "essPerEvaluation", "seconds", "evaluationsPerChain");
        assertThat(results.get(0)).containsEntry("acceptance", 1.0).containsEntry("evaluationsPerChain", 50);
        assertThat((Double) results.get(0).get("ess")).isBetween(1.0, 25.0);

        Map<String, Object> model = RunOutput.readJson(dir.resolve("model.json"));
        assertThat(model).containsEntry("type", "ising").containsEntry("dim", 16);
        assertThat((List<?>) model.get("fields")).hasSize(16);
        assertThat((List<?>) model.get("couplings")).hasSize(32); // 2 bonds per site on the torus

        List<String> lines = Files.readAllLines(dir.resolve("samples.csv"));
        assertThat(lines.get(0)).isEqualTo("sampler,chain,step,state");
        assertThat(lines).hasSize(1 + 3 * 25); // chains × kept states
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 25; j++) {
                String[] cells = lines.get(1 + c * 25 + j).split(",");
                assertThat(cells).hasSize(4);
                assertThat(cells[0]).isEqualTo("gibbs");
                assertThat(cells[1]).isEqualTo(Integer.toString(c));
                assertThat(cells[2]).isEqualTo(Integer.toString(10 + 2 * (j + 1)));
                assertThat(cells[3]).matches("[01]{16}");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void sameSeedSameResultsAndModelFileRebuildsTheModel(@TempDir Path dir) throws IOException {
        String[] args = concat(SMALL, "--sampler", "gibbs,gibbs-sweep", "--save-samples", "--quiet", "--out");
        assertThat(run(concat(args, dir.resolve("a").toString())).code()).isZero();
        assertThat(run(concat(args, dir.resolve("b").toString())).code()).isZero();
        assertThat(Files.readString(dir.resolve("a/samples.csv")))
                .isEqualTo(Files.readString(dir.resolve("b/samples.csv")));
        List<Map<String, Object>> a = (List<Map<String, Object>>) RunOutput.readJson(dir.resolve("a/summary.json"))
                .get("results");
        List<Map<String, Object>> b = (List<Map<String, Object>>) RunOutput.readJson(dir.resolve("b/summary.json"))
                .get("results");
        for (int i = 0; i < 2; i++) {
            for (String key : List.of("sampler", "acceptance", "ess", "essBulk", "rhat", "essCoordinateMin",
                    "essPerEvaluation", "evaluationsPerChain")) {
                assertThat(a.get(i).get(key)).as(key).isEqualTo(b.get(i).get(key));
            }
        }
        // The model read back from model.json samples exactly the same chains.
        Run c = run(concat(args, dir.resolve("c").toString(), "--model-file", dir.resolve("a/model.json").toString()));
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(Files.readString(dir.resolve("c/samples.csv")))
                .isEqualTo(Files.readString(dir.resolve("a/samples.csv")));
    }

    /** A hand-written model.json (any couplings) is rebuilt from its fields, edges and couplings. */
    @Test
    void modelFileWithExplicitCouplings(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "{\"type\": \"ising\", \"dim\": 3, \"fields\": [0.1, -0.2, 0.3],"
                + " \"edges\": [[0, 1], [1, 2]], \"couplings\": [0.5, -0.7]}");
        Run r = run("sample", "--model-file", file.toString(), "--sampler", "gibbs", "--steps", "20", "--chains",
                "2", "--quiet", "--out", dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> model = RunOutput.readJson(dir.resolve("out/model.json"));
        assertThat(model).containsEntry("dim", 3);
        assertThat((List<?>) model.get("couplings")).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--chains 0",
        "--steps 0",
        "--burn-in -1",
        "--thin 0",
        "--steps 10 --thin 11",
        "--size 1",
        "--coupling NaN",
        "--field Infinity",
        "--colors 1",
        "--model nope",
        "--sampler nope",
        "--sampler gibbs,gibbs",
        "--model-file /nonexistent/model.json",
        "--steps x",
    })
    void badOptionsAreAUsageErrorWithExitCode2(String line, @TempDir Path dir) {
        Run r = run(concat(concat(new String[] {"sample", "--quiet"}, line.split(" ")), "--out", dir.toString()));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("Usage:");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void badModelFileIsAUsageError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "{\"model\": \"ising\", \"dim\": 2}");
        Run r = run("sample", "--model-file", file.toString(), "--quiet", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        Files.writeString(file, "not json");
        assertThat(run("sample", "--model-file", file.toString(), "--quiet", "--out", dir.toString()).code())
                .isEqualTo(2);
    }

    @Test
    void help() {
        Run r = run("sample", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--model", "--size", "--coupling", "--field", "--colors", "--visible", "--hidden",
                "--model-file", "--sampler", "--chains", "--steps", "--burn-in", "--thin", "--seed", "--out",
                "--save-samples", "--quiet", "--verbose", "gibbs-sweep");
    }

    /** Every model runs, and its model.json rebuilds it exactly: the same seed gives the same samples from the file. */
    @ParameterizedTest
    @ValueSource(strings = {"ising", "ising-er", "potts", "rbm", "fhmm", "bernoulli", "categorical"})
    void everyModelRunsAndItsModelFileReproducesTheSamples(String model, @TempDir Path dir) throws IOException {
        String[] common = {"sample", "--quiet", "--size", "3", "--visible", "6", "--hidden", "3", "--colors", "3",
            "--steps", "30", "--chains", "2", "--sampler", "gibbs,gwg", "--save-samples", "--seed", "4"};
        Run a = run(concat(common, "--model", model, "--out", dir.resolve("a").toString()));
        assertThat(a.code()).as(a.err()).isZero();
        Run b = run(concat(common, "--model-file", dir.resolve("a/model.json").toString(), "--out",
                dir.resolve("b").toString()));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.readString(dir.resolve("b/samples.csv")))
                .isEqualTo(Files.readString(dir.resolve("a/samples.csv")));
        assertThat(Files.readAllLines(dir.resolve("a/samples.csv"))).hasSize(1 + 2 * 2 * 30);
    }
}
