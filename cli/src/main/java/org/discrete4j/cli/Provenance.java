package org.discrete4j.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/** Where a result came from: enough to rerun it (Tribuo-style provenance). */
public final class Provenance {

    private Provenance() {}

    /** The discrete4j version, from the build. */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Command line, seed, versions, date and machine: the head of every summary.json. */
    public static Map<String, Object> of(List<String> args, long seed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("command", "d4j " + String.join(" ", args));
        p.put("seed", seed);
        p.put("discrete4j", version());
        p.put("djl", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        p.put("engine", engine.getEngineName());
        p.put("pytorch", engine.getVersion());
        p.put("java", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("cores", Runtime.getRuntime().availableProcessors());
        p.put("date", OffsetDateTime.now().toString());
        return p;
    }

    /** {@code d4j --version}. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"discrete4j " + version()};
        }
    }
}
