package org.discrete4j.autograd;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Whether array operations record a graph for differentiation on the current thread, switched for the length of a
 * try-with-resources block and then restored. Inside a {@code GradientCollector} recording is on; outside one it is
 * off on the thread that loaded the engine (and on, surprisingly, on fresh threads). {@link #enabled()} lets code
 * that builds graphs for {@link HigherOrder} run anywhere; {@link #disabled()} lets code update state in place
 * (arrays that require gradient included) while a collector is open. Neither opens a collector: only one may be
 * open per process.
 */
public final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        Engine.getEngine("PyTorch"); // loads the native library if nothing has yet
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Records graphs until closed. */
    public static GradMode enabled() {
        return new GradMode(true);
    }

    /** Records nothing until closed. */
    public static GradMode disabled() {
        return new GradMode(false);
    }

    /** Whether the current thread records graphs. */
    public static boolean isEnabled() {
        Engine.getEngine("PyTorch");
        return JniUtils.isGradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
