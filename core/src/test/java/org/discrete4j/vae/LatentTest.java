package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.stream.Stream;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.Enumerable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LatentTest {

    static Stream<Latent> layers() {
        return Stream.of(new BernoulliLatent(5), new CategoricalLatent(3, 4), new PoissonLatent(4, 1.5),
                new BinomialLatent(3, 6));
    }

    /** The closed-form KL equals Σ_units Σ_z q(z) (log q(z) − log p(z)) over each unit's enumerated support. */
    @ParameterizedTest
    @MethodSource("layers")
    void klInClosedFormMatchesEnumeration(Latent layer) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            int rows = 3;
            NDArray output = m.randomNormal(0, 1.5f, new Shape(rows, layer.parameters()), DataType.FLOAT64);
            Distribution q = layer.posterior(output);
            Distribution prior = layer.prior(m, new Shape(rows));
            double[] kl = layer.kl(q).toDoubleArray();

            NDArray support = ((Enumerable) q).enumerateSupport().toType(DataType.FLOAT64, false);
            long s = support.getShape().get(0);
            Shape full = new Shape(s).addAll(q.batchShape()).addAll(q.eventShape());
            long[] dims = new long[full.dimension()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = s;
            for (int i = 1; i < support.getShape().dimension(); i++) {
                dims[dims.length - support.getShape().dimension() + i] = support.getShape().get(i);
            }
            NDArray values = support.reshape(new Shape(dims)).broadcast(full);
            NDArray lq = q.logProb(values);
            NDArray lp = prior.logProb(values);
            NDArray terms = lq.exp().mul(lq.sub(lp));
            double[] enumerated = terms.sum(new int[] {0}).sum(new int[] {-1}).toDoubleArray();
            for (int r = 0; r < rows; r++) {
                assertThat(kl[r]).as(layer.name() + " row " + r).isCloseTo(enumerated[r], within(1e-6));
                assertThat(kl[r]).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("layers")
    void flattenGivesTheNextLayersWidth(Latent layer) {
        try (NDManager m = NDManager.newBaseManager()) {
            Distribution q = layer.posterior(m.zeros(new Shape(2, layer.parameters())));
            NDArray z = q.sample(new Shape(5));
            assertThat(layer.flatten(z).getShape()).isEqualTo(new Shape(5, 2, layer.width()));
            assertThat(layer.kl(q).getShape()).isEqualTo(new Shape(2));
            assertThat(layer.prior(m, new Shape(2)).batchShape()).isEqualTo(q.batchShape());
        }
    }

    @Test
    void badSizesAndNamesAreErrors() {
        assertThatThrownBy(() -> Latent.of("gaussian", 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gaussian");
        assertThatThrownBy(() -> new CategoricalLatent(3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BernoulliLatent(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PoissonLatent(2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Latent.of("categorical", 0, 0).width()).isEqualTo(200);
        assertThat(Latent.of("bernoulli", 0, 0).width()).isEqualTo(200);
    }
}
