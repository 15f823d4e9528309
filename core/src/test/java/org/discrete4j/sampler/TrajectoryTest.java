package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.discrete4j.model.IsingModel;
import org.junit.jupiter.api.Test;

class TrajectoryTest {

    static final IsingModel ISING = IsingModel.lattice(4, 0.4, 0.0);

    /** Observed at step 0 and every k-th step, with the states of the same chains stepped by hand. */
    @Test
    void observesEveryKthStepOfTheSameChain() {
        List<Long> steps = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<int[]> states = new ArrayList<>();
        AtomicLong progress = new AtomicLong();
        Trajectory.Summary s = Trajectory.run(new Gibbs(false), ChainState.uniform(ISING, 3, 5), 23, 5,
                (t, sec, st) -> {
                    steps.add(t);
                    seconds.add(sec);
                    states.add(st.x().clone());
                }, progress::addAndGet);
        assertThat(steps).containsExactly(0L, 5L, 10L, 15L, 20L);
        for (int i = 1; i < seconds.size(); i++) {
            assertThat(seconds.get(i)).isGreaterThanOrEqualTo(seconds.get(i - 1));
        }
        assertThat(progress.get()).isEqualTo(23);
        assertThat(s.kernel()).isEqualTo("gibbs");
        assertThat(s.steps()).isEqualTo(23);
        assertThat(s.evaluations()).isEqualTo(23); // one single-site delta per Gibbs step on a binary model
        assertThat(s.acceptance()).isEqualTo(1.0);
        assertThat(s.seconds()).isGreaterThanOrEqualTo(seconds.get(seconds.size() - 1));

        ChainState manual = ChainState.uniform(ISING, 3, 5);
        Gibbs g = new Gibbs(false);
        g.init(manual);
        assertThat(states.get(0)).containsExactly(manual.x());
        for (int t = 1; t <= 20; t++) {
            g.step(manual);
            if (t % 5 == 0) {
                assertThat(states.get(t / 5)).containsExactly(manual.x());
            }
        }
    }

    @Test
    void badInput() {
        ChainState s = ChainState.uniform(ISING, 2, 1);
        Trajectory.Observer none = (t, sec, st) -> { };
        assertThatThrownBy(() -> Trajectory.run(new Gibbs(false), s, 10, 0, none, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
        assertThatThrownBy(() -> Trajectory.run(new Gibbs(false), s, -1, 1, none, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Trajectory.run(new RbmBlockGibbs(), s, 10, 1, none, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply");
    }
}
