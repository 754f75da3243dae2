package io.pbxbridge.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every folder and file the routes write, moved under a test's temp folder: as settings for an in-process run
 * ({@link #settings}) or as the environment variables of a child process ({@link #environment}, which the
 * application reads by the README's rule: upper case, dots and dashes as underscores).
 */
public final class AppFolders {

    private AppFolders() {
    }

    /** The project folder, where the application reads application.properties and routes/. */
    public static Path project() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        if (!Files.isRegularFile(base.resolve("application.properties"))) {
            throw new IllegalStateException("no application.properties in " + base);
        }
        return base;
    }

    public static Map<String, String> settings(Path dir) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sandbox.data", dir.resolve("sandbox").toString());
        m.put("events.state", dir.resolve("events/state").toString());
        m.put("events.spool.dir", dir.resolve("events/spool").toString());
        m.put("events.deadletter.dir", dir.resolve("events/deadletter").toString());
        m.put("events.ndjson.uri", "file:" + dir.resolve("events") + "?fileName=call-events.ndjson&fileExist=Append");
        m.put("escaux.rejected-uri", "file:" + dir.resolve("events") + "?fileName=rejected.log&fileExist=Append");
        m.put("portasip.rejected-uri", "file:" + dir.resolve("events")
                + "?fileName=portasip-rejected.log&fileExist=Append");
        m.put("fax.outbox", dir.resolve("fax/outbox").toString());
        m.put("fax.sent", dir.resolve("fax/sent").toString());
        m.put("fax.failed", dir.resolve("fax/failed").toString());
        m.put("fax.state", dir.resolve("fax/state").toString());
        m.put("fax.events-uri", "file:" + dir.resolve("events") + "?fileName=fax-events.ndjson&fileExist=Append");
        m.put("cdr.folder", dir.resolve("cdr").toString());
        m.put("commands.folder", dir.resolve("commands").toString());
        m.put("commands.documents", dir.resolve("commands/documents").toString());
        return m;
    }

    public static Map<String, String> environment(Path dir) {
        Map<String, String> env = new LinkedHashMap<>();
        settings(dir).forEach((key, value) -> env.put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'),
                value));
        return env;
    }
}
