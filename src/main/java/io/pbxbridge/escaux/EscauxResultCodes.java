package io.pbxbridge.escaux;

import java.util.Map;

/** The result codes of each operation and their meaning according to the spec. */
final class EscauxResultCodes {

    private static final Map<Integer, String> GENERIC = Map.of(0, "action was successful", 1, "error");
    private static final Map<Integer, String> SET_PROFILE = Map.of(
            0, "action was successful",
            1, "illegal extension format",
            2, "attempt to change profile class",
            3, "profile_name doesn't exist",
            5, "synchronization to SMP failed");
    private static final Map<Integer, String> SET_PARAMETERS = Map.of(
            0, "OK",
            1, "missing or syntactically invalid parameter",
            2, "unknown global parameter",
            3, "global parameter not applicable to profile",
            5, "sync to SMP failed");
    private static final Map<Integer, String> PINCODE = Map.of(0, "OK", 1, "pincode does not match");
    private static final Map<Integer, String> PAUSE_ALL = Map.of(
            0, "pause failed",
            1, "pause succeeded",
            2, "unpause failed",
            3, "unpause succeeded");
    private static final Map<Integer, String> RECORD = Map.of(0, "record succeeded", 1, "record failed");
    private static final Map<Integer, String> SET_VAR = Map.of(0, "SetVar succeeded", 1, "SetVar failed");
    private static final Map<Integer, String> PUM = Map.of(0, "success", 1, "an error occurred when processing");

    private EscauxResultCodes() {
    }

    static Map<Integer, String> codes(EscauxOperation op) {
        return switch (op) {
            case dbSetProfile -> SET_PROFILE;
            case dbSetProfileParameters -> SET_PARAMETERS;
            case dbCheckPincode -> PINCODE;
            case ccQueuePauseAll -> PAUSE_ALL;
            case ccRecord -> RECORD;
            case ccSetVar -> SET_VAR;
            case pumLogin, pumLogout -> PUM;
            default -> GENERIC;
        };
    }

    static boolean success(EscauxOperation op, int code) {
        return op == EscauxOperation.ccQueuePauseAll ? code == 1 || code == 3 : code == 0;
    }

    /** The result when {@code code} means success, else an {@link EscauxFaultException} naming the code's meaning. */
    static EscauxResult check(EscauxOperation op, int code, String detail) {
        String meaning = codes(op).getOrDefault(code, "undocumented result code");
        if (success(op, code)) {
            return new EscauxResult(op.name(), code, meaning);
        }
        boolean transientFault = code == 5 && (op == EscauxOperation.dbSetProfile
                || op == EscauxOperation.dbSetProfileParameters);
        throw new EscauxFaultException(op.name(), Integer.toString(code), meaning, detail, transientFault);
    }
}
