package io.pbxbridge.fax;

/** A fax job cannot be done as submitted (missing or broken sidecar, no destinations, interrupted send). */
public class FaxJobException extends RuntimeException {

    public FaxJobException(String message) {
        super(message);
    }
}
