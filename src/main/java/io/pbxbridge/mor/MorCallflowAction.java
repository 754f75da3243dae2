package io.pbxbridge.mor;

/** What {@code mor:updateCallflow} sets a call state to. */
public enum MorCallflowAction {
    /** No action ({@code whattodo=change_action}). */
    empty,
    /** To another device ({@code targetDeviceId}) or an outside number ({@code extNumber}). */
    forward,
    voicemail,
    /** Fax detection, to a fax device ({@code targetDeviceId}). */
    faxdetect
}
