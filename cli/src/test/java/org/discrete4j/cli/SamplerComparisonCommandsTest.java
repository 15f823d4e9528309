package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.discrete4j.cli.EstimatorsCommandTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.discrete4j.cli.EstimatorsCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** d4j rbm-mmd, fhmm and potts end to end on tiny settings. */
class SamplerComparisonCommandsTest {

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> results(Path dir) throws IOException {
        return (List<Map<String, Object>>) RunOutput.readJson(dir.resolve("summary.json")).get("results");
    }

    static List<String> csv(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rbmMmd(@TempDir Path dir) throws IOException {
        Run r = run("rbm-mmd", "--visible", "20", "--hidden", "5", "--samplers", "gibbs,gwg", "--chains", "10",
                "--steps", "40", "--every", "10", "--gt-chains", "30", "--gt-steps", "50", "--seed", "3", "--out",
                dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("gt-gt floor", "gibbs", "gwg", "results in");
        Map<String, Object> summary = RunOutput.readJson(dir.resolve("summary.json"));
        assertThat((Map<String, Object>) summary.get("provenance")).containsKeys("command", "seed", "date");
        double floor = (Double) summary.get("floor");
        assertThat(floor).isNegative();
        List<Map<String, Object>> results = results(dir);
        assertThat(results).extracting(m -> m.get("sampler")).containsExactly("gibbs", "gwg");
        for (Map<String, Object> m : results) {
            assertThat(m).containsKeys("acceptance", "seconds", "finalLogMmd", "stepsToFloor", "atSteps",
                    "atSeconds");
            assertThat((Map<String, Object>) m.get("atSteps")).containsOnlyKeys("10", "30", "40");
        }
        // Header plus the start and 4 measurements per sampler; the start is the same uniform states for both.
        List<String> lines = csv(dir.resolve("mmd.csv"));
        assertThat(lines.get(0)).isEqualTo("sampler,step,seconds,log10_mmd");
        assertThat(lines).hasSize(1 + 2 * 5);
        assertThat(lines.get(1).split(",")[3]).isEqualTo(lines.get(6).split(",")[3]);
        assertThat(dir.resolve("log_mmd_steps.png")).isNotEmptyFile();
        assertThat(dir.resolve("log_mmd_seconds.png")).isNotEmptyFile();
        assertThat(RunOutput.readJson(dir.resolve("model.json"))).containsEntry("type", "rbm");

        // The model file it wrote is accepted back, and a non-RBM model file is a usage error.
        Run again = run("rbm-mmd", "--model-file", dir.resolve("model.json").toString(), "--samplers", "gwg",
                "--chains", "5", "--steps", "10", "--every", "5", "--gt-chains", "10", "--gt-steps", "5", "--quiet",
                "--out", dir.resolve("again").toString());
        assertThat(again.code()).as(again.err()).isZero();
        Run potts = run("potts", "--size", "2", "--samplers", "gibbs", "--chains", "2", "--steps", "4", "--every",
                "2", "--gt-chains", "2", "--gt-steps", "2", "--quiet", "--out", dir.resolve("p").toString());
        assertThat(potts.code()).as(potts.err()).isZero();
        Run wrong = run("rbm-mmd", "--model-file", dir.resolve("p/model.json").toString(), "--out",
                dir.resolve("w").toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("not an RBM");
    }

    @Test
    void fhmm(@TempDir Path dir) throws IOException {
        Run r = run("fhmm", "--time-steps", "10", "--hidden-chains", "3", "--samplers", "gibbs,gwg", "--chains", "5",
                "--steps", "40", "--every", "20", "--seed", "4", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("log-joint of the true hidden state", "gwg");
        Map<String, Object> summary = RunOutput.readJson(dir.resolve("summary.json"));
        assertThat((Double) summary.get("trueLogJoint")).isNegative();
        for (Map<String, Object> m : results(dir)) {
            assertThat(m).containsKeys("finalLogJoint", "finalReconstructionError", "finalBitError", "logJoint");
            assertThat((Double) m.get("finalBitError")).isBetween(0.0, 1.0);
            assertThat((Double) m.get("finalReconstructionError")).isNotNegative();
        }
        List<String> lines = csv(dir.resolve("fhmm.csv"));
        assertThat(lines.get(0)).isEqualTo("sampler,step,seconds,log_joint,reconstruction_error,bit_error");
        assertThat(lines).hasSize(1 + 2 * 3);
        for (String png : List.of("log_joint_steps.png", "log_joint_seconds.png", "reconstruction_steps.png",
                "bit_error_steps.png")) {
            assertThat(dir.resolve(png)).isNotEmptyFile();
        }
    }

    @Test
    void potts(@TempDir Path dir) throws IOException {
        Run r = run("potts", "--size", "3", "--samplers", "gibbs-sweep,gwg", "--chains", "8", "--steps", "40",
                "--every", "10", "--gt-chains", "20", "--gt-steps", "20", "--start", "zeros", "--seed", "5", "--out",
                dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ESS med", "gibbs-sweep", "gwg");
        for (Map<String, Object> m : results(dir)) {
            double min = (Double) m.get("essMin");
            double med = (Double) m.get("essMedian");
            double max = (Double) m.get("essMax");
            // tfp's ESS lies in [1, N] for each of the 36 steps after burn-in.
            assertThat(min).isGreaterThanOrEqualTo(1.0).isLessThanOrEqualTo(med);
            assertThat(max).isGreaterThanOrEqualTo(med).isLessThanOrEqualTo(36.0);
            assertThat(m).containsKeys("finalLogMse", "essMedianPerSecond", "atSteps");
        }
        // From all-zero states every colour-0 marginal starts at 1 against about 1/3: the first error is large.
        List<String> lines = csv(dir.resolve("potts.csv"));
        assertThat(lines).hasSize(1 + 2 * 5);
        assertThat(Double.parseDouble(lines.get(1).split(",")[3])).isGreaterThan(-1.0);
        assertThat(dir.resolve("ess.png")).isNotEmptyFile();
        assertThat(dir.resolve("log_mse_steps.png")).isNotEmptyFile();
    }
}
