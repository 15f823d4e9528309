package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code d4j estimators} on the count problems: argument checks and a short run. */
class CountProblemsCliTest {

    static int run(StringWriter out, StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void countProblemsTakeOneLogitAndPositiveTrials() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(run(out, err, "estimators", "--problem", "poisson", "--logits", "1,2", "--target", "2"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("poisson takes one logit");
        err.getBuffer().setLength(0);
        assertThat(run(out, err, "estimators", "--problem", "binomial", "--logits", "0.3", "--target", "2",
                "--trials", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--trials must be >= 1");
    }

    @Test
    void binomialRunReportsExactReinforceAndGengs(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "estimators", "--problem", "binomial", "--logits", "0.3", "--trials", "10",
                "--target", "4", "--samples", "100", "--estimator", "exact,reinforce,gengs", "--out",
                dir.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("problem binomial").contains("exact").contains("reinforce")
                .contains("gengs");
        String csv = Files.readString(dir.resolve("estimators.csv"));
        assertThat(csv).contains("gengs").contains("reinforce");
    }
}
