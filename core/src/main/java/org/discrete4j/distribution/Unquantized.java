package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The soft draws behind the hard values a straight-through relaxed distribution returned, found by identity of the
 * returned array (Pyro keeps them as {@code value._unquantize}). Held only while the hard array is alive and open,
 * so a long-lived distribution does not pin old draws.
 */
final class Unquantized {

    private record Entry(WeakReference<NDArray> hard, NDArray soft) {}

    private final List<Entry> entries = new ArrayList<>();

    /** Remembers that {@code hard} was quantised from {@code soft}, and returns {@code hard}. */
    synchronized NDArray remember(NDArray hard, NDArray soft) {
        prune();
        entries.add(new Entry(new WeakReference<>(hard), soft));
        return hard;
    }

    /** The soft draw behind {@code value}, or {@code value} itself if it was not drawn here. */
    synchronized NDArray of(NDArray value) {
        prune();
        for (Entry e : entries) {
            if (e.hard().get() == value) {
                return e.soft();
            }
        }
        return value;
    }

    private void prune() {
        entries.removeIf(e -> {
            NDArray h = e.hard().get();
            return h == null || h.isReleased();
        });
    }
}
