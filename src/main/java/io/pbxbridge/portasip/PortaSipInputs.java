package io.pbxbridge.portasip;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;

import io.pbxbridge.support.Json;
import io.pbxbridge.vendor.operation.OperationInputs;

/**
 * Builds a method's {@code params} from an exchange's inputs, and reads its typed result. The order: the
 * {@code params} input (a Map, a JSON object or its text; without it, a Map body), then each named input set over it
 * under its wire name; structures ({@code vm_settings}, {@code menu_info}...) from their input (the record, a Map,
 * a JSON object or its text) or a body of the structure's record type.
 */
final class PortaSipInputs {

    /** Audio streams up to this size are read into memory, larger ones copied to a temporary file first. */
    private static final int UPLOAD_IN_MEMORY = 1 << 20;

    private PortaSipInputs() {
    }

    /** The params: the {@code params} input, or a Map body; a new object when neither. */
    static ObjectNode params(OperationInputs in) {
        Object v = in.value("params");
        if (v == null && in.message().getBody() instanceof Map<?, ?> body) {
            v = body;
        }
        if (v == null) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode n = tree(in, "params", v);
        if (!n.isObject()) {
            throw in.invalid("params must be a JSON object (or a Map), not " + n.getNodeType());
        }
        return ((ObjectNode) n).deepCopy();
    }

    /** {@link #params} and the JSON API's {@code dryRun} ({@code aux_info.dry_run}). */
    static ObjectNode httpParams(OperationInputs in) {
        ObjectNode p = params(in);
        Boolean dryRun = in.get("dryRun", Boolean.class);
        if (dryRun != null && dryRun) {
            ObjectNode aux = p.has("aux_info") && p.get("aux_info").isObject() ? (ObjectNode) p.get("aux_info")
                    : p.putObject("aux_info");
            aux.put("dry_run", 1);
        }
        return p;
    }

    /** Sets {@code wire} to the input's value (as text) when given. */
    static void text(OperationInputs in, ObjectNode p, String input, String wire) {
        String v = in.string(input);
        if (v != null && !v.isBlank()) {
            p.put(wire, v);
        }
    }

    /** Sets {@code wire} to the input's value (a number) when given. */
    static void number(OperationInputs in, ObjectNode p, String input, String wire) {
        Long v = in.get(input, Long.class);
        if (v != null) {
            p.put(wire, v);
        }
    }

    /** Sets {@code wire} to Y or N from a yes/no input when given. */
    static void yesNo(OperationInputs in, ObjectNode p, String input, String wire) {
        Object raw = in.value(input);
        if (raw == null || raw.toString().isBlank()) {
            return;
        }
        String s = raw.toString().trim();
        if (s.equalsIgnoreCase("Y") || s.equalsIgnoreCase("N")) {
            p.put(wire, s.toUpperCase(Locale.ROOT));
            return;
        }
        Boolean b = in.get(input, Boolean.class);
        p.put(wire, b ? "Y" : "N");
    }

    /**
     * The structure {@code wire} (an object) from the input {@code input} or a body of {@code type}, set over what
     * params already hold under that name. Returns the object, or null when there is none.
     */
    static ObjectNode struct(OperationInputs in, ObjectNode p, String input, String wire, Class<?> type) {
        Object v = in.value(input);
        if (v == null && type.isInstance(in.message().getBody())) {
            v = in.message().getBody();
        }
        if (v != null) {
            JsonNode n = tree(in, input, v);
            if (!n.isObject()) {
                throw in.invalid(input + " must be a " + type.getSimpleName() + ", a Map or a JSON object");
            }
            JsonNode old = p.get(wire);
            if (old != null && old.isObject()) {
                ((ObjectNode) old).setAll((ObjectNode) n);
            } else {
                p.set(wire, n);
            }
        }
        JsonNode s = p.get(wire);
        return s != null && s.isObject() ? (ObjectNode) s : null;
    }

    /** The structure {@code wire} of params, made when absent. */
    static ObjectNode object(ObjectNode p, String wire) {
        JsonNode s = p.get(wire);
        return s != null && s.isObject() ? (ObjectNode) s : p.putObject(wire);
    }

    /** Fails when {@code wire} is missing from {@code p}, naming the inputs that give it. */
    static void require(OperationInputs in, ObjectNode p, String wire, String... inputs) {
        JsonNode v = p.get(wire);
        if (v == null || v.isNull() || v.isTextual() && v.asText().isBlank()) {
            throw missing(in, wire, inputs);
        }
    }

    static RuntimeException missing(OperationInputs in, String wire, String... inputs) {
        StringBuilder how = new StringBuilder();
        for (String i : inputs) {
            how.append(how.length() == 0 ? "" : " or ").append(i).append(" (").append(in.headerName(i)).append(")");
        }
        return in.invalid("needs " + wire + ": set " + how + (how.length() == 0 ? "" : ", or ") + "params." + wire);
    }

    /** A JSON tree of a record, a Map, a JsonNode or JSON text. */
    static JsonNode tree(OperationInputs in, String input, Object v) {
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof CharSequence s) {
            try {
                JsonNode n = Json.MAPPER.readTree(s.toString());
                if (n == null) {
                    throw in.invalid(input + " is empty");
                }
                return n;
            } catch (JsonProcessingException e) {
                throw in.invalid(input + " is not JSON: " + Json.problem(e));
            }
        }
        try {
            return Json.MAPPER.valueToTree(v);
        } catch (IllegalArgumentException e) {
            throw in.invalid(input + " cannot be written as JSON (" + v.getClass().getSimpleName() + ")");
        }
    }

    // ---- audio ------------------------------------------------------------------------------------------------

    /**
     * The audio to send: the {@code file} input (a byte[], an InputStream, a File, a Path, or the option's file
     * path), else a body of one of those types (or a file from camel-file). Null when there is none and it is not
     * required. A stream is read into memory up to 1 MiB, beyond that copied to a temporary file first, so the
     * request can be sent again after a re-login.
     *
     * @param defaultName the file name when neither the input nor the CamelFileName header gives one
     */
    static PortaSipClient.Upload upload(OperationInputs in, boolean required, String explicitName, String defaultName) {
        Object v = in.value("file");
        if (v instanceof CharSequence s) {
            v = s.toString().isBlank() ? null : Path.of(s.toString());
        }
        if (v == null) {
            Object body = in.message().getBody();
            if (body instanceof GenericFile<?> g) {
                body = in.message().getBody(File.class);
                if (body == null && g.getFile() instanceof File f) {
                    body = f;
                }
            }
            if (body instanceof byte[] || body instanceof InputStream || body instanceof File || body instanceof Path) {
                v = body;
            }
        }
        if (v == null) {
            if (required) {
                throw in.invalid("needs the audio: the body (a byte[], an InputStream, a File or a Path), the "
                        + in.headerName("file") + " header or the file option");
            }
            return null;
        }
        String name = explicitName;
        if (name == null || name.isBlank()) {
            name = v instanceof File f ? f.getName() : v instanceof Path path ? String.valueOf(path.getFileName())
                    : in.message().getHeader(Exchange.FILE_NAME, String.class);
        }
        if (name == null || name.isBlank()) {
            name = defaultName;
        }
        if (name.contains("/")) {
            name = name.substring(name.lastIndexOf('/') + 1);
        }
        String type = contentType(name);
        if (v instanceof byte[] b) {
            return new PortaSipClient.Upload(name, type, b, null, false);
        }
        if (v instanceof File f) {
            v = f.toPath();
        }
        if (v instanceof Path path) {
            if (!Files.isReadable(path)) {
                throw in.invalid("the audio file " + path + " cannot be read");
            }
            return new PortaSipClient.Upload(name, type, null, path, false);
        }
        InputStream s = (InputStream) v;
        try {
            byte[] head = s.readNBytes(UPLOAD_IN_MEMORY);
            int next = s.read();
            if (next < 0) {
                return new PortaSipClient.Upload(name, type, head, null, false);
            }
            Path tmp = Files.createTempFile("portasip-upload-", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(head);
                out.write(next);
                s.transferTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return new PortaSipClient.Upload(name, type, null, tmp, true);
        } catch (IOException e) {
            throw new UncheckedIOException("portasip: cannot read the audio to send", e);
        }
    }

    /** The content type of an audio file by its extension ({@code .au}: audio/basic). */
    static String contentType(String filename) {
        String n = filename.toLowerCase(Locale.ROOT);
        if (n.endsWith(".au") || n.endsWith(".ulaw")) {
            return "audio/basic";
        }
        if (n.endsWith(".wav")) {
            return "audio/wav";
        }
        if (n.endsWith(".mp3")) {
            return "audio/mpeg";
        }
        if (n.endsWith(".g729")) {
            return "audio/G729";
        }
        return "application/octet-stream";
    }

    // ---- results ----------------------------------------------------------------------------------------------

    /** The field {@code name} (or the spec's damaged {@code "na me"} spelling with spaces) of a result. */
    static JsonNode field(JsonNode result, String name) {
        JsonNode v = result.get(name);
        return v != null ? v : result.get(name.replace('_', ' '));
    }

    /** The structure {@code name} of a result as {@code type}. */
    static <T> T as(PortaSipOperation op, JsonNode result, String name, Class<T> type) {
        JsonNode v = field(result, name);
        if (v == null || v.isNull()) {
            throw new PortaSipResponseException(op.wireName(), "no " + name + " in the reply", null);
        }
        return convert(op, normalized(v), type);
    }

    /** The list {@code name} of a result, each as {@code type}; empty when absent. A single object is a list of one. */
    static <T> List<T> list(PortaSipOperation op, JsonNode result, String name, Class<T> type) {
        JsonNode v = field(result, name);
        List<T> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isObject()) {
            out.add(convert(op, normalized(v), type));
            return out;
        }
        if (!v.isArray()) {
            throw new PortaSipResponseException(op.wireName(), name + " is not a list but " + v.getNodeType(), null);
        }
        for (JsonNode item : v) {
            out.add(convert(op, normalized(item), type));
        }
        return out;
    }

    /** The whole result as {@code type}. */
    static <T> T convert(PortaSipOperation op, JsonNode v, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(v, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PortaSipResponseException(op.wireName(), "cannot read " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? Json.problem(j) : e.getMessage()), e);
        }
    }

    /**
     * A copy of {@code n} whose keys have underscores for spaces ({@code "account id"} to {@code account_id}, as
     * the spec's damaged samples print them), at every depth. When both spellings are present the later one wins.
     */
    static JsonNode normalized(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey().trim().replace(' ', '_'), normalized(e.getValue()));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            n.forEach(item -> out.add(normalized(item)));
            return out;
        }
        return n;
    }
}
