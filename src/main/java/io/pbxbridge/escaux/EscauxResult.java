package io.pbxbridge.escaux;

/**
 * The outcome of an operation that only answers a result code.
 *
 * @param operation the operation
 * @param code      the SOP's success code (usually 0; {@code ccQueuePauseAll}: 1 or 3)
 * @param meaning   what the code means according to the spec
 */
public record EscauxResult(String operation, int code, String meaning) {
}
