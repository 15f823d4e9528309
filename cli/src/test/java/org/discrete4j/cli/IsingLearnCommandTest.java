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

class IsingLearnCommandTest {

    static final String[] SMALL = {"ising-learn", "--size", "3", "--coupling", "0.4", "--data", "200",
        "--data-steps", "20", "--samplers", "gibbs-sweep,gwg", "--chains", "20", "--batch", "50", "--steps", "10",
        "--lr", "0.02", "--every", "2", "--checkpoint-every", "3", "--seed", "6", "--quiet"};

    @Test
    @SuppressWarnings("unchecked")
    void learnsWritesAndResumesToTheSameCouplings(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight");
        Run a = run(concat(SMALL, "--iterations", "8", "--out", straight.toString()));
        assertThat(a.code()).as(a.err()).isZero();
        Map<String, Object> summary = RunOutput.readJson(straight.resolve("summary.json"));
        List<Map<String, Object>> results = (List<Map<String, Object>>) summary.get("results");
        assertThat(results).extracting(m -> m.get("sampler")).containsExactly("gibbs-sweep", "gwg");
        double initial = (Double) summary.get("initialLog10Rmse");
        for (Map<String, Object> m : results) {
            // 8 Adam steps of 0.02 towards J = 0.4 on the 18 bonds: the error falls.
            assertThat((Double) m.get("finalLog10Rmse")).isLessThan(initial);
        }
        List<String> lines = Files.readAllLines(straight.resolve("ising_learn.csv"));
        assertThat(lines.get(0)).isEqualTo("sampler,iteration,seconds,log10_rmse");
        assertThat(lines).hasSize(1 + 2 * 5); // iterations 0, 2, 4, 6, 8
        assertThat(straight.resolve("log_rmse_iterations.png")).isNotEmptyFile();
        assertThat(straight.resolve("log_rmse_seconds.png")).isNotEmptyFile();
        assertThat(RunOutput.readJson(straight.resolve("model-gwg.json"))).containsEntry("type", "ising");

        // Interrupted after 4 iterations (chunks of 3: one checkpoint at 3 and one at 4), then resumed to 8.
        Path split = dir.resolve("split");
        assertThat(run(concat(SMALL, "--iterations", "4", "--out", split.toString())).code()).isZero();
        Run refused = run(concat(SMALL, "--iterations", "8", "--out", split.toString()));
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--resume");
        Run resumed = run(concat(SMALL, "--iterations", "8", "--resume", "--out", split.toString()));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        for (String sampler : List.of("gibbs-sweep", "gwg")) {
            assertThat(RunOutput.readJson(split.resolve("model-" + sampler + ".json")).get("couplings"))
                    .isEqualTo(RunOutput.readJson(straight.resolve("model-" + sampler + ".json")).get("couplings"));
        }
        List<String> resumedLines = Files.readAllLines(split.resolve("ising_learn.csv"));
        for (int i = 0; i < lines.size(); i++) {
            String[] x = lines.get(i).split(",");
            String[] y = resumedLines.get(i).split(",");
            assertThat(y[0] + y[1] + y[3]).isEqualTo(x[0] + x[1] + x[3]); // all but the seconds
        }

        // A checkpoint from other settings is refused.
        Run other = run(concat(SMALL, "--iterations", "8", "--field", "0.1", "--resume", "--out", split.toString()));
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("other settings");
    }
}
