package org.discrete4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.Kernel;
import org.discrete4j.sampler.Samplers;
import org.discrete4j.sampler.Trajectory;

/** One sampler of a comparison: JIT warm-up, then a timed {@link Trajectory} from the common start. */
final class SamplerRuns {

    private SamplerRuns() {}

    /**
     * Warms the kernel up on a throwaway copy (so the first sampler's seconds do not include compilation), then runs it
     * for {@code steps} from the states {@code x0} ({@code chains × dim}) shared by every sampler of the comparison.
     */
    static Trajectory.Summary run(String name, EnergyModel model, int[] x0, int chains, long steps, int every,
            long seed, Trajectory.Observer observer, Progress bar) {
        bar.message(name);
        SampleCommand.warmUp(name, model, chains, seed);
        Kernel kernel = Samplers.create(name);
        ChainState state = new ChainState(model, x0, chains, seed);
        return Trajectory.run(kernel, state, steps, every, observer, bar::stepBy);
    }

    /** A sampler's cost and movement for summary.json. */
    static Map<String, Object> entry(Trajectory.Summary s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("sampler", s.kernel());
        e.put("exact", Samplers.create(s.kernel()).exact());
        e.put("acceptance", Curves.num(s.acceptance()));
        e.put("flipsPerStep", Curves.num(s.flips()));
        e.put("seconds", s.seconds());
        e.put("evaluationsPerChain", s.evaluations());
        return e;
    }
}
