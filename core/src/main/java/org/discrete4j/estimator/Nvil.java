package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Categorical;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;

/**
 * NVIL (Mnih and Gregor, "Neural variational inference and learning in belief networks", ICML 2014, §3.1–3.2 and
 * Algorithm 1): the score-function estimator with
 *
 * <ul>
 *   <li>a moving-average baseline c of the cost,
 *   <li>an input-dependent baseline C(x): a one-hidden-layer network on the detached logits of q, which are a
 *       function of the input x, fitted to {@code f − c} by least squares,
 *   <li>variance normalisation: the centred signal {@code f − c − C(x)} is divided by {@code max(1, s)}, s a running
 *       estimate of its standard deviation.
 * </ul>
 *
 * <p>Unlike Algorithm 1, which updates c and s with the current minibatch before using them, every part of the
 * baseline here is updated after use, so it never depends on the current draws: the expected estimate is
 * {@code ∇E[f] / max(1, s)}, the gradient itself whenever s ≤ 1, and otherwise the gradient shrunk by a positive
 * factor fixed before the draw (the paper's intent: an adaptive step size for q, not a change of direction). Only
 * q's gradient is normalised; f's parameters get the plain {@code mean ∇f(z)}.
 *
 * <p>The network's parameters are plain Java arrays, trained here by Adam on the squared residual with the gradient
 * written out by hand: they are never NDArrays, so the caller's gradient collector cannot see them and the
 * surrogate's gradient reaches only q's and f's parameters. The network's input size is fixed by the first call.
 */
public final class Nvil implements GradientEstimator, Stateful {

    /** Decay of the running mean c and the running variance s² (about the last 10 calls). */
    static final double DECAY = 0.9;
    private static final int HIDDEN = 16;
    private static final double LEARNING_RATE = 0.01;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;

    private final boolean normalise;
    private double mean = Double.NaN;
    private double variance = 0;
    /** C(x) = w2 · tanh(W1 x + b1) + b2, with W1 stored row-major (HIDDEN × inputs). */
    private double[] params;
    private double[] adamM;
    private double[] adamV;
    private int inputs = -1;
    private long steps;

    /** NVIL as in the paper, with variance normalisation. */
    public Nvil() {
        this(true);
    }

    /**
     * @param normalise whether to divide the learning signal by max(1, s); without it the estimator is unbiased,
     *     with it the estimate is the gradient shrunk by a positive factor fixed before the draw
     */
    public Nvil(boolean normalise) {
        this.normalise = normalise;
    }

    @Override
    public String name() {
        return "nvil";
    }

    /** Unbiased in scale only without variance normalisation (with it, unbiased in direction). */
    @Override
    public boolean unbiased() {
        return !normalise;
    }

    @Override
    public boolean supports(Distribution q) {
        return q instanceof Bernoulli || q instanceof Categorical || q instanceof OneHotCategorical;
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        if (!supports(q)) {
            throw new IllegalArgumentException("nvil needs the logits of q (Bernoulli, Categorical or "
                    + "OneHotCategorical) as the input of its baseline network, got " + q.getClass().getSimpleName());
        }
        NDArray z = q.sample(new Shape(1));
        NDArray cost = Surrogates.checkCost(f.apply(z), 1, q);
        NDArray logq = Surrogates.sumTo(q.logProb(z), cost);
        NDArray c = cost.stopGradient();
        Shape costShape = c.getShape().slice(1);
        int m = Math.toIntExact(costShape.size());

        // One row of features per cost element: the logits of everything that element's cost reduces over.
        NDArray logits = logits(q).stopGradient();
        long width = logits.size() / Math.max(m, 1);
        double[] x = logits.reshape(m, width).toType(DataType.FLOAT64, false).toDoubleArray();
        initialise(Math.toIntExact(width), logits);
        double[] hidden = new double[m * HIDDEN];
        double[] predicted = forward(x, m, hidden);
        double[] cost64 = c.toType(DataType.FLOAT64, false).toDoubleArray();

        double centre = Double.isNaN(mean) ? 0 : mean;
        double scale = normalise ? Math.max(1, Math.sqrt(variance)) : 1;
        double[] signal = new double[m];
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < m; i++) {
            double r = cost64[i] - predicted[i];
            signal[i] = (r - centre) / scale;
            sum += r;
            sumSq += (r - centre) * (r - centre);
        }
        NDArray signalArray = c.getManager().create(signal, costShape).toType(c.getDataType(), false)
                .expandDims(0);
        NDArray surrogate = cost.add(Surrogates.score(signalArray, logq)).mean(new int[] {0}).sum();

        // Updated after use: the next call's baseline sees these draws, this call's did not.
        train(x, m, hidden, predicted, cost64, centre);
        if (Double.isNaN(mean)) {
            // No history yet (this call was centred at 0): start from this batch's own mean and variance.
            mean = sum / m;
            variance = Math.max(0, sumSq / m - mean * mean);
        } else {
            mean = DECAY * mean + (1 - DECAY) * sum / m;
            variance = DECAY * variance + (1 - DECAY) * sumSq / m;
        }
        return new Estimate(surrogate, c);
    }

    private static NDArray logits(Distribution q) {
        if (q instanceof Bernoulli) {
            return ((Bernoulli) q).logits();
        }
        if (q instanceof OneHotCategorical) {
            return ((OneHotCategorical) q).logits();
        }
        return ((Categorical) q).logits();
    }

    /** Draws W1 ~ N(0, 1/inputs) from the engine's generator on first use; b1, w2 and b2 start at zero. */
    private void initialise(int width, NDArray like) {
        if (params != null) {
            if (width != inputs) {
                throw new IllegalArgumentException("nvil's baseline network was built for " + inputs
                        + " logits per cost element, got " + width + "; use a new estimator for a new model");
            }
            return;
        }
        inputs = width;
        params = new double[HIDDEN * inputs + 2 * HIDDEN + 1];
        double[] w1 = like.getManager().randomNormal(0f, (float) (1 / Math.sqrt(inputs)), new Shape(HIDDEN * inputs),
                DataType.FLOAT64).toDoubleArray();
        System.arraycopy(w1, 0, params, 0, w1.length);
        adamM = new double[params.length];
        adamV = new double[params.length];
    }

    /** C(x) for m rows of x; fills {@code hidden} with the tanh activations for the backward pass. */
    private double[] forward(double[] x, int m, double[] hidden) {
        int b1 = HIDDEN * inputs;
        int w2 = b1 + HIDDEN;
        int b2 = w2 + HIDDEN;
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            double o = params[b2];
            for (int h = 0; h < HIDDEN; h++) {
                double a = params[b1 + h];
                for (int j = 0; j < inputs; j++) {
                    a += params[h * inputs + j] * x[i * inputs + j];
                }
                hidden[i * HIDDEN + h] = Math.tanh(a);
                o += params[w2 + h] * hidden[i * HIDDEN + h];
            }
            out[i] = o;
        }
        return out;
    }

    /** One Adam step on ½·mean_i (C(x_i) − (f_i − c))², backpropagated by hand through the tanh layer. */
    private void train(double[] x, int m, double[] hidden, double[] predicted, double[] cost, double centre) {
        int b1 = HIDDEN * inputs;
        int w2 = b1 + HIDDEN;
        int b2 = w2 + HIDDEN;
        double[] grad = new double[params.length];
        for (int i = 0; i < m; i++) {
            double e = (predicted[i] - (cost[i] - centre)) / m;
            grad[b2] += e;
            for (int h = 0; h < HIDDEN; h++) {
                double t = hidden[i * HIDDEN + h];
                grad[w2 + h] += e * t;
                double da = e * params[w2 + h] * (1 - t * t);
                grad[b1 + h] += da;
                for (int j = 0; j < inputs; j++) {
                    grad[h * inputs + j] += da * x[i * inputs + j];
                }
            }
        }
        steps++;
        double c1 = 1 - Math.pow(BETA1, steps);
        double c2 = 1 - Math.pow(BETA2, steps);
        for (int p = 0; p < params.length; p++) {
            adamM[p] = BETA1 * adamM[p] + (1 - BETA1) * grad[p];
            adamV[p] = BETA2 * adamV[p] + (1 - BETA2) * grad[p] * grad[p];
            params[p] -= LEARNING_RATE * (adamM[p] / c1) / (Math.sqrt(adamV[p] / c2) + ADAM_EPS);
        }
    }

    /** The running mean and variance, the baseline network and its Adam moments. */
    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        if (!Double.isNaN(mean)) {
            s.put("mean", mean);
            s.put("variance", variance);
        }
        if (params != null) {
            s.put("inputs", (long) inputs);
            s.put("steps", steps);
            s.put("params", params.clone());
            s.put("adamM", adamM.clone());
            s.put("adamV", adamV.clone());
        }
        return s;
    }

    @Override
    public void restore(Map<String, Object> state) {
        mean = state.containsKey("mean") ? (Double) state.get("mean") : Double.NaN;
        variance = state.containsKey("variance") ? (Double) state.get("variance") : 0;
        if (state.containsKey("params")) {
            inputs = Math.toIntExact((Long) state.get("inputs"));
            steps = (Long) state.get("steps");
            params = ((double[]) state.get("params")).clone();
            adamM = ((double[]) state.get("adamM")).clone();
            adamV = ((double[]) state.get("adamV")).clone();
        } else {
            inputs = -1;
            steps = 0;
            params = null;
            adamM = null;
            adamV = null;
        }
    }
}
