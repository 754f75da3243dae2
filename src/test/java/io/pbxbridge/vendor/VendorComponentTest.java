package io.pbxbridge.vendor;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.pbxbridge.monema.MonemaComponent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class VendorComponentTest {

    /** A vendor client made with its transport, both kept by the component ("Aa" and "BB" share a hash bin). */
    @Test
    void aClientsFactoryMayAskForAnotherClient() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            MonemaComponent component = new MonemaComponent();
            context.addComponent("monema", component);
            context.start();
            String outer = component.client("Aa", () -> "client over " + component.client("BB", () -> "transport"));
            assertEquals("client over transport", outer);
            assertSame(outer, component.client("Aa", () -> "another"));
            assertEquals("transport", component.client("BB", () -> "another"));
        }
    }
}
