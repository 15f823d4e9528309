package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.discrete4j.cli.EstimatorsCommandTest.run;

import java.nio.file.Path;
import org.discrete4j.cli.EstimatorsCommandTest.Run;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.Rbm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code d4j bench} without the Python side: option checks, the missing-interpreter error, and the Java side. */
class BenchCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"--suite=nope", "--rounds=0", "--threads=0", "--steps=1", "--warmup=-1", "--chains=0",
        "--scaling-steps=1", "--scaling-warmup=-1"})
    void badOptionsAreUsageErrors(String option) {
        Run r = run("bench", option);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(option.substring(0, option.indexOf('=')));
    }

    @Test
    void vaeSuiteNeedsPythonToo(@TempDir Path dir) {
        Run r = run("bench", "--suite", "vae", "--python", dir.resolve("no-such-python").toString(), "--out",
                dir.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("python3-torch", "no-such-python");
    }

    @Test
    void vaeJavaSideTimesTheTrainingStep() {
        assertThat(VaeBench.runJava(3, 1, 5)).isPositive().isFinite();
        assertThat(VaeBench.median(new double[] {3, 1, 2, 10})).isEqualTo(2.5);
    }

    @Test
    void missingPythonIsARuntimeErrorNamingThePackages(@TempDir Path dir) {
        Run r = run("bench", "--python", dir.resolve("no-such-python").toString(), "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("python3-torch", "libopenblas0-pthread", "no-such-python");
    }

    @Test
    void javaSideTimesAndMeasuresEss() {
        IsingModel ising = IsingModel.lattice(4, BenchCommand.ISING_COUPLING, 0.0);
        BenchCommand.Side s = BenchCommand.runJava(ising, BenchCommand.reference(16, 3), 8, 50, 400, 3);
        assertThat(s.msPerStep()).isPositive();
        // tfp's ESS lies in (0, N] for every series (all kept autocorrelation terms are >= 0), so per step in (0, 1].
        assertThat(s.essPerStep()).isGreaterThan(0).isLessThanOrEqualTo(1);
        // J = 0.2 on a 4x4 torus is far from critical: GWG moves most of the time.
        assertThat(s.acceptance()).isBetween(0.5, 1.0);

        Rbm rbm = Rbm.random(12, 5, 3);
        BenchCommand.Side t = BenchCommand.runJava(rbm, BenchCommand.reference(12, 4), 4, 20, 100, 4);
        assertThat(t.msPerStep()).isPositive();
        assertThat(t.essPerStep()).isGreaterThan(0).isLessThanOrEqualTo(1);
    }

    /** The scaling study's curves: the ranges the issue asks for, the reference where it runs in reasonable time. */
    @Test
    void scalingPointsCoverTheRanges() {
        java.util.List<BenchScaling.Point> p = BenchScaling.points(1);
        assertThat(p).filteredOn(q -> q.curve().equals("ising-dim")).extracting(BenchScaling.Point::x)
                .containsExactly(100.0, 400.0, 900.0, 2500.0, 4900.0, 10000.0);
        assertThat(p).filteredOn(q -> q.curve().equals("ising-dim") && q.torch()).hasSize(4);
        assertThat(p).filteredOn(q -> q.curve().equals("rbm-hidden")).extracting(q -> q.model().toString())
                .containsExactly("rbm 784x100", "rbm 784x250", "rbm 784x500", "rbm 784x1000", "rbm 784x2000");
        assertThat(p).filteredOn(q -> q.curve().endsWith("-chains")).extracting(BenchScaling.Point::chains)
                .contains(1, 1000);
    }

    @Test
    void matmulFloorIsAPositiveTime() {
        assertThat(BenchCommand.matmulFloorMs(10, 20, 30, 5)).isPositive().isFinite();
    }
}
