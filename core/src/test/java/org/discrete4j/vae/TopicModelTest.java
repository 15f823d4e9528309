package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.discrete4j.estimator.GenGS;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.estimator.ScoreFunction;
import org.discrete4j.train.Adam;
import org.junit.jupiter.api.Test;

class TopicModelTest {

    static final SyntheticCorpus.Settings SMALL = new SyntheticCorpus.Settings(3, 30, 8, 0.01, 0.5, 0.05, 20, 40);

    @Test
    void trainingStepsKeepGradientsFiniteAndMemoryFlat() {
        SyntheticCorpus.Truth truth = SyntheticCorpus.truth(SMALL, 1);
        Corpus corpus = SyntheticCorpus.sample(truth, 64, 2).corpus();
        for (GradientEstimator estimator : List.of(new GenGS(0.5),
                new ScoreFunction(ScoreFunction.Baseline.LEAVE_ONE_OUT, 4))) {
            Engine.getInstance().setRandomSeed(4);
            try (NDManager manager = NDManager.newBaseManager()) {
                TopicModel model = new TopicModel(manager, new TopicModel.Architecture(30, 3, 16, 0.5, 0.05), null);
                Adam adam = new Adam(model.parameters(), 0.01);
                long arrays = -1;
                for (int step = 0; step < 30; step++) {
                    int[] docs = new int[16];
                    for (int i = 0; i < 16; i++) {
                        docs[i] = (step * 16 + i) % 64;
                    }
                    try (NDManager s = manager.newSubManager();
                            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = model.loss(corpus.dense(s, docs), estimator);
                        assertThat(Float.isFinite(loss.getFloat())).isTrue();
                        gc.backward(loss);
                    }
                    adam.step(); // throws on a non-finite gradient
                    if (step == 5) {
                        arrays = manager.getManagedArrays().size();
                    }
                }
                // Parameters, Adam's moments and nothing else: per-step arrays live and die in the step's manager.
                assertThat((long) manager.getManagedArrays().size()).as(estimator.name()).isEqualTo(arrays);
            }
        }
    }
}
