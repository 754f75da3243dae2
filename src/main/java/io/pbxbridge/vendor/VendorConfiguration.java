package io.pbxbridge.vendor;

import org.apache.camel.RuntimeCamelException;

/**
 * Base of the vendor components' {@code @UriParams} configurations: the component holds one with the shared
 * options, and each endpoint gets its own copy to override them.
 */
public abstract class VendorConfiguration implements Cloneable {

    /** A shallow copy, for one endpoint. */
    protected <C extends VendorConfiguration> C copy(Class<C> type) {
        try {
            return type.cast(clone());
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
