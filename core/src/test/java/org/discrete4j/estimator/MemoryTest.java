package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.discrete4j.distribution.Bernoulli;
import org.junit.jupiter.api.Test;

/** A long training-style loop holds memory flat when each step lives in its own sub-manager. */
class MemoryTest {

    /** Resident memory outside the Java heap (native tensors, allocator), in kB: heap growth is not a leak. */
    static long nativeKb() throws java.io.IOException {
        return rssKb() - Runtime.getRuntime().totalMemory() / 1024;
    }

    static long rssKb() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void estimatorLoopHoldsMemoryFlat() throws Exception {
        Engine.getInstance().setRandomSeed(1);
        GradientEstimator est = new ScoreFunction(4);
        try (NDManager base = NDManager.newBaseManager()) {
            NDArray theta = base.create(new float[] {0.1f, -0.3f, 0.7f, 1.2f});
            theta.setRequiresGradient(true);
            int before = base.getManagedArrays().size();
            long rssAfterWarmup = 0;
            int steps = 30_000;
            for (int i = 0; i < steps; i++) {
                try (NDManager step = base.newSubManager()) {
                    // Parameters live in base; the step's arrays must not attach there.
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = theta.mul(1f);
                        logits.attach(step);
                        Estimate e = est.estimate(Bernoulli.ofLogits(logits), z -> z.sub(0.45f).square().sum(
                                new int[] {1}));
                        gc.backward(e.surrogate());
                    }
                    // getGradient() is a fresh handle on theta's manager: move it and the update into the step.
                    NDArray g = theta.getGradient();
                    g.attach(step);
                    theta.subi(g.mul(0.01f));
                    g.muli(0f); // gradients accumulate across collectors: zero them in place

                }
                if (i == 5_000) {
                    System.gc();
                    rssAfterWarmup = nativeKb();
                }
            }
            System.gc();
            long growthMb = (nativeKb() - rssAfterWarmup) / 1024;
            // Managed arrays: the parameter plus, at most, its gradient handle: no per-step arrays left behind.
            assertThat(base.getManagedArrays().size()).isLessThanOrEqualTo(before + 2);
            // The count above is the exact check (one leaked array a step would add 25,000). Resident memory is the
            // coarse one: the native allocator's arenas vary with load (measured 109 MB growth on a machine running
            // other builds, a few MB alone), so it only catches gross leaks: above about 10 kB a step.
            assertThat(growthMb).as("resident memory outside the heap, growth over 25k steps (MB)").isLessThan(256);
        }
    }
}
