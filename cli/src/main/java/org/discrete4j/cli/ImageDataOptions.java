package org.discrete4j.cli;

import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The binary-image data options of the commands that train an energy model ({@code d4j train-rbm},
 * {@code d4j ebm}). Each command keeps its own --data-seed, whose help says how that command uses it.
 */
public final class ImageDataOptions {

    @Option(names = "--data", paramLabel = "SET",
            description = "mnist-10k, fashion-mnist or a folder of IDX files (default: ${DEFAULT-VALUE}).")
    String data = Datasets.MNIST_10K;

    @Option(names = "--binarization", paramLabel = "B",
            description = "static, dynamic or threshold (default: ${DEFAULT-VALUE}).")
    String binarization = "static";

    /** One split of --data, whole; a usage error if it cannot be read. */
    ImageSet load(CommandLine cl, Datasets.Split split) {
        return TrainingOptions.load(cl, data, split, 0);
    }
}
