package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.estimator.Cost;
import org.discrete4j.estimator.Estimate;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.schedule.TemperatureSchedule;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Parameters;

/**
 * Codes drawn from a categorical distribution: a linear head maps each encoder vector (dimension D) to K logits,
 * a one-hot draw z picks a row of a learned K × D embedding for the decoder, and a {@link GradientEstimator} (by
 * default Gumbel-softmax, Jang, Gu and Poole, ICLR 2017) differentiates the expected reconstruction cost. Head and
 * embedding are shared by the L positions, as the codebook of {@link NearestCode} is, so both bottlenecks carry
 * L·log2 K bits. Deterministic codes are the most probable ones (argmax of the logits).
 */
final class SampledCode implements DiscreteBottleneck {

    private final String estimator;
    private final TemperatureSchedule schedule;
    private final int draws;
    private final int codes;
    private final Linear head;
    private final Linear embedding;
    private final ParameterStore store;

    SampledCode(String estimator, TemperatureSchedule schedule, int draws, int codes, int dimension,
            NDManager manager) {
        this.estimator = estimator;
        this.schedule = schedule;
        this.draws = draws;
        this.codes = codes;
        head = Linear.builder().setUnits(codes).build();
        embedding = Linear.builder().setUnits(dimension).optBias(false).build();
        head.initialize(manager, DataType.FLOAT32, new Shape(1, dimension));
        embedding.initialize(manager, DataType.FLOAT32, new Shape(1, codes));
        store = new ParameterStore(manager, false);
    }

    @Override
    public Pass train(NDArray encoded, Cost decode, long step) {
        NDArray logits = logits(encoded, true);
        GradientEstimator e = Estimators.create(estimator, new Estimators.Options(schedule.temperature(step), draws));
        Estimate estimate = e.estimate(OneHotCategorical.ofLogits(logits), z -> decode.apply(embed(z, true)));
        long batch = encoded.getShape().get(0);
        NDArray cost = estimate.cost().mean(new int[] {0});
        return new Pass(Scalars.div(estimate.surrogate(), batch), cost, logits.argMax(-1), () -> { });
    }

    @Override
    public Codes encode(NDArray encoded) {
        NDArray indices = logits(encoded, false).argMax(-1);
        return new Codes(embed(indices.oneHot(codes), false), indices);
    }

    /** (B, L, D) to (B, L, K). */
    private NDArray logits(NDArray encoded, boolean training) {
        Shape s = encoded.getShape();
        NDArray flat = encoded.reshape(-1, s.get(2));
        return head.forward(store, new NDList(flat), training).singletonOrThrow().reshape(s.get(0), s.get(1), codes);
    }

    /** One-hot or relaxed codes (…, L, K) to decoder input (…, L, D). */
    private NDArray embed(NDArray z, boolean training) {
        Shape s = z.getShape();
        NDArray flat = z.toType(DataType.FLOAT32, false).reshape(-1, codes);
        NDArray e = embedding.forward(store, new NDList(flat), training).singletonOrThrow();
        return e.reshape(s.slice(0, s.dimension() - 1).add(e.getShape().get(1)));
    }

    @Override
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>(Parameters.of(head));
        out.addAll(Parameters.of(embedding));
        return out;
    }

    @Override
    public Map<String, NDArray> state(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>(Parameters.named(head, prefix + ".head."));
        out.putAll(Parameters.named(embedding, prefix + ".embedding."));
        return out;
    }

    @Override
    public void load(Checkpoint checkpoint, String prefix) {
        Parameters.restore(head, prefix + ".head.", checkpoint);
        Parameters.restore(embedding, prefix + ".embedding.", checkpoint);
    }

    @Override
    public double temperature(long step) {
        return schedule.temperature(step);
    }
}
