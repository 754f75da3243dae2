package io.pbxbridge.vendor;

import java.time.DateTimeException;
import java.time.ZoneId;

import org.apache.camel.Exchange;
import org.apache.camel.spi.PropertyConfigurerGetter;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollEndpoint;

import io.pbxbridge.cdr.CallRecordConsumer;
import io.pbxbridge.cdr.CallRecordPages;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoints;
import io.pbxbridge.cdr.HarvestOptions;

import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.VendorOperation;

/**
 * An endpoint of a vendor component: one operation ({@code vendor:operation}), its options, and the connection's
 * shared client. Inputs are read by name from {@code Camel<Vendor><Input>} headers, then from the options. The
 * {@code cdr} path is the vendor's call-record harvest, a polling consumer: hence the scheduler options
 * ({@code scheduler=quartz}, {@code scheduler.cron}) of {@link ScheduledPollEndpoint}.
 */
public abstract class VendorEndpoint extends ScheduledPollEndpoint {

    /** The bean that, when bound, keeps every source's checkpoint (e.g. in PostgreSQL). */
    public static final String CHECKPOINTS_BEAN = "cdrCheckpoints";

    private final String headerPrefix;
    private ZoneId zone;

    protected VendorEndpoint(String uri, VendorComponent component) {
        super(uri, component);
        this.headerPrefix = headerPrefix(component.scheme());
        // without scheduler=quartz or a delay, a harvest every five minutes: the poll consumers' own default
        // (500 ms) would ask a PBX for its call records twice a second
        setDelay(300_000L);
    }

    @Override
    public VendorComponent getComponent() {
        return (VendorComponent) super.getComponent();
    }

    public abstract VendorOperation<?> getOperation();

    /** This endpoint's options. */
    public abstract VendorConfiguration configuration();

    /**
     * The {@code cdr} consumer over the vendor's {@code pages}; its source is {@code <scheme>:<source()>}.
     */
    protected CallRecordConsumer createCallRecordConsumer(Processor processor, CallRecordPages pages)
            throws Exception {
        VendorConfiguration c = configuration();
        HarvestCheckpoints checkpoints = c.getCdrCheckpoints();
        if (checkpoints == null) {
            checkpoints = getCamelContext().getRegistry().lookupByNameAndType(CHECKPOINTS_BEAN,
                    HarvestCheckpoints.class);
        }
        if (checkpoints == null) {
            checkpoints = new FileHarvestCheckpoints(Path.of("data/cdr/checkpoints"));
        }
        HarvestOptions options = new HarvestOptions(Duration.ofMillis(c.getCdrOverlap()),
                Duration.ofMillis(c.getCdrLag()), Duration.ofMillis(c.getCdrFirstRunLookback()),
                c.getCdrBatchSize(), Duration.ofMillis(c.getCdrUnhealthyLag()),
                Path.of(c.getCdrDeadLetterDirectory()), checkpoints);
        CallRecordConsumer consumer = new CallRecordConsumer(this, processor,
                getComponent().scheme() + ":" + source(), pages, options);
        configureConsumer(consumer);
        return consumer;
    }

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

    /** The {@link #headerPrefix()} of the endpoints of the component {@code scheme}. */
    public static String headerPrefix(String scheme) {
        return "Camel" + Character.toUpperCase(scheme.charAt(0)) + scheme.substring(1);
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
