package io.pbxbridge.vendor.session;

import java.util.Objects;

/**
 * Whose session: one per vendor address and account, whatever the endpoints that use it.
 *
 * @param address the vendor's base address
 * @param account the login (a user name or account id: not a secret)
 */
public record SessionKey(String address, String account) {

    public SessionKey {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(account, "account");
    }
}
