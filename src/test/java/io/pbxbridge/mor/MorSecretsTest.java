package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.Test;

import io.pbxbridge.testsupport.DebugLog;
import io.pbxbridge.testsupport.LogCapture;

/**
 * No secret in any log line (DEBUG included) or exception message: not the password (the login's query), the API
 * secret key, a hash, the session cookie, nor a device's SIP password, whatever the operation and its outcome.
 */
class MorSecretsTest {

    static final Pattern HASH = Pattern.compile("[0-9a-f]{40}");
    static final Pattern COOKIE = Pattern.compile("[0-9a-f]{32}");

    @Test
    void noSecretInTheLogOrInAMessage() throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> secrets = new ArrayList<>(List.of(MorSim.PASSWORD, "wrong-password-42", "sandbox-api-key",
                "another-api-key"));
        try (MorSim mor = MorSim.start(); DebugLog pbx = DebugLog.of("io.pbxbridge");
             DebugLog camel = DebugLog.of("org.apache.camel"); LogCapture log = LogCapture.open()) {
            mor.sim.user().devices().forEach(d -> secrets.add(d.password()));
            List<Exchange> exchanges = new ArrayList<>();
            exchanges.add(mor.exchange("login", Map.of()));
            exchanges.add(mor.exchange("login?password=wrong-password-42", Map.of()));
            exchanges.add(mor.exchange("mainPage", Map.of()));
            exchanges.add(mor.exchange("devices", Map.of()));
            mor.sim.faults().brokenXml(true);
            exchanges.add(mor.exchange("devices", Map.of()));
            exchanges.add(mor.exchange("callsPeriod", MorComponentTest.week()));
            mor.sim.faults().brokenXml(false);
            exchanges.add(mor.exchange("mainPage?apiSecretKey=another-api-key", Map.of()));
            exchanges.add(mor.exchange("mainPage?userId=7", Map.of()));
            exchanges.add(mor.exchange("devices?password=wrong-password-42", Map.of()));
            mor.sim.faults().expireSessions();
            exchanges.add(mor.exchange("callback?src=37061111111&dst=12125550000&deviceId=1", Map.of()));
            mor.sim.faults().failNext("phonebook", 500);
            exchanges.add(mor.exchange("phonebook", Map.of()));
            mor.sim.faults().truncateNext("devices");
            exchanges.add(mor.exchange("devices", Map.of()));
            Exchange export = mor.exchange("exportCallsCsv", MorComponentTest.week());
            try (InputStream in = export.getMessage().getBody(InputStream.class)) {
                in.readAllBytes();
            }
            exchanges.add(export);

            int failures = 0;
            for (Exchange ex : exchanges) {
                for (Throwable t = ex.getException(); t != null; t = t.getCause()) {
                    lines.add(String.valueOf(t.getMessage()));
                    lines.add(t.toString());
                    failures++;
                }
                Object body = ex.getMessage().getBody();
                if (body != null) {
                    lines.add(body.toString());
                }
            }
            assertTrue(failures >= 7, "the failures were made: " + failures);
            for (LogEvent e : log.events(Level.DEBUG, "")) {
                lines.add(e.getMessage().getFormattedMessage());
            }
            lines.addAll(log.messages(Level.INFO));
            lines.addAll(log.messages(Level.WARN));
            lines.addAll(log.messages(Level.ERROR));
            // the requests were logged, masked
            assertTrue(lines.stream().anyMatch(l -> l.contains("/api/login?u=demo&p=xxxxxx")), "the login's line");
            assertTrue(lines.stream().anyMatch(l -> l.contains("hash=xxxxxx")), "a page's line");
        }
        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            for (String secret : secrets) {
                if (line.contains(secret)) {
                    leaks.add(secret + " in: " + line);
                }
            }
            if (HASH.matcher(line).find()) {
                leaks.add("a hash in: " + line);
            }
            if (COOKIE.matcher(line).find()) {
                leaks.add("a session cookie in: " + line);
            }
        }
        assertEquals(List.of(), leaks);
        assertFalse(lines.isEmpty());
    }
}
