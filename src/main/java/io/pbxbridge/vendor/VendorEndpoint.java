package io.pbxbridge.vendor;

import java.time.DateTimeException;
import java.time.ZoneId;

import org.apache.camel.Exchange;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.support.DefaultEndpoint;

import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.VendorOperation;

/**
 * An endpoint of a vendor component: one operation ({@code vendor:operation}), its options, and the connection's
 * shared client. Inputs are read by name from {@code Camel<Vendor><Input>} headers, then from the options.
 */
public abstract class VendorEndpoint extends DefaultEndpoint {

    private final String headerPrefix;
    private ZoneId zone;

    protected VendorEndpoint(String uri, VendorComponent component) {
        super(uri, component);
        String scheme = component.scheme();
        this.headerPrefix = "Camel" + Character.toUpperCase(scheme.charAt(0)) + scheme.substring(1);
    }

    @Override
    public VendorComponent getComponent() {
        return (VendorComponent) super.getComponent();
    }

    public abstract VendorOperation<?> getOperation();

    /** Which server and account answered (e.g. {@code host/login}): the {@code source} of records and events. */
    public abstract String source();

    /**
     * The vendor's time zone (its {@code timeZone} option, else this JVM's), for vendors whose timestamps carry
     * none; null for vendors without the option. Results carry it in the {@code <prefix>TimeZone} header, so
     * converters read the vendor's local times in the right zone.
     */
    public ZoneId timeZone() {
        return zone;
    }

    /** The {@code timeZone} option's value ("" when not set); null when the vendor has no such option. */
    protected String timeZoneOption() {
        return null;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        String tz = timeZoneOption();
        if (tz != null) {
            try {
                zone = tz.isBlank() ? ZoneId.systemDefault() : ZoneId.of(tz.trim());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(getComponent().scheme() + ": timeZone '" + tz
                        + "' is not a time zone (e.g. Europe/Brussels)");
            }
        }
    }

    /** The header that tells the vendor's time zone. */
    public String timeZoneHeader() {
        return headerPrefix + "TimeZone";
    }

    /** The vendor's exception for a request refused before it was sent. */
    protected abstract VendorException invalidRequest(String operation, String message);

    /** {@code CamelEscaux}, {@code CamelMonema}...: input headers are this and the input's capitalised name. */
    public String headerPrefix() {
        return headerPrefix;
    }

    /** The header that tells which server and account answered. */
    public String sourceHeader() {
        return headerPrefix + "Source";
    }

    /** The inputs of {@code exchange} for this endpoint's operation. */
    public OperationInputs inputs(Exchange exchange) {
        return new OperationInputs(exchange, getOperation(), this,
                (PropertyConfigurerGetter) getComponent().getEndpointPropertyConfigurer(), headerPrefix,
                this::invalidRequest);
    }
}
