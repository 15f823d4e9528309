package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The path auxiliary sampler against exact enumeration (bounds and step counts as in GibbsWithGradientsTest). */
class PathAuxiliaryTest {

    @Test
    void matchesExactIsing() {
        ExactCheck.Result r = ExactCheck.check(GibbsWithGradientsTest.ISING, new PathAuxiliary(3),
                GibbsWithGradientsTest.CHAINS, 150, 11);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    @Test
    void leavesStronglyCoupledIsingInvariant() {
        ExactCheck.Result r = GibbsWithGradientsTest.fromExact(GibbsWithGradientsTest.STRONG, new PathAuxiliary(3), 50,
                12);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    /** Categorical: paths of 2 distinct sites out of 4, each site to one of its 2 other values. */
    @Test
    void categoricalMatchesExact() {
        ExactCheck.Result r = ExactCheck.check(GibbsWithGradientsTest.CATEGORICAL, new PathAuxiliary(2),
                GibbsWithGradientsTest.CHAINS, 100, 13);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    /** A path as long as the model: every site moves, each to one of its two other values, in a random order. */
    @Test
    void pathThroughEverySiteMatchesExact() {
        ExactCheck.Result r = ExactCheck.check(GibbsWithGradientsTest.CATEGORICAL, new PathAuxiliary(4),
                GibbsWithGradientsTest.CHAINS, 100, 14);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }
}
