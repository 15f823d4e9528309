package org.discrete4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.discrete4j.learn.EnergyNetwork;
import org.discrete4j.model.EnergyModel;

/**
 * Checks a fixed defect: under garbage-collector pressure, {@code NeuralEnergy.logProbAndGradient} used to return, now
 * and then, a garbage gradient (values like −9.6·10^29) for the same state and weights while log p̃ stayed exact,
 * which made EBM training and its GWG AIS fail intermittently ("proposal log-weights have no finite maximum"). The
 * cause was DJL's {@code Activation.swish(x, 1f)}: its product with the Java number β is a tensor over a Java buffer
 * that DJL closes at once while autograd keeps it for the backward pass (see {@code Scalars}). Measured before the
 * fix: 1 to 8 of 20,000 evaluations differed under {@code -Xmx48m}; after: none of 40,000.
 *
 * <p>Run: {@code java -Xmx48m -Dai.djl.offline=true -cp "bench/target/classes:core/target/classes:cli/target/lib/*"
 * org.discrete4j.bench.NeuralEnergyGcCheck 20000}; prints how many evaluations differed from the first.
 */
public final class NeuralEnergyGcCheck {

    private NeuralEnergyGcCheck() {}

    public static void main(String[] args) {
        int evaluations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            double[] mean = new double[36];
            Arrays.fill(mean, 0.3);
            EnergyModel model = new EnergyNetwork("mlp", 6, 6, 16, mean, m).model(m);
            int chains = 50;
            int[] x = new int[chains * 36];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(2);
            }
            double[] lp0 = new double[chains];
            float[] g0 = new float[chains * 72];
            model.logProbAndGradient(x, chains, lp0, g0);
            double[] lp = new double[chains];
            float[] g = new float[chains * 72];
            int differing = 0;
            long kept = 0;
            for (int e = 0; e < evaluations; e++) {
                byte[][] garbage = new byte[50][];
                for (int k = 0; k < garbage.length; k++) {
                    garbage[k] = new byte[20_000]; // pressure on the collector, as a long run with a small heap has
                }
                kept += garbage[e % 50].length;
                model.logProbAndGradient(x, chains, lp, g);
                if (!Arrays.equals(lp, lp0) || !Arrays.equals(g, g0)) {
                    differing++;
                }
            }
            System.out.printf("%d of %d evaluations differed from the first (%d bytes of garbage)%n", differing,
                    evaluations, kept);
        }
    }
}
