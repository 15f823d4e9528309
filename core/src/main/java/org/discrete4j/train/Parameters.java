package org.discrete4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The arrays of an initialised DJL block's parameters, for optimisers and checkpoints. */
public final class Parameters {

    private Parameters() {}

    /** The parameter arrays in the block's (deterministic) order. */
    public static List<NDArray> of(Block block) {
        return new ArrayList<>(named(block, "").values());
    }

    /** The parameter arrays by their path in the block, each name prefixed with {@code prefix}. */
    public static Map<String, NDArray> named(Block block, String prefix) {
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("block must be initialised before its parameters are used");
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(prefix + p.getKey(), p.getValue().getArray());
        }
        return out;
    }

    /** Copies every parameter of {@code block} from the checkpoint arrays saved with {@link #named}. */
    public static void restore(Block block, String prefix, Checkpoint checkpoint) {
        for (Map.Entry<String, NDArray> e : named(block, prefix).entrySet()) {
            checkpoint.restore(e.getKey(), e.getValue());
        }
    }
}
