package io.pbxbridge.vendor.session;

import io.pbxbridge.vendor.VendorException;

/** A request made with a session; a failure is the vendor's {@link VendorException}. */
@FunctionalInterface
public interface SessionCall<V, T> {

    T call(V session);
}
