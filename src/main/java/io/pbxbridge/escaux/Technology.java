package io.pbxbridge.escaux;

/** {@code ccOriginate}: the technology of {@code phone_id} when it is not a SIP phone resource. */
public enum Technology {
    Local,
    IAX
}
