package io.pbxbridge.escaux;

/** A device registration of {@code dbGetRegistration}; {@code ipAddress} is {@code -none-} when unregistered. */
public record Registration(String id, String ipAddress, int ipPort, boolean registered) {
}
