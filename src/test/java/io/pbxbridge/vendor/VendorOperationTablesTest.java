package io.pbxbridge.vendor;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.support.DefaultComponent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.pbxbridge.escaux.EscauxComponent;
import io.pbxbridge.escaux.EscauxConstants;
import io.pbxbridge.escaux.EscauxOperation;
import io.pbxbridge.metasec.MetasecComponent;
import io.pbxbridge.metasec.MetasecConstants;
import io.pbxbridge.metasec.MetasecOperation;
import io.pbxbridge.monema.MonemaComponent;
import io.pbxbridge.monema.MonemaConstants;
import io.pbxbridge.monema.MonemaOperation;
import io.pbxbridge.mor.MorComponent;
import io.pbxbridge.mor.MorConstants;
import io.pbxbridge.mor.MorOperation;
import io.pbxbridge.portasip.PortaSipComponent;
import io.pbxbridge.portasip.PortaSipConstants;
import io.pbxbridge.portasip.PortaSipOperation;
import io.pbxbridge.support.Json;
import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.VendorOperation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each operation table is the one place an operation is declared: every input it names is an endpoint option
 * documented in the Camel catalog and a header of the headers class, and every operation-input option belongs to
 * an operation. A new operation or input that misses one of them fails here, naming it.
 */
class VendorOperationTablesTest {

    record Vendor(String scheme, DefaultComponent component, VendorOperation<?>[] operations, Class<?> headers,
                  Set<String> notInputs) {
        @Override
        public String toString() {
            return scheme;
        }
    }

    static Vendor[] vendors() {
        return new Vendor[] {
                new Vendor("monema", new MonemaComponent(), MonemaOperation.values(), MonemaConstants.class,
                        Set.of("address", "serviceAddress", "login", "password", "timeZone", "style", "namespace",
                                "connectTimeout", "receiveTimeout", "allowChunking", "chunkSize", "maxDocumentSize",
                                "requirePdf", "faxListener", "lazyStartProducer", "bridgeErrorHandler", "exceptionHandler",
                                "exchangePattern", "operation")),
                new Vendor("escaux", new EscauxComponent(), EscauxOperation.values(), EscauxConstants.class,
                        Set.of("address", "connectTimeout", "requestTimeout", "timeZone", "pumMinInterval", "eventHost",
                                "eventPort", "pingInterval", "pongTimeout", "reconnectDelay", "maxReconnectDelay",
                                "maxEventSize", "eventTimeout", "unhealthyAfter", "trustStore", "trustStorePassword", "trustStoreType", "deadLetterUri", "forwardPongs", "workers", "maxBatchSize",
                                "lazyStartProducer", "bridgeErrorHandler", "exceptionHandler", "exchangePattern", "operation")),
                new Vendor("portasip", new PortaSipComponent(), PortaSipOperation.values(), PortaSipConstants.class,
                        Set.of("address", "login", "domain", "password", "realm", "basePath", "callControlPath",
                                "connectTimeout", "requestTimeout", "callControlTimeout", "trustStore",
                                "trustStorePassword", "trustStoreType", "lazyStartProducer", "bridgeErrorHandler",
                                "exceptionHandler", "exchangePattern", "operation", "timeZone",
                                // portasip:events
                                "accounts", "customers", "mainOffices", "ivrAccessNumbers", "pingInterval",
                                "pingTimeout", "reconnectDelay", "maxReconnectDelay", "unhealthyAfter",
                                "unconfirmedCallTimeout", "deadLetterUri", "workers", "maxBatchSize")),
                new Vendor("metasec", new MetasecComponent(), MetasecOperation.values(), MetasecConstants.class,
                        Set.of("address", "path", "user", "password", "connectTimeout", "requestTimeout",
                                "sessionIdleTimeout", "relayZeroCheck", "wireNames", "trustStore", "trustStorePassword",
                                "trustStoreType", "pollInterval", "maxPollDelay", "unhealthyAfter", "watch",
                                "extensions", "queues", "originateContext", "maxBatchSize", "stateDirectory",
                                "lazyStartProducer", "bridgeErrorHandler", "exceptionHandler",
                                "exchangePattern", "operation")),
                new Vendor("mor", new MorComponent(), MorOperation.values(), MorConstants.class,
                        Set.of("address", "basePath", "username", "password", "userId", "apiSecretKey", "timeZone",
                                "connectTimeout", "requestTimeout", "trustStore", "trustStorePassword", "trustStoreType",
                                "lazyStartProducer", "bridgeErrorHandler", "exceptionHandler", "exchangePattern",
                                "operation",
                                // the event pollers' (consumers of missedCalls, newCalls, faxes)
                                "idempotentRepository", "markProcessed", "maxAge")) };
    }

    @ParameterizedTest
    @MethodSource("vendors")
    void everyInputIsAnOptionAHeaderAndDocumented(Vendor v) throws Exception {
        PropertyConfigurerGetter options;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addComponent(v.scheme(), v.component());
            options = (PropertyConfigurerGetter) context.getComponent(v.scheme()).getEndpointPropertyConfigurer();
        }
        JsonNode catalog = catalog(v.scheme()).get("properties");
        Set<String> headers = headerValues(v.headers());
        String prefix = "Camel" + Character.toUpperCase(v.scheme().charAt(0)) + v.scheme().substring(1);
        Set<String> used = new TreeSet<>();
        for (VendorOperation<?> op : v.operations()) {
            for (OperationInput input : op.inputs()) {
                String where = v.scheme() + ":" + op.name() + " input " + input.name();
                assertNotNull(options.getOptionType(input.name(), false), where + " is not an endpoint option");
                JsonNode doc = catalog.get(input.name());
                assertNotNull(doc, where + " is not in the catalog");
                assertFalse(doc.path("description").asText().isBlank(), where + " has no description");
                assertTrue(headers.contains(input.header(prefix)), where + ": no header " + input.header(prefix));
                used.add(input.name());
            }
        }
        Set<String> unused = new TreeSet<>();
        for (Iterator<String> it = catalog.fieldNames(); it.hasNext();) {
            String option = it.next();
            if (!used.contains(option) && !v.notInputs().contains(option)
                    && !harvestOption(option, catalog.get(option))) {
                unused.add(option);
            }
        }
        assertEquals(Set.of(), unused, v.scheme() + " options that no operation reads");
    }

    /**
     * The options of every vendor's {@code cdr} consumer (the harvest's, its scheduler's, the rest of
     * ScheduledPollEndpoint's): consumer options, not operation inputs; and how the producer calls
     * ({@code synchronous}).
     */
    private static boolean harvestOption(String option, JsonNode doc) {
        return Set.of("cdr", "scheduler").contains(doc.path("group").asText())
                || Set.of("pollStrategy", "sendEmptyMessageWhenIdle", "synchronous").contains(option);
    }

    private static Set<String> headerValues(Class<?> headers) throws IllegalAccessException {
        Set<String> out = new TreeSet<>();
        for (Field f : headers.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                out.add((String) f.get(null));
            }
        }
        return out;
    }

    private static JsonNode catalog(String scheme) throws Exception {
        try (InputStream in = VendorOperationTablesTest.class
                .getResourceAsStream("/META-INF/io/pbxbridge/" + scheme + "/" + scheme + ".json")) {
            assertNotNull(in, "no catalog for " + scheme);
            return Json.MAPPER.readTree(in);
        }
    }

}
