package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import io.pbxbridge.sandbox.mor.MorSimulator;

/** A MOR simulator and a CamelContext whose mor component logs in to it as demo (user_id 2, its API key). */
final class MorSim implements AutoCloseable {

    static final String USERNAME = "demo";
    static final String PASSWORD = "demo-secret";
    static final String USER_ID = "2";

    final MorSimulator sim;
    final CamelContext camel;
    final ProducerTemplate template;
    final MorComponent component;

    MorSim(MorSimulator.Builder builder) {
        this(builder.start(), "");
    }

    MorSim(MorSimulator sim, String basePath) {
        this.sim = sim;
        camel = new DefaultCamelContext();
        component = new MorComponent();
        MorConfiguration c = component.getConfiguration();
        String address = "http://127.0.0.1:" + sim.port();
        c.setAddress(address);
        c.setBasePath(basePath);
        c.setUsername(USERNAME);
        c.setPassword(PASSWORD);
        c.setUserId(USER_ID);
        c.setApiSecretKey(sim.apiKey());
        c.setRequestTimeout(5000);
        camel.addComponent("mor", component);
        camel.start();
        template = camel.createProducerTemplate();
    }

    static MorSim start() {
        return new MorSim(MorSimulator.builder());
    }

    <T> T call(String uri, Map<String, Object> headers, Class<T> type) {
        return template.requestBodyAndHeaders("mor:" + uri, null, headers, type);
    }

    <T> T call(String uri, Class<T> type) {
        return call(uri, Map.of(), type);
    }

    Exchange exchange(String uri, Map<String, Object> headers) {
        return template.request("mor:" + uri, e -> e.getIn().setHeaders(new HashMap<>(headers)));
    }

    MorException failure(String uri, Map<String, Object> headers) {
        Exchange ex = exchange(uri, headers);
        assertNotNull(ex.getException(), "expected " + uri + " to fail");
        return assertInstanceOf(MorException.class, ex.getException());
    }

    MorException failure(String uri) {
        return failure(uri, Map.of());
    }

    @Override
    public void close() {
        camel.stop();
        sim.close();
    }
}
