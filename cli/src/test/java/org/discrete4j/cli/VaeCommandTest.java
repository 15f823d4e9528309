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

/** Short end-to-end runs of d4j vae and d4j sbn on a slice of mnist-10k. */
class VaeCommandTest {

    static final String[] VAE = {"vae", "--train-images", "200", "--test-images", "20", "--batch", "50",
        "--hidden", "32", "--eval-samples", "8", "--seed", "3", "--quiet"};

    static final String[] SBN = {"sbn", "--train-images", "200", "--test-images", "20", "--batch", "50",
        "--units", "16", "--eval-samples", "8", "--seed", "3", "--quiet"};

    @Test
    @SuppressWarnings("unchecked")
    void vaeWritesSummaryCurvePlotsAndCheckpoint(@TempDir Path dir) throws IOException {
        Run r = run(concat(VAE, "--latent", "categorical", "--estimator", "st-gumbel-softmax", "--epochs", "2",
                "--out", dir.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> s = RunOutput.readJson(dir.resolve("summary.json"));
        assertThat(s).containsKeys("provenance", "model", "settings", "test_nll_bound", "test_elbo",
                "train_seconds", "kl");
        double bound = ((Number) s.get("test_nll_bound")).doubleValue();
        double elbo = ((Number) s.get("test_elbo")).doubleValue();
        // Per image of 784 binary pixels: a positive bound, below 784·log 2 for anything trained, and the ELBO
        // (a lower bound on log p) below −bound up to Monte Carlo error.
        assertThat(bound).isBetween(50.0, 784 * Math.log(2));
        assertThat(-elbo).isGreaterThan(bound - 1);
        Map<String, Object> settings = (Map<String, Object>) s.get("settings");
        assertThat(settings).containsEntry("estimator", "st-gumbel-softmax").containsEntry("epochs", 2)
                .containsEntry("batch", 50).containsEntry("tauRate", 1e-4).containsEntry("evalSamples", 8)
                .containsEntry("binarization", "static").containsEntry("trainImages", 200);
        assertThat((Map<String, Object>) s.get("model")).containsEntry("latent", "categorical")
                .containsEntry("variables", 20).containsEntry("classes", 10);
        List<String> curve = Files.readAllLines(dir.resolve("curve.csv"));
        assertThat(curve.get(0)).isEqualTo("epoch,step,tau,train_loss,train_seconds,test_one_draw");
        assertThat(curve).hasSize(3);
        assertThat(curve.get(2)).startsWith("2,8,");
        for (String png : List.of("learning_curve.png", "reconstructions.png", "samples.png")) {
            assertThat(dir.resolve(png)).isNotEmptyFile();
        }
        assertThat(dir.resolve("checkpoint.bin")).isNotEmptyFile();
    }

    /** One epoch, then --resume to two, ends where two epochs in one go end: the same figures to the last bit. */
    @Test
    void sbnResumesToTheSameResult(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole");
        Path part = dir.resolve("part");
        String[] args = concat(SBN, "--latent", "categorical", "--estimator", "nvil");
        assertThat(run(concat(args, "--epochs", "2", "--out", whole.toString())).code()).isZero();
        assertThat(run(concat(args, "--epochs", "1", "--out", part.toString())).code()).isZero();
        Run r = run(concat(args, "--epochs", "2", "--resume", "--out", part.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> a = RunOutput.readJson(whole.resolve("summary.json"));
        Map<String, Object> b = RunOutput.readJson(part.resolve("summary.json"));
        for (String key : List.of("test_nll_bound", "test_elbo", "final_train_loss", "steps", "epochs")) {
            assertThat(b.get(key)).as(key).isEqualTo(a.get(key));
        }
        assertThat(((Map<?, ?>) a.get("model")).get("architecture")).isEqualTo("392-160-160-392");
        assertThat(dir.resolve("part/completions.png")).isNotEmptyFile();
        List<String> ca = Files.readAllLines(whole.resolve("curve.csv"));
        List<String> cb = Files.readAllLines(part.resolve("curve.csv"));
        assertThat(cb).hasSize(3);
        for (int i = 1; i < 3; i++) {
            String[] x = ca.get(i).split(",");
            String[] y = cb.get(i).split(",");
            x[4] = "";
            y[4] = "";
            assertThat(y).containsExactly(x);
        }
    }

    @Test
    void usageErrors(@TempDir Path dir) {
        Run notApplicable = run(concat(VAE, "--latent", "categorical", "--estimator", "arm", "--epochs", "1",
                "--out", dir.toString()));
        assertThat(notApplicable.code()).isEqualTo(2);
        assertThat(notApplicable.err()).contains("arm", "does not apply", "categorical");
        Run unknown = run(concat(VAE, "--estimator", "nope", "--out", dir.toString()));
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown estimator 'nope'");
        Run latent = run(concat(SBN, "--latent", "poisson", "--out", dir.toString()));
        assertThat(latent.code()).isEqualTo(2);
        assertThat(latent.err()).contains("bernoulli or categorical");
        Run data = run(concat(VAE, "--data", dir.resolve("missing").toString(), "--out", dir.toString()));
        assertThat(data.code()).isEqualTo(2);
        assertThat(data.err()).contains("missing");
        Run resume = run(concat(VAE, "--epochs", "1", "--resume", "--out", dir.resolve("fresh").toString()));
        assertThat(resume.code()).isEqualTo(1);
        assertThat(resume.err()).contains("no checkpoint");
    }
}
