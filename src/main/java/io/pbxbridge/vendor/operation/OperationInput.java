package io.pbxbridge.vendor.operation;

/**
 * One input of a vendor operation. Its value comes from the message header named after it ({@code Camel} + vendor +
 * the name capitalised: {@code channelId} of escaux is {@code CamelEscauxChannelId}) or, without that header, from
 * the endpoint option of the same name; the option documents it in the Camel catalog.
 */
public record OperationInput(String name, boolean required) {

    public static OperationInput required(String name) {
        return new OperationInput(name, true);
    }

    public static OperationInput optional(String name) {
        return new OperationInput(name, false);
    }

    /** The header that carries this input for the component whose headers start with {@code prefix}. */
    public String header(String prefix) {
        return prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
