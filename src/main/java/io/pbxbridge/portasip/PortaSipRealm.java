package io.pbxbridge.portasip;

/**
 * The realms of the PortaSIP JSON API and Call Control, each served on its own port of the web server: an
 * {@code address} without a port gets its realm's.
 */
public enum PortaSipRealm {
    administrator(443),
    customer(8444),
    reseller(8442),
    account(8445);

    private final int port;

    PortaSipRealm(int port) {
        this.port = port;
    }

    /** The realm's port: administrator 443, customer 8444, reseller 8442, account 8445. */
    public int port() {
        return port;
    }
}
