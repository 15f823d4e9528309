package org.discrete4j.bench;

import java.util.concurrent.TimeUnit;
import org.discrete4j.model.ChainLanes;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.GibbsWithGradients;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Gibbs-with-Gradients step (τ = 2, single flip) of a batch of chains, on the two models of {@code d4j bench
 * --suite gwg}: the RBM 784×500 of Grathwohl et al. (random, W ~ N(0, 0.05)) and the 10×10 periodic Ising lattice
 * with J = 0.2 per pair. The chains run on from step to step, past a burn-in, as in a real run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@State(Scope.Thread)
public class GwgStepBenchmark {

    /** {@code rbm} (784×500) or {@code ising} (10×10). */
    @Param({"rbm", "ising"})
    public String model;

    @Param({"100"})
    public int chains;

    /**
     * Threads of both the Java lanes ({@code discrete4j.threads}) and PyTorch's intra-op pool (read when the engine
     * starts, which is in this trial's fork).
     */
    @Param({"2"})
    public int threads;

    private ChainState state;
    private GibbsWithGradients kernel;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        ChainLanes.setThreads(threads);
        EnergyModel m = switch (model) {
            case "rbm" -> Rbm.random(784, 500, 1234567);
            case "ising" -> IsingModel.lattice(10, 0.2, 0.0);
            default -> throw new IllegalArgumentException("model must be rbm or ising, got " + model);
        };
        state = ChainState.uniform(m, chains, 1);
        kernel = new GibbsWithGradients();
        kernel.init(state);
        for (int t = 0; t < 200; t++) {
            kernel.step(state);
        }
    }

    @Benchmark
    public double step() {
        return kernel.step(state).acceptance();
    }
}
