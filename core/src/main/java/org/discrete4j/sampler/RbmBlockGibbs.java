package org.discrete4j.sampler;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Rbm;

/**
 * Block Gibbs sampling of an RBM through its hidden layer (Hinton 2002): h ~ Bern(σ(c + Wv)), then
 * v ~ Bern(σ(b + Wᵀh)), for every chain. Both conditionals factorise, so the pair is an exact Gibbs step on the
 * joint p(v, h) whose v-marginal is the model; it is the ground-truth sampler of the RBM experiments of Grathwohl et
 * al. 2021 and DISCS.
 *
 * <p>Each step computes a = c + Wv of the new v for log p̃ and keeps it for the next step's hidden draw, so a step
 * costs two matrix–vector products per chain (counted as one energy evaluation: the log p̃ it refreshes). If the
 * states changed behind the kernel's back, a is recomputed for those chains.
 */
public final class RbmBlockGibbs implements Kernel {

    private ChainState bound;
    private Rbm rbm;
    private double[] a; // chains × H, a = c + Wv of lastX
    private int[] lastX; // the states a describes
    private int[] h;
    private double[] u;

    @Override
    public String name() {
        return "rbm-gibbs";
    }

    @Override
    public boolean appliesTo(EnergyModel model) {
        return model instanceof Rbm;
    }

    @Override
    public void init(ChainState state) {
        if (!(state.model() instanceof Rbm)) {
            throw new IllegalArgumentException("rbm-gibbs samples only an Rbm, got " + state.model());
        }
        bound = state;
        rbm = (Rbm) state.model();
        int v = rbm.visible();
        int hid = rbm.hidden();
        int chains = state.chains();
        a = new double[chains * hid];
        h = new int[hid];
        u = new double[v];
        lastX = state.x().clone();
        for (int c = 0; c < chains; c++) {
            rbm.hiddenInput(lastX, c * v, a, c * hid);
        }
    }

    @Override
    public StepInfo step(ChainState state) {
        if (state != bound) {
            init(state);
        }
        int v = rbm.visible();
        int hid = rbm.hidden();
        int[] x = state.x();
        double[] logp = state.logProb();
        SplittableRandom rng = state.rng();
        long flips = 0;
        for (int c = 0; c < state.chains(); c++) {
            int vo = c * v;
            int ao = c * hid;
            if (!Arrays.equals(x, vo, vo + v, lastX, vo, vo + v)) {
                rbm.hiddenInput(x, vo, a, ao);
            }
            for (int j = 0; j < hid; j++) {
                h[j] = rng.nextDouble() < sigmoid(a[ao + j]) ? 1 : 0;
            }
            rbm.visibleInput(h, 0, u, 0);
            for (int i = 0; i < v; i++) {
                int nv = rng.nextDouble() < sigmoid(u[i]) ? 1 : 0;
                if (nv != x[vo + i]) {
                    flips++;
                    x[vo + i] = nv;
                }
            }
            rbm.hiddenInput(x, vo, a, ao);
            logp[c] = rbm.logProbFromHiddenInput(x, vo, a, ao);
        }
        System.arraycopy(x, 0, lastX, 0, x.length);
        state.addEvaluations(1);
        state.invalidateGradient();
        state.invalidateCache();
        return new StepInfo(1.0, (double) flips / state.chains());
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
