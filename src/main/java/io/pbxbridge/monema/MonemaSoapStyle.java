package io.pbxbridge.monema;

/** How requests are encoded. {@code AUTO} reads the binding from the WSDL the server publishes. */
public enum MonemaSoapStyle {
    AUTO,
    RPC_ENCODED,
    RPC_LITERAL,
    DOCUMENT_LITERAL
}
