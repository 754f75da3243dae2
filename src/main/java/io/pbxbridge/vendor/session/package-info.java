/**
 * Sessions of the vendors that log in (PortaSIP, MOR, METASEC): a component's
 * {@link io.pbxbridge.vendor.session.SessionManager} logs in on first use, renews an expired session once for all the
 * calls that met it, and sends a request again only when that cannot double it.
 */
package io.pbxbridge.vendor.session;
