package io.pbxbridge.vendor.operation;

import java.util.List;

/**
 * One operation of a vendor's API, declared once (in the spirit of camel-asterisk's {@code AsteriskAction}): its
 * endpoint path name, the vendor's wire name, its inputs, whether it may be sent twice, and how it is called. The
 * producer, the input headers and the options it reads all follow from this entry, so adding an operation is adding
 * an entry. Implemented by each vendor's operation enum.
 *
 * @param <E> the vendor's endpoint, which holds the shared client and the endpoint's options
 */
public interface VendorOperation<E> {

    /** The endpoint path, e.g. {@code ccHangup} in {@code escaux:ccHangup}. */
    String name();

    /** The operation's name on the wire, e.g. {@code C_sendFax}. */
    String wireName();

    /** Repeat safety, call and inputs. */
    OperationSpec<E> spec();

    default List<OperationInput> inputs() {
        return spec().inputs();
    }

    /**
     * True for reads and other requests that change nothing when repeated: only those may be sent again (after a
     * re-login, say) when the vendor's answer does not prove the first one was not carried out.
     */
    default boolean safeToRepeat() {
        return spec().repeat() == Repeat.SAFE;
    }

    /** Calls the operation; the result becomes the message body. */
    default Object invoke(E endpoint, OperationInputs inputs) throws Exception {
        return spec().call().invoke(endpoint, inputs);
    }

    /** Whether the operation can be called from a producer (event streams are consumer only). */
    default boolean producer() {
        return true;
    }
}
