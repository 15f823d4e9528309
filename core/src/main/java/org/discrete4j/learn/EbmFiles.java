package org.discrete4j.learn;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.model.NeuralEnergy;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Parameters;

/**
 * Saved deep EBMs: one {@link Checkpoint} file with the architecture ({@code kind}, {@code rows}, {@code cols},
 * {@code width}), the data-mean base and every weight, enough to rebuild the energy anywhere. {@code d4j ebm} writes
 * {@value #BEST} (the EMA weights at the best validation score) and {@value #FINAL} (the EMA weights at the end)
 * into its output folder.
 */
public final class EbmFiles {

    /** The EMA model with the best validation log-likelihood. */
    public static final String BEST = "model-best.ckpt";

    /** The EMA model after the last iteration. */
    public static final String FINAL = "model-final.ckpt";

    static final String TYPE = "ebm";
    private static final String PREFIX = "energy.";

    private EbmFiles() {}

    /** Writes the network to {@code file} atomically. */
    public static void save(Path file, EnergyNetwork network) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("type", TYPE);
        values.put("kind", network.kind());
        values.put("rows", (long) network.rows());
        values.put("cols", (long) network.cols());
        values.put("width", (long) network.width());
        values.put("baseMean", network.baseMean());
        Checkpoint.save(file, Parameters.named(network.block(), PREFIX), values);
    }

    /**
     * Reads a saved EBM as an energy model whose weights and evaluations live in {@code manager}: {@code path} is a
     * model file, or a {@code d4j ebm} output folder, from which the best-validation model is read.
     */
    public static NeuralEnergy load(Path path, NDManager manager) {
        return network(path, manager).model(manager);
    }

    /** Reads a saved EBM as a network (for further training or inspection); see {@link #load}. */
    public static EnergyNetwork network(Path path, NDManager manager) {
        Path file = Files.isDirectory(path) ? path.resolve(BEST) : path;
        try (NDManager scratch = manager.newSubManager()) {
            Checkpoint c = Checkpoint.load(file, scratch);
            if (!TYPE.equals(c.values().get("type"))) {
                throw new IllegalArgumentException(file + " is not a saved EBM (type " + c.values().get("type") + ")");
            }
            EnergyNetwork network = new EnergyNetwork(c.getString("kind"), (int) c.getLong("rows"),
                    (int) c.getLong("cols"), (int) c.getLong("width"), c.getDoubles("baseMean"), manager);
            Parameters.restore(network.block(), PREFIX, c);
            return network;
        }
    }
}
