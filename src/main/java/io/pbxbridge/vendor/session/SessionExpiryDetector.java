package io.pbxbridge.vendor.session;

import io.pbxbridge.vendor.VendorException;

/**
 * The vendor's reading of a failed call: whether its session expired, and if so whether the reply proves the request
 * was not carried out. PortaSIP: the fault {@code Server.Session.check_auth.auth_failed} proves it; MOR: its login page
 * instead of the reply proves it too (mor-common.md: the page's action never ran); METASEC: {@code 0} cannot tell an
 * expired session from a failed command.
 */
@FunctionalInterface
public interface SessionExpiryDetector {

    SessionExpiry classify(VendorException failure);
}
