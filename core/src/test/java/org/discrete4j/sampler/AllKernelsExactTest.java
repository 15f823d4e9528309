package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.PottsModel;
import org.discrete4j.model.Rbm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered exact kernel, on every one of the three reference models that it applies to, samples the exact
 * distribution: Ising 3×3 and an RBM with 10 visible units by total variation over all states, Potts 3×3 with 3
 * colours by total variation of its statistics (number of agreeing pairs, count of colour 0), whose 19,683 states
 * are too many for a sensitive full comparison at this sample size. Bounds come from {@link ExactCheck}: each fails
 * a correct sampler with probability below 1e-6, so the whole table below 1e-4. Cases are independent (each kernel
 * and chain state is its own; models are immutable), so they run concurrently.
 */
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
class AllKernelsExactTest {

    static final int CHAINS = 20_000;
    /** Steps from the uniform start. */
    static final int STEPS = 200;
    /**
     * DMALA's default step size hardly moves a categorical chain, so it runs as {@code d4j sample} runs it: a burn-in
     * with its step size adapting, then frozen steps. RWM keeps its fixed default radius: on 9 sites the 0.234 rule
     * (derived for high dimension) drives it to the independence proposal, which mixes slowly on a peaked Potts
     * model (measured: TV of agreeing pairs 0.046 after 2,000 steps) though it stays exact.
     */
    static final java.util.Set<String> ADAPTIVE = java.util.Set.of("dmala");
    static final int ADAPT = 100;
    static final int FROZEN = 200;

    static final IsingModel ISING = IsingModel.lattice(3, 0.3, 0.1);
    static final Rbm RBM = Rbm.random(10, 6, 0.6, 0.8, 2024);
    static final PottsModel POTTS = PottsCheck.POTTS;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        EnergyModel[] models = {ISING, RBM, POTTS};
        String[] names = {"ising 3x3", "rbm 10x6", "potts 3x3 K=3"};
        for (String kernel : Samplers.names()) {
            Kernel k = Samplers.create(kernel);
            if (!k.exact()) {
                continue; // DULA: its bias is measured in DiscreteLangevinTest
            }
            for (int m = 0; m < models.length; m++) {
                if (k.appliesTo(models[m])) {
                    cases.add(Arguments.of(kernel, names[m], models[m]));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void samplesTheExactDistribution(String kernel, String modelName, EnergyModel model) {
        Kernel k = Samplers.create(kernel);
        ChainState state = ChainState.uniform(model, CHAINS, kernel.hashCode());
        k.init(state);
        boolean adaptive = ADAPTIVE.contains(kernel);
        k.setAdapting(adaptive);
        int steps = adaptive ? ADAPT + FROZEN : STEPS;
        for (int t = 0; t < steps; t++) {
            if (t == ADAPT) {
                k.setAdapting(false);
            }
            k.step(state);
        }
        int[] x = state.x();
        if (model == POTTS) {
            ExactCheck.Result[] r = PottsCheck.check(POTTS, x, CHAINS);
            assertThat(r[1].passes()).as("agreeing pairs: %s", r[1]).isTrue();
            assertThat(r[2].passes()).as("count of colour 0: %s", r[2]).isTrue();
            assertThat(r[0].passes()).as("all states: %s", r[0]).isTrue();
        } else {
            ExactCheck.Result r = ExactCheck.tv(x, CHAINS, model.dim(), model.numValues(),
                    Enumeration.of(model).probabilities());
            assertThat(r.passes()).as(r.toString()).isTrue();
        }
    }

    /** The table covers every exact kernel on at least one model, and the general kernels on all three. */
    @org.junit.jupiter.api.Test
    void everyKernelIsCovered() {
        List<Arguments> cases = cases();
        for (String kernel : Samplers.names()) {
            if (Samplers.create(kernel).exact()) {
                assertThat(cases).as(kernel).anyMatch(a -> a.get()[0].equals(kernel));
            }
        }
        assertThat(cases).filteredOn(a -> a.get()[0].equals("gwg")).hasSize(3);
    }
}
