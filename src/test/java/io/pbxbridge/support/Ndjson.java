package io.pbxbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads an NDJSON file the sinks write: one JSON value per line; no file yet means no lines. */
public final class Ndjson {

    private Ndjson() {
    }

    public static List<JsonNode> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return Json.MAPPER.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(file.getFileName() + ": a line is not JSON: " + l, e);
            }
        }).toList();
    }
}
