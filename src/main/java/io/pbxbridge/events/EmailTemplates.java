package io.pbxbridge.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import io.pbxbridge.support.Json;

/**
 * Renders an event as an e-mail. Subject and body come from user-editable files in {@code dir}:
 * {@code <type>.subject.txt} / {@code <type>.body.txt} (type without {@code pbx.}, e.g. {@code call.missed}), else
 * {@code default.subject.txt} / {@code default.body.txt}. {@code ${name}} in a template is replaced by the variable
 * of that name (see {@link #variables}); unknown names are left as written. Recipients per event type come from
 * {@code recipients}: {@code call.missed=frontdesk@example.com;fax.failed=fax@example.com,it@example.com;*=ops@example.com}.
 */
public class EmailTemplates {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");

    private String dir = "templates/email";
    private String from = "pbx-bridge@localhost";
    private Map<String, String> recipients = Map.of();

    /** Camel step: body = the event ({@link CloudEvent}) -> text body, headers Subject, To, From. */
    public void render(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        CloudEvent event = in.getMandatoryBody(CloudEvent.class);
        exchange.setProperty(CloudEvents.ORIGINAL, event);
        Map<String, String> vars = variables(event);
        String type = vars.get("type");
        String to = recipients.getOrDefault(type, recipients.get("*"));
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("no e-mail recipient for events of type " + type
                    + " (events.email.recipients)");
        }
        in.setHeader("Subject", fill(template(type, "subject"), vars).trim());
        in.setHeader("To", to);
        in.setHeader("From", from);
        in.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        in.setBody(fill(template(type, "body"), vars));
    }

    /**
     * The template variables: {@code id}, {@code type} (without {@code pbx.}), {@code cetype}, {@code source},
     * {@code subject}, {@code time}, {@code sequence}, {@code vendor}, {@code json} (the whole CloudEvent, structured
     * JSON), and every top-level field of the event data: for calls {@code from}, {@code to}, {@code direction},
     * {@code state}, {@code callId}; for faxes {@code jobId}, {@code document}, {@code destinations} (joined with
     * commas), {@code reason}, {@code attempts}, {@code sessionId}, {@code modem}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> variables(CloudEvent e) {
        Map<String, String> v = new LinkedHashMap<>();
        // the data as JSON fields: the same for a typed event and one read back from a spool
        Map<String, Object> data = e.data() == null ? Map.of() : Json.MAPPER.convertValue(e.data(), Map.class);
        data.forEach((k, value) -> {
            if (value instanceof List<?> list) {
                v.put(k, String.join(", ", list.stream().map(String::valueOf).toList()));
            } else if (value != null && !(value instanceof Map)) {
                v.put(k, value.toString());
            }
        });
        v.put("id", e.id());
        v.put("type", e.type().startsWith("pbx.") ? e.type().substring(4) : e.type());
        v.put("cetype", e.type());
        v.put("source", e.source());
        v.put("subject", e.subject());
        v.put("time", String.valueOf(e.time()));
        v.put("sequence", e.sequence());
        v.put("vendor", e.pbxvendor());
        v.put("json", new String(CloudEvents.structured(e), StandardCharsets.UTF_8));
        v.replaceAll((k, val) -> val == null ? "" : val);
        return v;
    }

    static String fill(String template, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        return m.appendTail(out).toString();
    }

    private String template(String type, String part) throws IOException {
        for (String name : new String[] { type + "." + part + ".txt", "default." + part + ".txt" }) {
            try {
                return Files.readString(Path.of(dir).resolve(name));
            } catch (NoSuchFileException e) {
                // next
            }
        }
        throw new NoSuchFileException(Path.of(dir).resolve("default." + part + ".txt").toString());
    }

    public void setDir(String dir) {
        this.dir = dir;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    /** {@code type=addr[,addr];type=addr;*=addr}. */
    public void setRecipients(String spec) {
        Map<String, String> map = new LinkedHashMap<>();
        if (spec != null) {
            for (String entry : spec.split(";")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    String type = entry.substring(0, eq).trim();
                    map.put(type.startsWith("pbx.") ? type.substring(4) : type, entry.substring(eq + 1).trim());
                }
            }
        }
        recipients = map;
    }

}
