package org.discrete4j.sampler;

import org.discrete4j.model.*;
import org.junit.jupiter.api.Test;

class ScratchTest {
    static double cpu() { return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9; }
    @Test
    void time() {
        for (int rep = 0; rep < 2; rep++) {
        for (LocallyBalanced.Weight w : LocallyBalanced.Weight.values()) {
        double t0 = cpu();
        ExactCheck.check(GibbsTest.ISING, new LocallyBalanced(w), 40_000, 300, 5);
        double t1 = cpu();
        ExactCheck.finalStates(PottsCheck.POTTS, new LocallyBalanced(w), 40_000, 300, 5);
        double t2 = cpu();
        System.out.printf("%s ising %.3f potts %.3f%n", w, t1 - t0, t2 - t1);
        }
        }
    }
}
