package io.pbxbridge.sandbox.portasip;

/** An IVR access number ({@code i_ivr_an}) of a customer: calls to {@code number} are covered by its scope. */
public record IvrAccessNumber(long iIvrAn, String number, long iCustomer) {
}
