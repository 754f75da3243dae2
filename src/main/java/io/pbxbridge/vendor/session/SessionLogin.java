package io.pbxbridge.vendor.session;

import io.pbxbridge.vendor.VendorException;

/**
 * Logs in to the vendor for {@code key} and returns the session value (a {@link SessionToken}, a cookie...). It
 * holds the account's credentials; a failure is the vendor's {@link VendorException}: REFUSED for bad credentials,
 * transient when the vendor could not be reached.
 */
@FunctionalInterface
public interface SessionLogin<V> {

    V login(SessionKey key);
}
