package org.discrete4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainTest {

    @TempDir
    Path dir;

    @Test
    void checkpointRoundTripsArraysAndValuesAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.ckpt");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("w", manager.create(new float[] {1.5f, -2f, 3f, 4f}, new Shape(2, 2)));
            arrays.put("chains", manager.create(new int[] {0, 1, 1}));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("epoch", 3L);
            values.put("count", 7);
            values.put("loss", 0.125);
            values.put("estimator", "st-gumbel-softmax");
            values.put("curve", new double[] {1, 2.5});
            values.put("ints", new int[] {4, 5});
            values.put("longs", new long[] {Long.MAX_VALUE});
            Checkpoint.save(file, arrays, values);
            Checkpoint.save(file, arrays, values); // overwriting is atomic too
            try (Stream files = new Stream(dir)) {
                assertThat(files.names).containsExactly("state.ckpt");
            }
            try (NDManager other = NDManager.newBaseManager()) {
                Checkpoint c = Checkpoint.load(file, other);
                assertThat(c.array("w").toFloatArray()).containsExactly(1.5f, -2f, 3f, 4f);
                assertThat(c.array("w").getShape()).isEqualTo(new Shape(2, 2));
                assertThat(c.array("chains").getDataType()).isEqualTo(DataType.INT32);
                assertThat(c.getLong("epoch")).isEqualTo(3L);
                assertThat(c.getLong("count")).isEqualTo(7L);
                assertThat(c.getDouble("loss")).isEqualTo(0.125);
                assertThat(c.getString("estimator")).isEqualTo("st-gumbel-softmax");
                assertThat(c.getDoubles("curve")).containsExactly(1, 2.5);
                assertThat(c.getInts("ints")).containsExactly(4, 5);
                assertThat(c.getLongs("longs")).containsExactly(Long.MAX_VALUE);
                assertThat(c.arrays().keySet()).containsExactly("w", "chains");
                assertThatThrownBy(() -> c.getLong("loss")).hasMessageContaining("no Long value 'loss'");
                assertThatThrownBy(() -> c.array("v")).hasMessageContaining("no array 'v'");
                NDArray target = other.zeros(new Shape(3, 1));
                assertThatThrownBy(() -> c.restore("w", target)).hasMessageContaining("shape");
            }
            assertThatThrownBy(() -> Checkpoint.save(file, arrays, Map.of("bad", new Object())))
                    .hasMessageContaining("unsupported type");
        }
    }

    @Test
    void corruptOrMissingCheckpointsAreClearErrors() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Checkpoint.load(dir.resolve("none"), manager)).hasMessageContaining("no checkpoint");
            Path junk = dir.resolve("junk");
            Files.write(junk, new byte[] {1, 2, 3});
            assertThatThrownBy(() -> Checkpoint.load(junk, manager)).hasMessageContaining("not a discrete4j checkpoint");
            Path file = dir.resolve("cut.ckpt");
            Checkpoint.save(file, Map.of("w", manager.ones(new Shape(100))), Map.of("epoch", 1L));
            byte[] whole = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 10));
            assertThatThrownBy(() -> Checkpoint.load(file, manager)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("corrupt checkpoint").hasMessageContaining("cut.ckpt");
        }
    }

    /** Adam on f(θ) = Σ (θ − c)²/2 against Algorithm 1 computed by hand in double precision. */
    @Test
    void adamFollowsAlgorithmOneAndResumesExactly() {
        float[] start = {0.5f, -1f, 2f};
        float[] c = {1f, 1f, -1f};
        double lr = 0.1;
        double[] theta = {0.5, -1, 2};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= 20; t++) {
            for (int i = 0; i < 3; i++) {
                double g = theta[i] - c[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] straight = run(manager, start, c, lr, 20, null);
            for (int i = 0; i < 3; i++) {
                assertThat((double) straight[i]).isCloseTo(theta[i], org.assertj.core.data.Offset.offset(1e-5));
            }
            Path file = dir.resolve("adam.ckpt");
            run(manager, start, c, lr, 8, file);
            float[] resumed = resume(manager, c, lr, 12, file);
            assertThat(resumed).containsExactly(straight);
        }
    }

    @Test
    void adamRejectsNonFiniteGradientsAndBadSettings() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = manager.create(new float[] {1f});
            assertThatThrownBy(() -> new Adam(List.of(p), 0.1)).hasMessageContaining("does not require a gradient");
            p.setRequiresGradient(true);
            assertThatThrownBy(() -> new Adam(List.of(p), 0)).hasMessageContaining("learning rate");
            Adam adam = new Adam(List.of(p), 0.1);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.mul(Float.POSITIVE_INFINITY).sum());
            }
            assertThatThrownBy(adam::step).hasMessageContaining("non-finite gradient");
        }
    }

    @Test
    void blockParametersRoundTripThroughACheckpoint() {
        Path file = dir.resolve("block.ckpt");
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.nn.Block a = mlp(manager, 1);
            ai.djl.nn.Block b = mlp(manager, 2);
            Map<String, NDArray> named = Parameters.named(a, "enc.");
            assertThat(named).hasSize(4);
            assertThat(named.keySet()).allMatch(k -> k.startsWith("enc."));
            assertThat(Parameters.of(a)).hasSize(4);
            Checkpoint.save(file, named, Map.of());
            try (NDManager loaded = manager.newSubManager()) {
                Parameters.restore(b, "enc.", Checkpoint.load(file, loaded));
            }
            List<NDArray> pa = Parameters.of(a);
            List<NDArray> pb = Parameters.of(b);
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).toFloatArray()).containsExactly(pa.get(i).toFloatArray());
            }
            assertThatThrownBy(() -> Parameters.of(new ai.djl.nn.SequentialBlock()))
                    .hasMessageContaining("initialised");
        }
    }

    private static ai.djl.nn.Block mlp(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        ai.djl.nn.SequentialBlock block = new ai.djl.nn.SequentialBlock()
                .add(ai.djl.nn.core.Linear.builder().setUnits(5).build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(ai.djl.nn.core.Linear.builder().setUnits(2).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        return block;
    }

    @Test
    void seedsAreDeterministicAndDistinct() {
        assertThat(Seeds.of(42, 3)).isEqualTo(Seeds.of(42, 3));
        Set<Long> seen = new HashSet<>();
        for (long s = 0; s < 10; s++) {
            for (long chunk = 0; chunk < 100; chunk++) {
                seen.add(Seeds.of(s, chunk));
            }
        }
        assertThat(seen).hasSize(1000);
        assertThat(Seeds.engineSeed(1, 2)).isNotNegative();
    }

    private static float[] run(NDManager manager, float[] start, float[] c, double lr, int steps, Path save) {
        NDArray theta = manager.create(start);
        theta.setRequiresGradient(true);
        Adam adam = new Adam(List.of(theta), lr);
        descend(theta, adam, manager.create(c), steps);
        if (save != null) {
            Map<String, NDArray> arrays = new LinkedHashMap<>(adam.state("adam"));
            arrays.put("theta", theta);
            Checkpoint.save(save, arrays, Map.of());
        }
        return theta.toFloatArray();
    }

    private static float[] resume(NDManager manager, float[] c, double lr, int steps, Path file) {
        NDArray theta = manager.zeros(new Shape(3));
        theta.setRequiresGradient(true);
        Adam adam = new Adam(List.of(theta), lr);
        try (NDManager loaded = manager.newSubManager()) {
            Checkpoint checkpoint = Checkpoint.load(file, loaded);
            checkpoint.restore("theta", theta);
            adam.load(checkpoint, "adam");
        }
        assertThat(adam.steps()).isEqualTo(8);
        descend(theta, adam, manager.create(c), steps);
        return theta.toFloatArray();
    }

    private static void descend(NDArray theta, Adam adam, NDArray c, int steps) {
        for (int t = 0; t < steps; t++) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(theta.sub(c).square().sum().div(2));
            }
            adam.step();
        }
    }

    /** The file names in a folder. */
    private static final class Stream implements AutoCloseable {
        final List<String> names;

        Stream(Path dir) throws IOException {
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                names = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            }
        }

        @Override
        public void close() {}
    }
}
