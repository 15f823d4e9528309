package org.discrete4j.autograd;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Gradients that can be differentiated again: {@code torch.autograd.grad(output, inputs, create_graph)} for DJL
 * arrays on the PyTorch engine.
 *
 * <p>DJL's {@code GradientCollector} cannot do this (its backward never builds a graph), and the engine's
 * {@code JniUtils.backward(target, grad, keepGraph, createGraph=true)} is unusable in a loop:
 * <ul>
 *   <li>it accumulates into the {@code .grad} of every leaf the output reaches, including the caller's model
 *       parameters while the caller's collector is open, and the JNI has no way to set a {@code .grad} back (there
 *       is only an in-place {@code zeroGrad}, which keeps the accumulated tensor and its graph);
 *   <li>with a graph, each leaf's {@code .grad} holds a graph that holds the leaf: a reference cycle that libtorch
 *       breaks only by {@code .grad = None}, which the JNI does not expose. Measured: a loop of x ↦ Σx³ on 10⁵
 *       floats grew by about 2 MB per iteration (4.8 GB after 2,000), even after a second backward freed the saved
 *       tensors.
 * </ul>
 * Both problems disappear with {@code autograd.grad}, which returns the gradients instead of accumulating them, so
 * no leaf's {@code .grad} is read or written and no cycle forms. The JNI does not expose it either, but it can run
 * TorchScript, and TorchScript has {@code aten::grad}: this class compiles a small TorchScript module (built in
 * memory, below) once per process and calls it. The same loop then stays flat.
 *
 * <p>This class and its package are the only place in discrete4j that touches the PyTorch engine's classes.
 */
public final class HigherOrder {

    /**
     * TorchScript source of the module: {@code torch.grad} is {@code torch.autograd.grad}; the graph is always
     * retained because the caller's own backward pass (through the same forward graph) usually comes later, and an
     * input that the output does not reach gets a zero gradient.
     */
    private static final String SOURCE = String.join("\n",
            "class HigherOrder(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.HigherOrder, outputs: List[Tensor], inputs: List[Tensor],"
                    + " seeds: List[Tensor], create_graph: Tensor) -> List[Tensor]:",
            "    grad_outputs = annotate(List[Optional[Tensor]], [])",
            "    for seed in seeds:",
            "      _0 = torch.append(grad_outputs, seed)",
            "    grads = torch.grad(outputs, inputs, grad_outputs, True, bool(create_graph), True)",
            "    result = annotate(List[Tensor], [])",
            "    for i in range(torch.len(grads)):",
            "      g = grads[i]",
            "      if g is None:",
            "        _1 = torch.append(result, torch.zeros_like(inputs[i]))",
            "      else:",
            "        _2 = torch.append(result, unchecked_cast(Tensor, g))",
            "    return result",
            "");

    private HigherOrder() {}

    /**
     * The gradient of a scalar {@code output} with respect to each of {@code inputs}, without touching any array's
     * {@code .grad}.
     *
     * @param output a scalar computed from the inputs while graph recording was on (inside a
     *     {@code GradientCollector} or a {@link GradMode#enabled()} block)
     * @param createGraph whether the returned gradients carry a graph, so that functions of them can be
     *     differentiated again (by this method or by the caller's collector)
     * @param inputs arrays that require gradient (leaves), or any array of the output's graph; an input the output
     *     does not depend on gets zeros
     * @return one gradient per input, attached to the output's manager
     * @throws IllegalArgumentException if the output is not a scalar or no input is given
     * @throws IllegalStateException if the output carries no graph
     */
    public static NDArray[] grad(NDArray output, boolean createGraph, NDArray... inputs) {
        if (output.getShape().size() != 1) {
            throw new IllegalArgumentException("HigherOrder.grad needs a scalar output, got shape "
                    + output.getShape());
        }
        if (inputs.length == 0) {
            throw new IllegalArgumentException("HigherOrder.grad needs at least one input");
        }
        NDManager manager = output.getManager();
        NDArray seed = output.onesLike();
        NDArray flag = manager.create(createGraph);
        // The module's list arguments are passed by array name (DJL's convention for TorchScript lists); the names
        // are restored afterwards because the inputs are usually someone else's arrays.
        String[] names = new String[inputs.length + 1];
        names[0] = output.getName();
        NDList arguments = new NDList(inputs.length + 3);
        arguments.add(named(output, "outputs[]"));
        for (int i = 0; i < inputs.length; i++) {
            names[i + 1] = inputs[i].getName();
            arguments.add(named(inputs[i], "inputs[]"));
        }
        arguments.add(named(seed, "seeds[]"));
        arguments.add(flag);
        try {
            NDList result = IValueUtils.forward(Module.INSTANCE, arguments, true);
            return result.toArray(new NDArray[0]);
        } catch (EngineException e) {
            throw new IllegalStateException("HigherOrder.grad failed (does the output carry a graph to the inputs, "
                    + "recorded inside a GradientCollector or GradMode.enabled()?): " + e.getMessage(), e);
        } finally {
            output.setName(names[0]);
            for (int i = 0; i < inputs.length; i++) {
                inputs[i].setName(names[i + 1]);
            }
            seed.close();
            flag.close();
        }
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    /** The compiled module, loaded on first use and kept for the life of the process (it holds no arrays). */
    private static final class Module {

        static final PtSymbolBlock INSTANCE = load();

        private static PtSymbolBlock load() {
            // A manager of its own: the module must outlive every caller's manager. It holds no arrays.
            PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
            try {
                return JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), true,
                        false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * A TorchScript archive: a zip holding the source under {@code code/}, the pickled module object
         * ({@code data.pkl}: an instance of the class with {@code training = True}), an empty constants table and
         * the format version.
         */
        private static byte[] archive() throws IOException {
            ByteArrayOutputStream pickle = new ByteArrayOutputStream();
            pickle.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
            pickle.write("c__torch__\nHigherOrder\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
            pickle.write(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0}); // EMPTY_TUPLE NEWOBJ EMPTY_DICT
            pickle.write("training".getBytes(StandardCharsets.US_ASCII)); // BINUNICODE 'training'
            pickle.write(new byte[] {(byte) 0x88, 's', 'b', '.'}); // NEWTRUE SETITEM BUILD STOP
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                entry(zip, "data.pkl", pickle.toByteArray());
                entry(zip, "code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
                entry(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // empty tuple
                entry(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            }
            return out.toByteArray();
        }

        private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
            ZipEntry e = new ZipEntry("higher_order/" + name);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        }
    }
}
