package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * RELAX (Grathwohl, Choi, Wu, Roeder and Duvenaud, "Backpropagation through the Void: Optimizing control variates
 * for black-box gradient estimation", ICLR 2018, Algorithm 2): the control variate is a learned network
 * c_φ, so
 *
 * <pre>
 *   ĝ = [f(b) − c_φ(z̃)] ∇_θ log q(b) + ∇_θ c_φ(z) − ∇_θ c_φ(z̃)
 * </pre>
 *
 * <p>with φ trained by Adam on the variance of ĝ. f is only evaluated at the draw b, so it can be a black box.
 *
 * <p>c_φ is a network with one hidden layer of logistic units, applied for each cost element to σ(z) (softmax over
 * the classes for a categorical) of everything that cost element reduces over: σ keeps the inputs bounded for
 * extreme logits. Its output layer starts at zero, so RELAX starts as REINFORCE and improves as φ learns. With
 * {@code concrete} it adds REBAR's term, {@code c(z) = η f(σ(z / λ)) + c_φ(z)} (the paper's choice for its discrete
 * experiments, f(σ_λ(z)) + r_ρ(z), with REBAR's scale η), and f must then be differentiable at relaxed values.
 */
public final class Relax extends LearnedControlVariate {

    private final int hidden;
    private final boolean concrete;

    /** Black-box RELAX: 32 hidden units, Adam's step size 0.01. */
    public Relax() {
        this(32, 0.01, false);
    }

    /**
     * @param hidden hidden units of c_φ
     * @param learningRate Adam's step size for φ (and η, log λ)
     * @param concrete whether to add REBAR's η f(σ(z / λ)) to c_φ
     */
    public Relax(int hidden, double learningRate, boolean concrete) {
        super(learningRate);
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden units must be >= 1, got " + hidden);
        }
        this.hidden = hidden;
        this.concrete = concrete;
    }

    @Override
    public String name() {
        return "relax";
    }

    @Override
    int parameterCount() {
        return concrete ? 6 : 4;
    }

    /** W1 ~ N(0, 1/width) from the engine's generator; b1, w2, b2 start at zero, η at 1 and λ at 0.5. */
    @Override
    double[][] initialParameters(int width, long[][] shapes, NDManager manager) {
        double[][] p = new double[parameterCount()][];
        shapes[0] = new long[] {width, hidden};
        p[0] = manager.randomNormal(0f, (float) (1 / Math.sqrt(width)), new Shape(width, hidden), DataType.FLOAT64)
                .toDoubleArray();
        shapes[1] = new long[] {hidden};
        p[1] = new double[hidden];
        shapes[2] = new long[] {hidden};
        p[2] = new double[hidden];
        shapes[3] = new long[0];
        p[3] = new double[1];
        if (concrete) {
            shapes[4] = new long[0];
            p[4] = new double[] {Rebar.INITIAL_ETA};
            shapes[5] = new long[0];
            p[5] = new double[] {Math.log(Rebar.INITIAL_TEMPERATURE)};
        }
        return p;
    }

    @Override
    NDArray controlVariate(NDArray z, NDArray[] psi, ConditionalRelaxation relaxation, Cost f, Shape costShape) {
        long n = z.getShape().get(0);
        Shape outShape = new Shape(n).addAll(costShape);
        int width = Math.toIntExact(psi[0].getShape().get(0));
        long rows = outShape.size();
        if (z.getShape().size() != rows * width) {
            throw new IllegalArgumentException("relax's network was built for " + width + " inputs per cost element, "
                    + "got " + z.getShape().size() / rows + "; use a new estimator for a new model");
        }
        NDArray one = z.getManager().create(1f).toType(z.getDataType(), false);
        NDArray x = relaxation.relax(z, one).reshape(rows, width);
        NDArray h = x.matMul(psi[0]).add(psi[1]).getNDArrayInternal().sigmoid();
        NDArray c = h.matMul(psi[2].reshape(hidden, 1)).reshape(outShape).add(psi[3]);
        if (concrete) {
            c = c.add(Rebar.concrete(z, psi[4], psi[5], relaxation, f, costShape));
        }
        return c;
    }
}
