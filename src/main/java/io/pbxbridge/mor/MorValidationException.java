package io.pbxbridge.mor;

/**
 * The request was refused by the component before it was sent: a missing input, a value MOR would misread (a period
 * that is not a date, a call-flow action without its target), an option the operation needs (userId, apiSecretKey).
 */
public class MorValidationException extends MorException {

    public MorValidationException(String operation, String message) {
        super(operation, "INVALID_REQUEST", "refused by the client before sending", Kind.INVALID_REQUEST,
                "mor:" + operation + ": " + message, null);
    }
}
