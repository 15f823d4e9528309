package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.autograd.HigherOrder;
import org.discrete4j.distribution.Distribution;

/**
 * The estimator that REBAR and RELAX share: RELAX for discrete variables (Grathwohl, Choi, Wu, Roeder and Duvenaud,
 * "Backpropagation through the Void", ICLR 2018, Algorithm 2), which with c = η f(σ_λ(·)) is the REBAR estimator
 * (Tucker, Mnih, Maddison, Lawson and Sohl-Dickstein, NeurIPS 2017, §3):
 *
 * <pre>
 *   ĝ = [f(b) − c(z̃)] ∇_θ log q(b) + ∇_θ c(z) − ∇_θ c(z̃),   b = H(z), z̃ ~ p(z | b)
 * </pre>
 *
 * <p>unbiased for any control variate c, because E[∇_θ c(z)] = E[∇_θ c(z̃)] + E[c(z̃) ∇_θ log q(b)] (both sides are
 * ∇_θ E[c(z)]). The parameters ψ of c are trained to minimise the variance: ∂/∂ψ E[ĝ²] = E[2 ĝ ∂ĝ/∂ψ] (E[ĝ] does not
 * depend on ψ), and since ĝ contains the gradient ∇_θ c, this needs second derivatives ({@link HigherOrder}).
 *
 * <p>Each call draws once, computes ĝ with the current ψ, then takes one Adam step on ψ, so ψ never depends on the
 * draw it is used with and the estimate stays unbiased. ψ lives in Java arrays and enters each call as fresh leaf
 * arrays in q's manager, so nothing of it outlives the call and the caller's collector never sees it. ĝ is computed
 * with respect to a fresh leaf copy of q's logits and reaches the real logits through {@link Surrogates#inject};
 * f's parameters get the gradient of f(b) only.
 */
abstract class LearnedControlVariate implements GradientEstimator, Stateful {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;

    private final double learningRate;
    private double[][] parameters;
    private long[][] shapes;
    private double[][] adamM;
    private double[][] adamV;
    private long steps;

    LearnedControlVariate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public boolean unbiased() {
        return true;
    }

    @Override
    public boolean supports(Distribution q) {
        return ConditionalRelaxation.of(q) != null;
    }

    /**
     * The initial values of ψ, given the number of inputs per cost element (the trailing batch and event elements
     * that one cost element reduces over); called once, on the first estimate.
     *
     * @param shapes receives each parameter's shape
     */
    abstract double[][] initialParameters(int width, long[][] shapes, NDManager manager);

    /** How many parameters {@link #initialParameters} returns. */
    abstract int parameterCount();

    /**
     * c(z) for continuous z of shape {@code (n) + batch + event}, shape {@code (n) + costShape}.
     *
     * @param psi the parameters, as leaves of the current call
     */
    abstract NDArray controlVariate(NDArray z, NDArray[] psi, ConditionalRelaxation relaxation, Cost f,
            Shape costShape);

    /** A copy of the current values of parameter i (flattened), for inspection. */
    double[] parameter(int i) {
        if (parameters == null) {
            throw new IllegalStateException(name() + " has not been used yet");
        }
        return parameters[i].clone();
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        ConditionalRelaxation relaxation = ConditionalRelaxation.of(q);
        if (relaxation == null) {
            throw new IllegalArgumentException(name() + " needs a Bernoulli or OneHotCategorical distribution, got "
                    + q.getClass().getSimpleName());
        }
        NDArray logits = relaxation.logits();
        NDManager manager = logits.getManager();
        try (GradMode recording = GradMode.enabled()) {
            NDArray theta = logits.stopGradient().duplicate();
            theta.setRequiresGradient(true);
            ConditionalRelaxation.Draw draw = relaxation.draw(theta, 1);
            NDArray cost = Surrogates.checkCost(f.apply(draw.b()), 1, q);
            Shape costShape = cost.getShape().slice(1);
            long perCost = Math.max(1, costShape.size());
            int width = Math.toIntExact(draw.z().getShape().size() / perCost);
            NDArray[] psi = leaves(width, manager, theta.getDataType());

            NDArray cz = controlVariate(draw.z(), psi, relaxation, f, costShape);
            NDArray czTilde = controlVariate(draw.zTilde(), psi, relaxation, f, costShape);
            int rank = draw.score().getShape().dimension();
            NDArray signal = Surrogates.expandTo(cost.stopGradient().sub(czTilde), rank);
            NDArray scoreTerm = signal.mul(draw.score()).mean(new int[] {0});
            NDArray reparameterised = HigherOrder.grad(cz.sub(czTilde).mean(new int[] {0}).sum(), true, theta)[0];
            NDArray estimate = scoreTerm.add(reparameterised);

            train(HigherOrder.grad(estimate.square().sum(), false, psi));
            NDArray surrogate = cost.mean(new int[] {0}).sum().add(Surrogates.inject(estimate, logits));
            return new Estimate(surrogate, cost.stopGradient());
        }
    }

    private NDArray[] leaves(int width, NDManager manager, DataType dtype) {
        if (parameters == null) {
            shapes = new long[parameterCount()][];
            parameters = initialParameters(width, shapes, manager);
            adamM = new double[parameters.length][];
            adamV = new double[parameters.length][];
            for (int i = 0; i < parameters.length; i++) {
                adamM[i] = new double[parameters[i].length];
                adamV[i] = new double[parameters[i].length];
            }
        }
        NDArray[] psi = new NDArray[parameters.length];
        for (int i = 0; i < psi.length; i++) {
            psi[i] = manager.create(parameters[i], new Shape(shapes[i])).toType(dtype, false);
            psi[i].setRequiresGradient(true);
        }
        return psi;
    }

    /** One Adam step (Kingma and Ba, ICLR 2015, Algorithm 1) on ψ, from the gradient of Σ ĝ². */
    private void train(NDArray[] gradients) {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (int i = 0; i < parameters.length; i++) {
            double[] g = gradients[i].toType(DataType.FLOAT64, false).toDoubleArray();
            double[] p = parameters[i];
            for (int j = 0; j < p.length; j++) {
                if (!Double.isFinite(g[j])) {
                    continue; // a non-finite variance gradient (overflowing f) must not poison ψ
                }
                adamM[i][j] = BETA1 * adamM[i][j] + (1 - BETA1) * g[j];
                adamV[i][j] = BETA2 * adamV[i][j] + (1 - BETA2) * g[j] * g[j];
                p[j] -= learningRate * (adamM[i][j] / correction1) / (Math.sqrt(adamV[i][j] / correction2) + ADAM_EPS);
            }
        }
    }

    /** The control variate's parameters ψ, their shapes and their Adam moments. */
    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        if (parameters != null) {
            s.put("steps", steps);
            for (int i = 0; i < parameters.length; i++) {
                s.put("shape." + i, shapes[i].clone());
                s.put("psi." + i, parameters[i].clone());
                s.put("adamM." + i, adamM[i].clone());
                s.put("adamV." + i, adamV[i].clone());
            }
        }
        return s;
    }

    @Override
    public void restore(Map<String, Object> state) {
        if (!state.containsKey("steps")) {
            parameters = null;
            shapes = null;
            adamM = null;
            adamV = null;
            steps = 0;
            return;
        }
        int count = parameterCount();
        steps = (Long) state.get("steps");
        parameters = new double[count][];
        shapes = new long[count][];
        adamM = new double[count][];
        adamV = new double[count][];
        for (int i = 0; i < count; i++) {
            shapes[i] = ((long[]) state.get("shape." + i)).clone();
            parameters[i] = ((double[]) state.get("psi." + i)).clone();
            adamM[i] = ((double[]) state.get("adamM." + i)).clone();
            adamV[i] = ((double[]) state.get("adamV." + i)).clone();
        }
    }
}
