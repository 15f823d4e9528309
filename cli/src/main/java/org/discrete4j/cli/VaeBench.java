package org.discrete4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.vae.CategoricalLatent;
import org.discrete4j.vae.Trainer;
import org.discrete4j.vae.Vae;

/**
 * The vae suite of {@code d4j bench} (issue 4): one training step of the categorical VAE of Jang, Gu and Poole
 * (784-512-256-(20×10) and back, Gumbel-softmax at τ = 1, KL to the uniform prior in closed form, Adam at 1e-3,
 * batch 100 of binary images), discrete4j's {@link Trainer#step(NDArray)} (what {@code d4j vae} runs) against
 * {@code bench/python/vae_reference.py} (PyTorch with {@code F.gumbel_softmax} and {@code torch.optim.Adam}), the two
 * alternating A B A B. Both sides time each step after a warm-up and report the median; the batches are random binary
 * images on both sides (a step's time does not depend on the pixel values).
 */
final class VaeBench {

    static final String SCRIPT = "bench/python/vae_reference.py";

    /** One round: each side's median ms per step and the 1-minute load average before it. */
    record Round(int round, double discrete4jMs, double pytorchMs, double loadBefore) {}

    private final int rounds;
    private final int steps;
    private final int warmup;
    private final int threads;
    private final long seed;
    private final List<Round> results = new ArrayList<>();

    VaeBench(int rounds, int steps, int warmup, int threads, long seed) {
        this.rounds = rounds;
        this.steps = steps;
        this.warmup = warmup;
        this.threads = threads;
        this.seed = seed;
    }

    /** Runs the rounds; {@code log} gets one line per round unless null. */
    Map<String, Object> run(String python, Path script, PrintWriter log) throws IOException, InterruptedException {
        runJava(Math.max(1, steps / 5), warmup, seed); // untimed: the JIT compiles the Java side before round 1
        for (int r = 0; r < rounds; r++) {
            double load = BenchCommand.load();
            double java = runJava(steps, warmup, seed + r);
            Map<?, ?> json = BenchCommand.runReference(List.of(python, script.toString(), "--steps",
                    Integer.toString(steps), "--warmup", Integer.toString(warmup), "--threads",
                    Integer.toString(threads), "--seed", Long.toString(seed + r)));
            double torch = ((Number) json.get("ms_per_step")).doubleValue();
            results.add(new Round(r + 1, java, torch, load));
            if (log != null) {
                log.printf(Locale.ROOT, "bench vae round %d/%d: discrete4j %.3f ms/step, pytorch %.3f ms/step%n", r + 1,
                        rounds, java, torch);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", "categorical VAE 784-512-256-(20x10)-256-512-784, ReLU, Gumbel-softmax tau = 1, KL to the"
                + " uniform prior in closed form, Adam lr 1e-3, batch 100 of random binary images");
        out.put("discrete4jMsPerStepMedian", javaMedian());
        out.put("pytorchMsPerStepMedian", torchMedian());
        out.put("speedup", torchMedian() / javaMedian());
        out.put("target", ">= 1.5x");
        out.put("threads", "both sides " + threads + " intra-op threads (DJL PyTorch / torch.set_num_threads);"
                + " discrete4j " + BenchCommand.javaThreadSetting() + ", its Adam update (FusedAdam) on " + threads
                + " Java thread(s); reference " + BenchCommand.REFERENCE_THREAD_SETTING);
        out.put("rounds", results);
        return out;
    }

    /**
     * The Java side: a fresh model, {@code warmup} untimed steps (which also let the JIT compile the step), then
     * {@code steps} timed ones; the median milliseconds per step.
     */
    static double runJava(int steps, int warmup, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) (seed & Integer.MAX_VALUE));
            Vae vae = new Vae(m, new CategoricalLatent(20, 10), 784, 512, 256);
            // The trainer's own image set is not used: the timed steps take the batches below.
            ImageSet unused = new ImageSet("unused", 100, 28, 28, new byte[100 * 784], new int[100]);
            Trainer trainer = new Trainer(m, vae, new Trainer.Settings("gumbel-softmax", 1, 1.0, 1.0, 0.0, 1, 1, 100,
                    1e-3, seed, Binarization.STATIC), unused);
            NDArray[] batches = new NDArray[10];
            for (int i = 0; i < batches.length; i++) {
                batches[i] = m.randomUniform(0, 1, new Shape(100, 784)).lt(0.5f).toType(DataType.FLOAT32, false);
            }
            for (int i = 0; i < warmup; i++) {
                trainer.step(batches[i % batches.length]);
            }
            double[] ms = new double[steps];
            for (int i = 0; i < steps; i++) {
                long start = System.nanoTime();
                trainer.step(batches[i % batches.length]);
                ms[i] = (System.nanoTime() - start) * 1e-6;
            }
            return median(ms);
        }
    }

    double javaMedian() {
        return median(results.stream().mapToDouble(Round::discrete4jMs).toArray());
    }

    double torchMedian() {
        return median(results.stream().mapToDouble(Round::pytorchMs).toArray());
    }

    List<List<?>> csvRows() {
        List<List<?>> rows = new ArrayList<>();
        for (Round r : results) {
            rows.add(List.of("vae", r.round(), "discrete4j", r.discrete4jMs(), "", "", r.loadBefore()));
            rows.add(List.of("vae", r.round(), "pytorch", r.pytorchMs(), "", "", r.loadBefore()));
        }
        return rows;
    }

    void printTable(PrintWriter w) {
        w.printf(Locale.ROOT, "Categorical VAE training step (784-512-256-(20x10), batch 100, Gumbel-softmax, Adam),"
                + " %d timed steps, median of %d rounds (A B A B), %d threads each side%n", steps, rounds, threads);
        w.printf(Locale.ROOT, "%-8s %12s %13s %9s %8s%n", "model", "d4j ms/step", "torch ms/step", "speedup", "target");
        w.printf(Locale.ROOT, "%-8s %12.3f %13.3f %8.2fx %8s%n", "vae", javaMedian(), torchMedian(),
                torchMedian() / javaMedian(), ">= 1.5x");
    }

    void plot(Path file) {
        Plots.bars(file, "Categorical VAE training step: ms per step (median of " + rounds + " rounds)",
                "ms per step", List.of("vae"), List.of("discrete4j", "PyTorch reference"),
                List.of(new double[] {javaMedian()}, new double[] {torchMedian()}), false);
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
