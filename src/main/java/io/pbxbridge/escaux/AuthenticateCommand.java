package io.pbxbridge.escaux;

/** The {@code command} of {@code dbAuthenticate}. */
public enum AuthenticateCommand {
    check,
    set
}
