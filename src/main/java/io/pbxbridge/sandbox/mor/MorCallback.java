package io.pbxbridge.sandbox.mor;

import java.time.Instant;

/**
 * A callback the server activated ({@code /functions/activate_callback}): the call it made is {@link #callId()} in
 * the user's call list.
 *
 * @param userId the user who asked for it
 * @param src the number called first ({@code src})
 * @param dst the number it was connected to ({@code dst})
 * @param acc the device whose account pays ({@code acc})
 * @param at when it was activated
 * @param callId the call it created
 */
public record MorCallback(int userId, String src, String dst, int acc, Instant at, long callId) {
}
