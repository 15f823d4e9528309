package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.discrete4j.estimator.GradientEstimator;

/** A model that {@link Trainer} fits to images by minibatch gradient descent through gradient estimators. */
public interface Trainable {

    /**
     * The scalar to minimise for a batch of images of shape {@code (B, pixels)}: its value is the batch mean of the
     * model's loss and its gradient the estimate, one estimator per stochastic layer (in order).
     */
    NDArray loss(NDArray images, List<GradientEstimator> estimators);

    /** How many estimators {@link #loss} takes. */
    int stochasticLayers();

    /** The parameters by name, in a fixed order, for the optimiser and checkpoints. */
    Map<String, NDArray> parameters();

    /** The architecture for a results file. */
    Map<String, Object> describe();
}
