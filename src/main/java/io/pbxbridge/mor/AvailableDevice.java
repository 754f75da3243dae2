package io.pbxbridge.mor;

/**
 * A device offered in a list: a call-flow action's targets ({@code <device><device_id>1</device_id>
 * <device_name>SIP/103</device_name></device>}) or the CLIs page's devices ({@code <device id="1">IAX2/101</device>}).
 */
public record AvailableDevice(String id, String name) {
}
