package org.discrete4j.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class TemperatureScheduleTest {

    @Test
    void exponentialIsJangsScheduleUpdatedEveryNSteps() {
        // Jang et al.'s MNIST setting: τ = max(0.5, exp(−r t)), r = 1e-4, updated every N = 1000 steps.
        Exponential s = new Exponential(1.0, 1e-4, 0.5, 1000);
        assertThat(s.temperature(0)).isEqualTo(1.0);
        assertThat(s.temperature(999)).isEqualTo(1.0);
        assertThat(s.temperature(1000)).isCloseTo(Math.exp(-0.1), offset(1e-15));
        assertThat(s.temperature(2500)).isCloseTo(Math.exp(-0.2), offset(1e-15));
        // exp(−1e-4 t) reaches 0.5 at t = ln 2 / 1e-4 ≈ 6931.
        assertThat(s.temperature(6999)).isCloseTo(Math.exp(-0.6), offset(1e-15));
        assertThat(s.temperature(7000)).isEqualTo(0.5);
        assertThat(s.temperature(1_000_000_000L)).isEqualTo(0.5);
        assertThat(new Exponential(2.0, 0.5, 0.1, 1).temperature(3)).isCloseTo(2 * Math.exp(-1.5), offset(1e-15));
    }

    @Test
    void multiplicativeShrinksByAFixedFractionPerStep() {
        Multiplicative s = new Multiplicative(2.0, 0.1, 0.5);
        double tau = 2.0;
        for (int t = 0; t < 40; t++) {
            assertThat(s.temperature(t)).as("step %d", t).isCloseTo(tau, offset(1e-12));
            tau = Math.max(0.5, 0.9 * tau);
        }
        assertThat(s.temperature(13)).isCloseTo(2.0 * Math.pow(0.9, 13), offset(1e-12));
        assertThat(s.temperature(14)).isEqualTo(0.5);
        assertThat(new Multiplicative(1.0, 0.0, 0.2).temperature(1000)).isEqualTo(1.0);
    }

    @Test
    void linearInterpolatesThenHolds() {
        Linear down = new Linear(5.0, 0.5, 100);
        assertThat(down.temperature(0)).isEqualTo(5.0);
        assertThat(down.temperature(50)).isCloseTo(2.75, offset(1e-12));
        assertThat(down.temperature(99)).isCloseTo(5.0 - 4.5 * 0.99, offset(1e-12));
        assertThat(down.temperature(100)).isEqualTo(0.5);
        assertThat(down.temperature(10_000)).isEqualTo(0.5);
        assertThat(new Linear(0.5, 2.0, 4).temperature(1)).isCloseTo(0.875, offset(1e-12));
    }

    @Test
    void learnedTemperatureIsSoftplusAboveTheFloorAndDifferentiable() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double initial : new double[] {0.11, 0.7, 3.0, 50.0}) {
                Learned s = new Learned(m, initial, 0.1);
                assertThat(s.parameter().getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(s.parameter().hasGradient()).isTrue();
                assertThat(s.temperature(0)).isCloseTo(initial, offset(1e-5 * initial));
                assertThat(s.temperature(123)).isEqualTo(s.temperature(0));
                double rho = s.parameter().getFloat();
                assertThat(s.temperature().getDataType()).isEqualTo(DataType.FLOAT32);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(s.temperature());
                }
                // dτ/dρ = σ(ρ).
                NDArray g = s.parameter().getGradient();
                assertThat((double) g.getFloat()).isCloseTo(1 / (1 + Math.exp(-rho)), offset(1e-6));
            }
            // Updating ρ changes the temperature.
            Learned s = new Learned(m, 1.0, 0.0);
            s.parameter().subi(1f);
            assertThat(s.temperature(0)).isCloseTo(Math.log1p(Math.exp(Math.log(Math.expm1(1.0)) - 1)), offset(1e-6));
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new Exponential(0, 1e-4, 0.5, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial temperature");
        assertThatThrownBy(() -> new Exponential(1, -1e-4, 0.5, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> new Exponential(1, Double.NaN, 0.5, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Exponential(1, 1e-4, 0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimum temperature");
        assertThatThrownBy(() -> new Exponential(1, 1e-4, 2, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> new Exponential(1, 1e-4, 0.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every");
        assertThatThrownBy(() -> new Multiplicative(1, 1.0, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> new Multiplicative(1, -0.1, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Multiplicative(Double.POSITIVE_INFINITY, 0.1, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Linear(1, -1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("final temperature");
        assertThatThrownBy(() -> new Linear(1, 0.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> new Linear(1, 0.5, 10).temperature(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step");
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> new Learned(m, 0.5, 0.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceed");
            assertThatThrownBy(() -> new Learned(m, 1.0, -0.1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minimum");
            assertThatThrownBy(() -> new Learned(m, Double.NaN, 0.1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
