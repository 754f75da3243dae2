package io.pbxbridge.vendor.operation;

import java.util.List;

/**
 * The vendor-neutral part of an operation's entry: whether it may be repeated, how it is called, its inputs.
 *
 * @param <E> the vendor's endpoint
 */
public record OperationSpec<E>(Repeat repeat, Call<E> call, List<OperationInput> inputs) {

    /** How the operation is called, given the endpoint (its shared client, its options) and the inputs. */
    @FunctionalInterface
    public interface Call<E> {
        Object invoke(E endpoint, OperationInputs inputs) throws Exception;
    }

    public static <E> OperationSpec<E> of(Repeat repeat, Call<E> call, OperationInput... inputs) {
        return new OperationSpec<>(repeat, call, List.of(inputs));
    }
}
