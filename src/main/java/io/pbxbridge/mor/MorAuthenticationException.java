package io.pbxbridge.mor;

/**
 * MOR refused the account: the login failed ({@code LOGIN_FAILED}, e.g. "Invalid username or password"), the
 * {@code user_id} is unknown ({@code USER_NOT_FOUND}, "User was not found") or the hash is wrong
 * ({@code INCORRECT_HASH}, "Incorrect hash": check the apiSecretKey and the userId). A configuration problem: not
 * transient, not carried out.
 */
public class MorAuthenticationException extends MorFaultException {

    public static final String LOGIN_FAILED = "LOGIN_FAILED";
    public static final String USER_NOT_FOUND = "USER_NOT_FOUND";
    public static final String INCORRECT_HASH = "INCORRECT_HASH";

    public MorAuthenticationException(String operation, String code, String vendorMessage, String message) {
        super(operation, code, vendorMessage, message);
    }
}
