package io.pbxbridge.vendor.operation;

/** Whether an operation's request may reach the vendor twice. */
public enum Repeat {
    /** Reads, and writes that set a value: a second request changes nothing. */
    SAFE,
    /** Places a call, sends an SMS or a fax, appends...: sent again only when the vendor proved the first failed. */
    ONCE
}
