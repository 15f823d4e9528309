package org.discrete4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.autograd.Gradients;

/**
 * Adam (Kingma and Ba, ICLR 2015, Algorithm 1) over a fixed list of parameter arrays, in the form PyTorch uses
 * (ε added to √v̂), updating the arrays in place and then zeroing their gradients. Its moments and step count go
 * into a {@link Checkpoint} through {@link #state} and come back with {@link #load}, so a resumed run continues
 * exactly.
 */
public final class Adam {

    private final List<NDArray> parameters;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double learningRate;
    private long steps;

    /** Adam with β = (0.9, 0.999), ε = 1e-8. */
    public Adam(List<NDArray> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(List<NDArray> parameters, double learningRate, double beta1, double beta2, double epsilon) {
        checkSettings(parameters, learningRate, beta1, beta2, epsilon);
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        for (NDArray p : this.parameters) {
            if (!p.hasGradient()) {
                throw new IllegalArgumentException("parameter " + p.getName() + " " + p.getShape()
                        + " does not require a gradient");
            }
            NDManager manager = p.getManager();
            m.add(manager.zeros(p.getShape(), p.getDataType()));
            v.add(manager.zeros(p.getShape(), p.getDataType()));
        }
    }

    /**
     * Checks the settings of an Adam: at least one parameter, learning rate > 0, betas in [0, 1), epsilon > 0.
     * {@link org.discrete4j.autograd.FusedAdam} takes the same settings and checks them here.
     */
    public static void checkSettings(List<NDArray> parameters, double learningRate, double beta1, double beta2,
            double epsilon) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("Adam needs at least one parameter");
        }
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs learning rate > 0, betas in [0, 1), epsilon > 0");
        }
    }

    /** Checks a new learning rate, here and in {@link org.discrete4j.autograd.FusedAdam}. */
    public static void checkLearningRate(double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
    }

    public void setLearningRate(double learningRate) {
        checkLearningRate(learningRate);
        this.learningRate = learningRate;
    }

    public double learningRate() {
        return learningRate;
    }

    public long steps() {
        return steps;
    }

    /** One update from the parameters' accumulated gradients, which are then reset to zero. */
    public void step() {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = Math.sqrt(1 - Math.pow(beta2, steps));
        float stepSize = (float) (learningRate / correction1);
        try (GradMode off = GradMode.disabled()) {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                try (NDManager scratch = p.getManager().newSubManager()) {
                    NDArray g = p.getGradient();
                    g.attach(scratch); // a fresh handle on p's manager: it must not go back there
                    if (!Float.isFinite(g.abs().max().getFloat())) {
                        throw new IllegalStateException("non-finite gradient for parameter " + p.getName() + " "
                                + p.getShape() + " at step " + steps);
                    }
                    NDArray mi = m.get(i);
                    NDArray vi = v.get(i);
                    mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                    vi.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                    // Results attach to their first operand's manager (p's): move them into the scratch one.
                    NDArray denominator = vi.sqrt();
                    denominator.attach(scratch);
                    denominator.divi((float) correction2).addi((float) epsilon);
                    NDArray update = mi.div(denominator);
                    update.attach(scratch);
                    p.subi(update.muli(stepSize));
                    Gradients.zero(p);
                }
            }
        }
    }

    /** The moments and step count under names starting with {@code prefix}. */
    public Map<String, NDArray> state(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            out.put(prefix + ".m." + i, m.get(i));
            out.put(prefix + ".v." + i, v.get(i));
        }
        out.put(prefix + ".steps", parameters.get(0).getManager().create(new long[] {steps}));
        return out;
    }

    /** Restores what {@link #state} saved. */
    public void load(Checkpoint checkpoint, String prefix) {
        for (int i = 0; i < parameters.size(); i++) {
            checkpoint.restore(prefix + ".m." + i, m.get(i));
            checkpoint.restore(prefix + ".v." + i, v.get(i));
        }
        steps = checkpoint.array(prefix + ".steps").getLong();
    }
}
