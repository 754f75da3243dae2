package io.pbxbridge.escaux;

/**
 * The SOP refused the request: {@code Result} 1 or another failure code of the operation (the code's meaning from
 * the spec is in {@link #getMeaning()}), an {@code Error} element, or an HTTP 4xx.
 */
public class EscauxFaultException extends EscauxException {

    private final boolean transientFault;

    public EscauxFaultException(String operation, String code, String meaning, boolean transientFault) {
        this(operation, code, meaning, null, transientFault);
    }

    /** @param detail the SOP's own text ({@code ResultText}, {@code Error}), if any */
    public EscauxFaultException(String operation, String code, String meaning, String detail, boolean transientFault) {
        super(operation, code, meaning, Kind.REFUSED, "the Escaux SOP refused " + operation + ": code " + code
                + " (" + meaning + ")" + (detail == null || detail.isBlank() || detail.equals(meaning) ? "" : ": " + detail), null);
        this.transientFault = transientFault;
    }

    /** True for codes that report a passing condition, e.g. {@code dbSetProfile} 5 (synchronization to SMP failed). */
    @Override
    public boolean isTransient() {
        return transientFault;
    }
}
