package org.discrete4j.sampler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.discrete4j.model.EnergyModel;

/**
 * Every kernel by its command-line name, in the order results are reported; registering a kernel is one line in
 * the static block. Names follow the Gibbs-with-Gradients and DISCS code (for example {@code gwg-3} flips 3 sites,
 * {@code hb-10-1} is the Hamming ball with block 10 and radius 1).
 */
public final class Samplers {

    private static final Map<String, Supplier<Kernel>> KERNELS = new LinkedHashMap<>();

    static {
        KERNELS.put("gibbs", () -> new Gibbs(false));
        KERNELS.put("gibbs-sweep", () -> new Gibbs(true));
        KERNELS.put("bg-2", () -> new BlockGibbs(2));
        KERNELS.put("bg-3", () -> new BlockGibbs(3));
        KERNELS.put("hb-10-1", () -> new HammingBall(10, 1));
        KERNELS.put("rwm", RandomWalkMetropolis::new);
        KERNELS.put("lb-sqrt", () -> new LocallyBalanced(LocallyBalanced.Weight.SQRT));
        KERNELS.put("lb-ratio", () -> new LocallyBalanced(LocallyBalanced.Weight.RATIO));
        KERNELS.put("sw", SwendsenWang::new);
        KERNELS.put("rbm-gibbs", RbmBlockGibbs::new);
        KERNELS.put("gwg", GibbsWithGradients::new);
        KERNELS.put("gwg-3", () -> new GibbsWithGradients(2.0, 3));
        KERNELS.put("gwg-5", () -> new GibbsWithGradients(2.0, 5));
        KERNELS.put("pas-3", () -> new PathAuxiliary(3));
        KERNELS.put("dula", Dula::new);
        KERNELS.put("dmala", Dmala::new);
    }

    private Samplers() {}

    /** The registered names. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(KERNELS.keySet()));
    }

    /**
     * A new kernel (kernels hold per-run state, such as adapted step sizes) by name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Kernel create(String name) {
        Supplier<Kernel> s = KERNELS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown sampler '" + name + "'; known: " + String.join(", ",
                    KERNELS.keySet()));
        }
        return s.get();
    }

    /** The names of the kernels that apply to the model, in order. */
    public static List<String> applicable(EnergyModel model) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Supplier<Kernel>> e : KERNELS.entrySet()) {
            if (e.getValue().get().appliesTo(model)) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
