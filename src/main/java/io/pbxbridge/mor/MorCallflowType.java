package io.pbxbridge.mor;

/** The call states of a call flow, as {@code cft} names them (the page shows Before call, Call, Answered...). */
public enum MorCallflowType {
    before_call,
    call,
    /** Shown as "Answered". */
    hangup,
    noanswer,
    busy,
    failed
}
