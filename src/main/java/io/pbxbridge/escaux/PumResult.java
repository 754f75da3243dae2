package io.pbxbridge.escaux;

/**
 * A successful {@code pumLogin} / {@code pumLogout}.
 *
 * @param phone   pumLogin: the physical phone; null for pumLogout
 * @param virtual pumLogin: the virtual phone connected; null for pumLogout
 */
public record PumResult(String extension, String phone, String status, String statusText, String virtual) {
}
