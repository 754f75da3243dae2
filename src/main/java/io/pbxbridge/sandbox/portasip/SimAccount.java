package io.pbxbridge.sandbox.portasip;

/**
 * An account (a phone line, an IP Centrex extension) of the simulator: what {@code Session/login} checks
 * ({@code login}, {@code domain}, {@code password}), its PortaBilling ids ({@code i_account}, its customer
 * {@code i_customer}, the main office {@code i_main_office} its customer belongs to, null if none), and what its
 * calls show in SipCallerInfo ({@code extension_id}, {@code display_name}; {@code account_id} and {@code id} are the
 * login).
 */
public record SimAccount(String login, String domain, String password, long iAccount, long iCustomer,
                         Long iMainOffice, String extension, String displayName) {

    @Override
    public String toString() {
        return "SimAccount[" + login + "@" + domain + ", i_account " + iAccount + ", i_customer " + iCustomer + "]";
    }
}
