package org.discrete4j.estimator;

import java.util.List;
import java.util.Locale;

/** Every estimator by its command-line name: one line each. */
public final class Estimators {

    /**
     * Settings common to the estimators.
     *
     * @param tau temperature of relaxed estimators
     * @param k draws per estimate for multi-sample estimators (RLOO, VIMCO, Gumbel-Rao), and for the others the
     *     number of draws averaged in one estimate is 1
     */
    public record Options(double tau, int k) {
        public Options {
            org.discrete4j.distribution.Checks.temperature(tau);
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
        }

        public static Options defaults() {
            return new Options(1.0, 4);
        }
    }

    /** The names used on the command line and in results, in the order results are reported. */
    public static final List<String> NAMES = List.of("exact", "reinforce", "reinforce-ma", "reinforce-batch", "rloo", "nvil", "vimco",
            "muprop", "st", "gumbel-softmax", "st-gumbel-softmax", "arm", "disarm", "gumbel-rao", "reinmax", "rebar",
            "relax", "gengs", "vq-st");

    private Estimators() {}

    /**
     * A new estimator (with fresh state) by name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static GradientEstimator create(String name, Options o) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "exact":
                return new Exact();
            case "reinforce":
                return new ScoreFunction(1);
            case "reinforce-ma":
                return new ScoreFunction(ScoreFunction.Baseline.MOVING_AVERAGE, 1);
            case "reinforce-batch":
                return new ScoreFunction(ScoreFunction.Baseline.BATCH_AVERAGE, o.k());
            case "rloo":
                return new ScoreFunction(ScoreFunction.Baseline.LEAVE_ONE_OUT, o.k());
            case "nvil":
                return new Nvil();
            case "vimco":
                throw new IllegalArgumentException("vimco estimates the gradient of the multi-sample objective "
                        + "E[log (1/K) sum_k exp l(z_k)], not of E[f]; create it with Estimators.createMultiSample");
            case "muprop":
                return new MuProp();
            case "arm":
                return new Arm(1);
            case "disarm":
                return new DisArm(1);
            case "st":
                return new StraightThrough(o.tau());
            case "gumbel-softmax":
                return new GumbelSoftmax(o.tau());
            case "st-gumbel-softmax":
                return new StraightThroughGumbelSoftmax(o.tau());
            case "gumbel-rao":
                return new GumbelRao(o.tau(), o.k());
            case "reinmax":
                return new ReinMax(o.tau());
            case "gengs":
                return new GenGS(o.tau());
            case "rebar":
                return new Rebar();
            case "relax":
                return new Relax();
            case "vq-st":
                throw new IllegalArgumentException("vq-st (vector quantisation with a straight-through gradient, "
                        + "org.discrete4j.quantize.VectorQuantizer) is a deterministic nearest-codebook layer, not an "
                        + "estimator of the gradient of E[f] for a distribution q");
            default:
                throw new IllegalArgumentException("unknown estimator '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }

    /**
     * A multi-sample-objective estimator by name ({@code vimco}); it takes K at each call.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static MultiSampleEstimator createMultiSample(String name) {
        if ("vimco".equals(name.toLowerCase(Locale.ROOT))) {
            return new Vimco();
        }
        throw new IllegalArgumentException("unknown multi-sample estimator '" + name + "'; known: vimco");
    }
}
