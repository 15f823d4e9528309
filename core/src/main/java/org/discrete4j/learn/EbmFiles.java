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
    private static final String ABOUT = "about.";

    private EbmFiles() {}

    /**
     * Writes the network to {@code file} atomically, with {@code about} (values of the types {@link Checkpoint} stores; may be empty): what
     * it was trained on, read back by {@link #about}.
     */
    public static void save(Path file, EnergyNetwork network, Map<String, Object> about) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : about.entrySet()) {
            values.put(ABOUT + e.getKey(), e.getValue());
        }
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
        try (NDManager scratch = manager.newSubManager()) {
            Checkpoint c = read(path, scratch);
            EnergyNetwork network = new EnergyNetwork(c.getString("kind"), (int) c.getLong("rows"),
                    (int) c.getLong("cols"), (int) c.getLong("width"), c.getDoubles("baseMean"), manager);
            Parameters.restore(network.block(), PREFIX, c);
            return network;
        }
    }

    /**
     * What the model was trained on ({@code data}, {@code binarization}, {@code dataSeed}, image counts, and the
     * training settings), as saved; {@code path} as for {@link #load}.
     */
    public static Map<String, Object> about(Path path) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : read(path, scratch).values().entrySet()) {
                if (e.getKey().startsWith(ABOUT)) {
                    out.put(e.getKey().substring(ABOUT.length()), e.getValue());
                }
            }
            return out;
        }
    }

    /** Whether {@code path} is a saved EBM or a folder holding one ({@value #BEST}). */
    public static boolean isEbm(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(BEST) : path;
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (NDManager scratch = NDManager.newBaseManager()) {
            read(file, scratch);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Checkpoint read(Path path, NDManager manager) {
        Path file = Files.isDirectory(path) ? path.resolve(BEST) : path;
        Checkpoint c = Checkpoint.load(file, manager);
        if (!TYPE.equals(c.values().get("type"))) {
            throw new IllegalArgumentException(file + " is not a saved EBM (type " + c.values().get("type") + ")");
        }
        return c;
    }
}
