package org.discrete4j.diagnostic;

import java.util.Arrays;
import org.discrete4j.sampler.ChainRunner;

/**
 * How well a run mixed, in the figures samplers are compared by.
 *
 * <p>The main statistic is the Hamming distance of each chain to a fixed reference state, as DISCS (Goshvadi et
 * al., NeurIPS 2023) computes ESS: {@link #ess} is tfp's ESS of that scalar per chain, averaged over chains.
 * ESS per second and per energy evaluation use the ESS summed over the (independent) chains, divided by the wall
 * time of the steps after burn-in and by the energy evaluations of all chains after burn-in; the latter equals
 * DISCS's mean ESS over the evaluations of one chain. The per-coordinate figures are tfp's ESS of each site's
 * values (the GWG paper's "dims" statistic), averaged over the recorded chains, then the minimum and median over
 * sites. R̂ and the bulk ESS are Vehtari et al.'s (2021) over all chains.
 *
 * @param ess mean over chains of tfp's ESS of the Hamming statistic (NaN without a reference state)
 * @param essBulk rank-normalised bulk ESS of the Hamming statistic, all chains pooled
 * @param rhat rank-normalised split R̂ of the Hamming statistic
 * @param essLogProb mean over chains of tfp's ESS of log p̃
 * @param essCoordinateMin minimum over sites of the per-coordinate ESS (NaN without recorded states)
 * @param essCoordinateMedian median over sites of the per-coordinate ESS
 * @param essPerSecond ESS summed over chains per second of sampling
 * @param essPerEvaluation ESS summed over chains per energy evaluation (all chains)
 */
public record Mixing(String kernel, double acceptance, double flips, double ess, double essBulk, double rhat,
        double essLogProb, double essCoordinateMin, double essCoordinateMedian, double essPerSecond,
        double essPerEvaluation, double seconds, long evaluations, int chains, int kept) {

    /** The figures of a run, per-coordinate ESS over every recorded chain. */
    public static Mixing of(ChainRunner.Result r) {
        return of(r, r.states().length);
    }

    /** The figures of a run, per-coordinate ESS over the first {@code coordinateChains} recorded chains. */
    public static Mixing of(ChainRunner.Result r, int coordinateChains) {
        int chains = r.chains();
        double ess = Double.NaN;
        double bulk = Double.NaN;
        double rhat = Double.NaN;
        if (r.hamming() != null) {
            ess = Ess.tfpMean(r.hamming());
            bulk = Ess.bulk(r.hamming());
            rhat = Rhat.rankNormalized(r.hamming());
        }
        double essLogProb = Ess.tfpMean(r.logProb());
        double min = Double.NaN;
        double median = Double.NaN;
        int recorded = Math.min(coordinateChains, r.states().length);
        if (recorded > 0) {
            double[] perSite = new double[r.dim()];
            for (int i = 0; i < r.dim(); i++) {
                double[][] series = new double[recorded][];
                for (int c = 0; c < recorded; c++) {
                    series[c] = r.coordinate(c, i);
                }
                double s = 0;
                for (double e : Ess.tfp(series)) {
                    s += e;
                }
                perSite[i] = s / recorded;
            }
            Arrays.sort(perSite);
            min = perSite[0];
            int n = perSite.length;
            median = n % 2 == 1 ? perSite[n / 2] : 0.5 * (perSite[n / 2 - 1] + perSite[n / 2]);
        }
        double total = ess * chains;
        return new Mixing(r.kernel(), r.meanAcceptance(), r.meanFlips(), ess, bulk, rhat, essLogProb, min, median,
                Ess.perSecond(total, r.seconds()), Ess.perEvaluation(total, r.evaluations() * chains), r.seconds(),
                r.evaluations(), chains, r.kept());
    }
}
