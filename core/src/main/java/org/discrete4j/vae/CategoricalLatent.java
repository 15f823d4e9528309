package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;

/**
 * Independent one-hot categorical variables of K classes with logits from the network and the uniform prior; a draw of
 * V variables enters the next network as V·K values.
 */
public final class CategoricalLatent implements Latent {

    private final int variables;
    private final int classes;

    public CategoricalLatent(int variables, int classes) {
        this.variables = Latent.checkUnits(variables);
        if (classes < 2) {
            throw new IllegalArgumentException("categorical variables need >= 2 classes, got " + classes);
        }
        this.classes = classes;
    }

    @Override
    public String name() {
        return "categorical";
    }

    @Override
    public int parameters() {
        return variables * classes;
    }

    @Override
    public int width() {
        return variables * classes;
    }

    @Override
    public Distribution posterior(NDArray output) {
        Shape s = output.getShape();
        return OneHotCategorical.ofLogits(output.reshape(s.slice(0, s.dimension() - 1).add(variables, classes)));
    }

    @Override
    public NDArray flatten(NDArray z) {
        Shape s = z.getShape();
        return z.reshape(s.slice(0, s.dimension() - 2).add(variables * classes));
    }

    /** {@code Σ_v Σ_k q_vk (log q_vk + log K)}: Jang et al.'s categorical KL to the uniform prior. */
    @Override
    public NDArray kl(Distribution q) {
        OneHotCategorical c = (OneHotCategorical) q;
        // probs() is a softmax, a fused kernel: cheaper than exp of the log-probabilities.
        return Latent.sumLast(c.probs().mul(c.logProbs().add((float) Math.log(classes))), 2);
    }

    @Override
    public Distribution prior(NDManager manager, Shape batch) {
        return OneHotCategorical.ofLogits(manager.zeros(batch.add(variables, classes)));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latent", name());
        m.put("variables", variables);
        m.put("classes", classes);
        m.put("prior", "uniform over the classes");
        return m;
    }
}
