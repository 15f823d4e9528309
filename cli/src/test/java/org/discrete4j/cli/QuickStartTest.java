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
        QuickStart.main(new String[0]);
    }
}
