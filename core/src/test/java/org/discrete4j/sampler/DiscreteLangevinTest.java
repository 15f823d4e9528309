package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.junit.jupiter.api.Test;

/** DMALA against exact enumeration; DULA against its predicted biased stationary distribution; DMALA's adaptation. */
class DiscreteLangevinTest {

    static final int CHAINS = GibbsWithGradientsTest.CHAINS;

    @Test
    void dmalaMatchesExactIsing() {
        ExactCheck.Result r = ExactCheck.check(GibbsWithGradientsTest.ISING, new Dmala(), CHAINS, 150, 21);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    @Test
    void dmalaLeavesStronglyCoupledIsingInvariant() {
        ExactCheck.Result r = GibbsWithGradientsTest.fromExact(GibbsWithGradientsTest.STRONG, new Dmala(), 50, 22);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    /**
     * Categorical sites pay 1/α per change (one-hot distance 2), so α = 1 here moves about as often as α = 0.5 does
     * on binary sites.
     */
    @Test
    void dmalaMatchesExactCategorical() {
        ExactCheck.Result r = ExactCheck.check(GibbsWithGradientsTest.CATEGORICAL, new Dmala(1.0), CHAINS, 60, 23);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    /**
     * DULA's stationary distribution on a log-quadratic target, from the reversibility argument in {@link Dula}:
     * π_α(x) ∝ p̃(x) Π_i Σ_k exp(½ d_ik(x) − penalty·[k ≠ x_i]), with penalty 1/(2α) for binary and 1/α for one-hot
     * sites.
     */
    static double[] dulaStationary(EnergyModel m, double alpha) {
        int d = m.dim();
        int k = m.numValues();
        double[] p = Enumeration.of(m).probabilities();
        int[] x = new int[d];
        double[] lp = new double[1];
        float[] g = new float[d * k];
        double penalty = k == 2 ? 0.5 / alpha : 1 / alpha;
        double[] w = new double[p.length];
        double total = 0;
        for (int s = 0; s < p.length; s++) {
            Enumeration.decode(s, d, k, x, 0);
            m.logProbAndGradient(x, 1, lp, g);
            double logZ = 0;
            for (int i = 0; i < d; i++) {
                double z = 0;
                for (int v = 0; v < k; v++) {
                    z += v == x[i] ? 1 : Math.exp(0.5 * (g[i * k + v] - g[i * k + x[i]]) - penalty);
                }
                logZ += Math.log(z);
            }
            w[s] = p[s] * Math.exp(logZ);
            total += w[s];
        }
        for (int s = 0; s < w.length; s++) {
            w[s] /= total;
        }
        return w;
    }

    static double tv(double[] a, double[] b) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += Math.abs(a[i] - b[i]);
        }
        return t / 2;
    }

    /**
     * The paper's claim, precisely: zero bias only in the limit α → 0 on log-quadratic targets. The exact TV between
     * DULA's stationary distribution and the target on Ising 3×3 (J = 0.3, h = 0.1) is ≈ 1e-4 at α = 0.05, 0.008 at
     * 0.1, 0.09 at 0.2 and 0.43 at α = 1; and a run at α = 1 lands on π_α, not on π.
     */
    @Test
    void dulaIsBiasedAsPredictedOnIsing() {
        EnergyModel m = GibbsWithGradientsTest.ISING;
        double[] p = Enumeration.of(m).probabilities();
        double previous = 0;
        for (double alpha : new double[] {0.05, 0.1, 0.2, 0.5, 1}) {
            double bias = tv(dulaStationary(m, alpha), p);
            assertThat(bias).as("bias grows with alpha").isGreaterThan(previous);
            previous = bias;
        }
        assertThat(tv(dulaStationary(m, 0.05), p)).isLessThan(1e-3);
        int[] x = ExactCheck.finalStates(m, new Dula(1.0), CHAINS, 100, 24);
        ExactCheck.Result predicted = ExactCheck.tv(x, CHAINS, m.dim(), 2, dulaStationary(m, 1.0));
        ExactCheck.Result target = ExactCheck.tv(x, CHAINS, m.dim(), 2, p);
        assertThat(predicted.passes()).as("against pi_alpha: " + predicted).isTrue();
        assertThat(target.passes()).as("against pi: " + target).isFalse();
    }

    /** The same on the categorical model, a log-quadratic target in the one-hot encoding. */
    @Test
    void dulaIsBiasedAsPredictedOnCategorical() {
        EnergyModel m = GibbsWithGradientsTest.CATEGORICAL;
        int[] x = ExactCheck.finalStates(m, new Dula(1.0), CHAINS, 60, 25);
        ExactCheck.Result predicted = ExactCheck.tv(x, CHAINS, m.dim(), 3, dulaStationary(m, 1.0));
        ExactCheck.Result target = ExactCheck.tv(x, CHAINS, m.dim(), 3, Enumeration.of(m).probabilities());
        assertThat(predicted.passes()).as("against pi_alpha: " + predicted).isTrue();
        assertThat(target.passes()).as("against pi: " + target).isFalse();
    }

    /**
     * Even a factorised (log-linear) target is biased at fixed α: a site with log-odds b flips 0→1 with probability
     * σ(b/2 − c) and 1→0 with σ(−b/2 − c), c = 1/(2α), so DULA's odds are e^b (1 + e^{−b/2−c}) / (1 + e^{b/2−c}),
     * not e^b. Each marginal frequency over N chains has standard error ≤ 1/(2√N) = 0.0025; the test asks for
     * agreement with DULA's odds within 4.5 standard errors and a miss of the target's by more than 10.
     */
    @Test
    void dulaIsBiasedOnAFactorisedTarget() {
        double[] h = {1.0, -0.5, 0.25, 2.0};
        EnergyModel m = IsingModel.of(new double[4][4], h); // log p̃ = Σ h_i s_i: log-odds b_i = 2 h_i
        double alpha = 1.0;
        double c = 0.5 / alpha;
        int[] x = ExactCheck.finalStates(m, new Dula(alpha), CHAINS, 30, 26);
        double se = 0.5 / Math.sqrt(CHAINS);
        for (int i = 0; i < 4; i++) {
            double b = 2 * h[i];
            double odds = Math.exp(b) * (1 + Math.exp(-b / 2 - c)) / (1 + Math.exp(b / 2 - c));
            double predicted = odds / (1 + odds);
            double exact = 1 / (1 + Math.exp(-b));
            double freq = 0;
            for (int k = 0; k < CHAINS; k++) {
                freq += x[k * 4 + i];
            }
            freq /= CHAINS;
            assertThat(Math.abs(freq - predicted)).as("site " + i + " vs DULA's odds").isLessThan(4.5 * se);
            assertThat(Math.abs(freq - exact)).as("site " + i + " vs the target").isGreaterThan(10 * se);
        }
    }

    /** α moves only while adapting, reaches acceptance ≈ 0.574, and stays fixed afterwards. */
    @Test
    void dmalaAdaptsOnlyDuringBurnIn() {
        EnergyModel m = IsingModel.lattice(10, 0.3, 0.1);
        ChainState s = ChainState.uniform(m, 100, 27);
        Dmala k = new Dmala(0.05);
        k.init(s);
        for (int t = 0; t < 50; t++) {
            k.step(s);
        }
        assertThat(k.stepSize()).as("not adapting by default").isEqualTo(0.05);
        k.setAdapting(true);
        for (int t = 0; t < 600; t++) {
            k.step(s);
        }
        k.setAdapting(false);
        double tuned = k.stepSize();
        assertThat(tuned).isNotEqualTo(0.05);
        double acceptance = 0;
        int steps = 300;
        for (int t = 0; t < steps; t++) {
            acceptance += k.step(s).acceptance();
        }
        acceptance /= steps;
        assertThat(k.stepSize()).as("frozen after burn-in").isEqualTo(tuned);
        // 300 steps × 100 chains of 0/1 decisions: the mean's standard error is well under 0.01 even with strong
        // autocorrelation; 0.05 leaves room for the residual error of the stochastic approximation.
        assertThat(acceptance).as("acceptance at alpha = " + tuned).isBetween(0.524, 0.624);
    }
}
