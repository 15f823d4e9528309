package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    /** The README's quick-start is this file, word for word, and it runs. */
    @Test
    void readmeQuickStartCompilesAndRuns() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src", "test", "java", "QuickStart.java"));
        assertThat(readme).contains(source.strip());
        // QuickStart lives in the default package, as a reader would paste it; call it by name.
        try {
            Class.forName("QuickStart").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
