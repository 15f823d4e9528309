package org.discrete4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.discrete4j.autograd.GradMode;

/** The arrays of an initialised DJL block's parameters, for optimisers and checkpoints. */
public final class Parameters {

    private Parameters() {}

    /**
     * Copies {@code source} into {@code target} in place, into the target's own memory (same shape; converted to its
     * data type). Not {@code NDArray.set(Buffer)}: on the PyTorch engine that makes a Java direct buffer the tensor's
     * storage, alive only as long as the one Java wrapper that holds it (the same kind of hazard as the one
     * {@link org.discrete4j.autograd.Scalars} avoids).
     */
    public static void copyInto(NDArray target, NDArray source) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("cannot copy an array of shape " + source.getShape() + " into one of "
                    + "shape " + target.getShape());
        }
        boolean convert = source.getDataType() != target.getDataType();
        try (GradMode off = GradMode.disabled();
                NDArray typed = convert ? source.toType(target.getDataType(), true) : null;
                NDArray into = target.reshape(-1);
                NDArray from = (convert ? typed : source).reshape(-1)) {
            into.set(new NDIndex(":"), from); // a view of target: the write lands in its memory
        }
    }

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
