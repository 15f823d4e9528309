package org.discrete4j.model;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The registry of example models that {@link EnergyModelContractTest} runs through the generic contract (deltas,
 * caches, gradients, parameter export). Adding a model means adding a line here.
 *
 * <p>Each example carries the model's differentiable extension, written independently of the model's code from its
 * defining formula: for K = 2 a function of x ∈ R^D, for K ≥ 3 a function of the one-hot encoding z ∈ R^{D·K}
 * (entry i·K + k). The gradient the model reports must be the gradient of this extension. {@code linearPerSite}
 * marks models whose log p̃ is linear in each site's encoding with the others fixed, where the gradient also gives
 * every single-site delta exactly.
 */
final class EnergyModelExamples {

    private EnergyModelExamples() {}

    record Example(String name, Supplier<EnergyModel> build, ToDoubleFunction<double[]> extension,
            boolean linearPerSite) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Example> all() {
        FactorizedBernoulli bern = FactorizedBernoulli.random(7, 1.5, 1);
        FactorizedCategorical cat = FactorizedCategorical.random(5, 4, 1.5, 2);
        IsingModel lattice = IsingModel.lattice(3, 0.4, -0.2);
        IsingModel er = IsingModel.erdosRenyi(12, 0.3, 0.8, 0.1, 3);
        Rbm rbm = Rbm.random(9, 5, 0.7, 1.0, 4);
        Rbm tiny = Rbm.random(1, 1, 2.0, 1.0, 5);
        FactorialHmm fhmm = FactorialHmm.random(6, 3, 5);
        return List.of(
                new Example("bernoulli 7", () -> bern, x -> bernoulli(bern, x), true),
                new Example("categorical 5x4", () -> cat, z -> categorical(cat, z), true),
                new Example("ising lattice 3x3", () -> lattice, x -> ising(lattice, x), true),
                new Example("ising ER 12", () -> er, x -> ising(er, x), true),
                new Example("rbm 9x5", () -> rbm, x -> rbm(rbm, x), false),
                new Example("rbm 1x1", () -> tiny, x -> rbm(tiny, x), false),
                new Example("fhmm T=6 K=3", () -> fhmm, x -> fhmm(fhmm, x), false));
    }

    static double bernoulli(FactorizedBernoulli m, double[] x) {
        double[] t = m.logits();
        double s = 0;
        for (int i = 0; i < t.length; i++) {
            s += t[i] * x[i];
        }
        return s;
    }

    static double categorical(FactorizedCategorical m, double[] z) {
        double[][] t = m.logits();
        int k = m.numValues();
        double s = 0;
        for (int i = 0; i < t.length; i++) {
            for (int v = 0; v < k; v++) {
                s += t[i][v] * z[i * k + v];
            }
        }
        return s;
    }

    /** Σ over the exported edges of J s_i s_j + Σ h_i s_i with s = 2x − 1. */
    static double ising(IsingModel m, double[] x) {
        Map<String, Object> p = m.parameters();
        int[][] edges = (int[][]) p.get("edges");
        double[] j = (double[]) p.get("couplings");
        double[] h = (double[]) p.get("fields");
        double s = 0;
        for (int e = 0; e < edges.length; e++) {
            s += j[e] * (2 * x[edges[e][0]] - 1) * (2 * x[edges[e][1]] - 1);
        }
        for (int i = 0; i < h.length; i++) {
            s += h[i] * (2 * x[i] - 1);
        }
        return s;
    }

    /** bᵀv + Σ_j log(1 + exp(c_j + W_j·v)). */
    static double rbm(Rbm m, double[] v) {
        double[][] w = m.weights();
        double[] b = m.visibleBias();
        double[] c = m.hiddenBias();
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            s += b[i] * v[i];
        }
        for (int j = 0; j < c.length; j++) {
            double a = c[j];
            for (int i = 0; i < b.length; i++) {
                a += w[j][i] * v[i];
            }
            s += Math.log(1 + Math.exp(a));
        }
        return s;
    }

    /**
     * log p(x) + log p(y | x) of the factorial HMM with the change indicator x(1 − x') + x'(1 − x) and the
     * Gaussian density written out; x time-major (site t·K + k).
     */
    static double fhmm(FactorialHmm m, double[] x) {
        int len = m.timeSteps();
        int k = m.hiddenChains();
        double[] w = m.weights();
        double[] y = m.observations();
        double sd = m.sigma();
        double rho = m.stay();
        double alpha = m.initial();
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += x[c] * Math.log(alpha) + (1 - x[c]) * Math.log(1 - alpha);
            for (int t = 1; t < len; t++) {
                double a = x[(t - 1) * k + c];
                double b = x[t * k + c];
                double change = a * (1 - b) + b * (1 - a);
                s += change * Math.log(1 - rho) + (1 - change) * Math.log(rho);
            }
        }
        for (int t = 0; t < len; t++) {
            double mu = m.bias();
            for (int c = 0; c < k; c++) {
                mu += w[c] * x[t * k + c];
            }
            double r = (y[t] - mu) / sd;
            s += -0.5 * r * r - Math.log(sd * Math.sqrt(2 * Math.PI));
        }
        return s;
    }
}
