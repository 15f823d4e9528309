import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.estimator.Estimate;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;

public class QuickStart {
    public static void main(String[] args) {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {0.5f, -1f, 2f});
            logits.setRequiresGradient(true);
            GradientEstimator reinforce = Estimators.create("reinforce", Estimators.Options.defaults());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // f(z) = Σ_i (z_i − 0.45)², for a batch of draws z of shape (n, 3)
                Estimate e = reinforce.estimate(Bernoulli.ofLogits(logits),
                        z -> z.sub(0.45).square().sum(new int[] {1}));
                gc.backward(e.surrogate());
            }
            System.out.println(logits.getGradient());
        }
    }
}
