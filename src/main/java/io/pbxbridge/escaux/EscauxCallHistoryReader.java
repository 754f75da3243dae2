package io.pbxbridge.escaux;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.support.Json;
import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpStream;

/**
 * A {@code dbGetCallHistory} reply read as it comes: {@link #next()} gives one CDR's JSON at a time, so a reply of
 * any size is never held whole. It reads what {@link EscauxClient#dbGetCallHistory} reads: the spec's
 * {@code {"CallHistory": [...]}}, {@code {"CallHistory": {"Call": [...]}}}, a lone CDR instead of a list, a bare
 * list. A failure result ({@code {"Result": 1, "Error": ...}}) is an {@link EscauxFaultException}; a reply that is
 * no call history (not JSON, cut short, without {@code CallHistory}) an {@link EscauxResponseException}, never an
 * empty page; a connection that breaks off an {@link EscauxConnectionException}.
 */
final class EscauxCallHistoryReader implements AutoCloseable {

    private static final EscauxOperation OP = EscauxOperation.dbGetCallHistory;

    private enum State { START, LIST, DONE }

    private final VendorHttpStream stream;
    private final JsonParser parser;
    private State state = State.START;
    /** A lone CDR given instead of a list, not handed out yet. */
    private JsonNode lone;

    EscauxCallHistoryReader(VendorHttpStream stream) {
        this.stream = stream;
        try {
            this.parser = Json.MAPPER.createParser(stream.body());
        } catch (IOException e) {
            close();
            throw failure(e);
        }
    }

    /** The next CDR's JSON (an object, or whatever else the list holds), or null after the last. */
    JsonNode next() {
        try {
            if (state == State.START) {
                open();
            }
            if (lone != null) {
                JsonNode n = lone;
                lone = null;
                return n;
            }
            if (state == State.LIST) {
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    return tree();
                }
                finish();
            }
            return null;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Moves into the list of CDRs, or reads a lone one, or throws what the reply says instead. */
    private void open() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.START_ARRAY) {
            state = State.LIST;
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw malformed(t == null ? "empty reply, expected {\"CallHistory\": [...]}"
                    : "expected {\"CallHistory\": [...]}, got " + EscauxXml.abbreviate(parser.getText()));
        }
        String result = null;
        String error = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("CallHistory".equals(name)) {
                calls(value);
                return;
            }
            if ("Result".equals(name) || "Error".equals(name)) {
                String text = value.isScalarValue() ? parser.getText() : tree().toString();
                if ("Result".equals(name)) {
                    result = text;
                } else {
                    error = text;
                }
            } else {
                parser.skipChildren();
            }
        }
        if (result != null) {
            int code;
            try {
                code = Integer.parseInt(result.trim());
            } catch (NumberFormatException e) {
                code = 1;
            }
            EscauxResultCodes.check(OP, code == 0 ? 1 : code, error); // a result without calls is a failure
        }
        throw malformed("no CallHistory in the reply");
    }

    /** {@code value} is CallHistory's (or its Call's) value. */
    private void calls(JsonToken value) throws IOException {
        switch (value) {
            case START_ARRAY -> state = State.LIST;
            case VALUE_NULL -> finish();
            case START_OBJECT -> {
                if (parser.nextToken() == JsonToken.END_OBJECT) {
                    finish();
                    return;
                }
                if ("Call".equals(parser.currentName())) {
                    calls(parser.nextToken());
                    return;
                }
                ObjectNode cdr = Json.MAPPER.createObjectNode();
                do {
                    String name = parser.currentName();
                    parser.nextToken();
                    cdr.set(name, tree());
                } while (parser.nextToken() == JsonToken.FIELD_NAME);
                lone = cdr;
                finish();
            }
            default -> throw malformed("CallHistory is " + EscauxXml.abbreviate(parser.getText())
                    + ", expected a list of calls");
        }
    }

    /** Reads the rest of the reply to its end: one cut short is malformed, not a short page. */
    private void finish() throws IOException {
        state = State.DONE;
        while (parser.nextToken() != null) {
            parser.skipChildren();
        }
    }

    private JsonNode tree() throws IOException {
        JsonNode n = Json.MAPPER.readTree(parser);
        return n == null ? NullNode.getInstance() : n;
    }

    private static EscauxResponseException malformed(String message) {
        return new EscauxResponseException(OP.name(), message);
    }

    private static EscauxException failure(IOException e) {
        if (e instanceof JsonProcessingException json) {
            JsonLocation at = json.getLocation();
            // the message says all the cause would (on several lines): run lines stay one line
            return new EscauxResponseException(OP.name(), "not a call history: " + json.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        return new EscauxConnectionException(OP.name(), VendorHttpFailures.ioCode(e),
                OP.name() + ": the SOP's reply broke off: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            if (parser != null) {
                parser.close();
            }
        } catch (IOException ignored) {
            // the connection is closed below either way
        } finally {
            try {
                stream.close();
            } catch (IOException ignored) {
                // nothing more to read from it
            }
        }
    }
}
