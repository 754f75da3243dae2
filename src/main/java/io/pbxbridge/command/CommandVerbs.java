package io.pbxbridge.command;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.Repeat;
import io.pbxbridge.vendor.operation.VendorOperation;

/**
 * A vendor's commands: how each vendor-neutral verb maps onto its operations ({@link #verb}), and the generic
 * {@code operation} verb that reaches any of its operations by name. Each vendor declares one table
 * ({@code EscauxCommandVerbs}, {@code MonemaCommandVerbs}); a neutral verb it lacks is answered {@code unsupported}.
 *
 * <p>Parameters are checked before anything is sent: a verb's own parameters (neutral names such as {@code from},
 * {@code to}) are mapped onto the operation's inputs; any other parameter must be one of the operation's inputs by
 * name (vendor extras such as Escaux's {@code technology}) and passes through; anything else is refused, naming what
 * the verb takes.
 */
public abstract class CommandVerbs {

    /** The vendor-neutral verbs; each vendor supports those its API can carry out. */
    public static final Set<String> NEUTRAL = Set.of("dial", "answer", "hangup", "transfer", "join", "hold",
            "unhold", "park", "sms", "fax", "transfer.enable", "transfer.disable", "queue.add", "queue.remove",
            "queue.pause", "record.start", "record.stop",
            // PortaSIP: IVR prompts and DTMF detection
            "prompt.play", "prompt.stop", "dtmf.start", "dtmf.stop",
            // MOR: call flows, caller ids, the phonebook, missed calls
            "forward", "voicemail", "faxdetect", "cli.add", "phonebook.add", "phonebook.delete", "missed.process",
            // METASEC: pickup, conferences, queue agents, DTMF, relays (door openers), priority calls
            "pickup", "conference", "agent.login", "agent.logout", "dtmf", "relay.set", "prio");

    private final String vendor;
    private final VendorOperation<?>[] operations;
    private final Map<String, Verb> verbs = new LinkedHashMap<>();

    protected CommandVerbs(String vendor, VendorOperation<?>[] operations) {
        this.vendor = vendor;
        this.operations = operations;
    }

    public String vendor() {
        return vendor;
    }

    /** The verbs this vendor carries out, {@code operation} included. */
    public Set<String> verbs() {
        Set<String> all = new TreeSet<>(verbs.keySet());
        all.add(Command.OPERATION);
        return all;
    }

    /**
     * The vendor call for {@code command}.
     *
     * @throws CommandRejectedException an unknown or unsupported verb, a missing or mistyped parameter
     */
    public VerbCall map(Command command) throws CommandRejectedException {
        String name = command.verb();
        if (Command.OPERATION.equals(name)) {
            return operation(command);
        }
        Verb verb = verbs.get(name);
        if (verb == null) {
            if (NEUTRAL.contains(name)) {
                throw CommandRejectedException.unsupported(vendor + " has no " + name + " (its verbs: "
                        + String.join(", ", verbs()) + ")");
            }
            throw new CommandRejectedException("unknown verb '" + name + "'; the verbs are " + String.join(", ",
                    new TreeSet<>(NEUTRAL)) + " and operation");
        }
        return verb.call(command, this);
    }

    /** {@code verb = operation}: {@code params.operation} names the operation, the other params are its inputs. */
    private VerbCall operation(Command command) throws CommandRejectedException {
        Object name = command.params().get(Command.OPERATION);
        if (!(name instanceof String s) || s.isBlank()) {
            throw new CommandRejectedException("verb operation needs params.operation, the name of a " + vendor
                    + " operation");
        }
        VendorOperation<?> op = Arrays.stream(operations).filter(o -> o.name().equals(s) && o.producer())
                .findFirst().orElseThrow(() -> new CommandRejectedException("unknown " + vendor + " operation '" + s
                        + "'; one of " + String.join(", ", Arrays.stream(operations).filter(VendorOperation::producer)
                                .map(VendorOperation::name).toList())));
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> p : command.params().entrySet()) {
            if (!p.getKey().equals(Command.OPERATION)) {
                inputs.put(p.getKey(), p.getValue());
            }
        }
        return checked(op, inputs, null, op.spec().repeat(), "operation " + s);
    }

    /**
     * Declares a neutral verb: its operation, whether it may be repeated, and its parameters.
     */
    protected final void verb(String name, VendorOperation<?> operation, Repeat repeat, Param... params) {
        verb(name, (command, table) -> {
            Map<String, Object> inputs = new LinkedHashMap<>();
            Map<String, Object> rest = new LinkedHashMap<>(command.params());
            for (Param p : params) {
                p.apply(command, rest, inputs, name);
            }
            inputs.putAll(rest); // vendor extras, checked against the operation's inputs
            return table.checked(operation, inputs, null, repeat, name);
        });
    }

    /** Declares a verb whose mapping is code of its own (a choice between operations, a document to load...). */
    protected final void verb(String name, Verb verb) {
        if (!NEUTRAL.contains(name)) {
            throw new IllegalArgumentException(name + " is not a neutral verb");
        }
        verbs.put(name, verb);
    }

    /** A verb's mapping onto the vendor. */
    @FunctionalInterface
    protected interface Verb {
        VerbCall call(Command command, CommandVerbs table) throws CommandRejectedException;
    }

    /**
     * Checks inputs against the operation before anything is sent: each one must be an input of the operation and
     * a plain value (text, number, true/false, or a list of them); the required ones must be there.
     */
    protected final VerbCall checked(VendorOperation<?> op, Map<String, Object> inputs, Object body, Repeat repeat,
                                     String what) throws CommandRejectedException {
        List<String> names = op.inputs().stream().map(OperationInput::name).toList();
        for (Map.Entry<String, Object> in : inputs.entrySet()) {
            if (!names.contains(in.getKey())) {
                throw new CommandRejectedException(what + " on " + vendor + " has no parameter '" + in.getKey()
                        + "'" + (names.isEmpty() ? "" : "; it takes " + String.join(", ", names)));
            }
            String refused = refused(op, in.getKey());
            if (refused != null) {
                throw new CommandRejectedException(what + ": parameter '" + in.getKey() + "' " + refused);
            }
            if (!plain(in.getValue(), structured(op, in.getKey()))) {
                throw new CommandRejectedException(what + ": parameter '" + in.getKey() + "' must be text, a number "
                        + "or true/false" + (in.getValue() instanceof Map ? ", not an object" : ""));
            }
        }
        for (OperationInput input : op.inputs()) {
            Object v = inputs.get(input.name());
            if (input.required() && (v == null || v instanceof String s && s.isBlank())) {
                throw new CommandRejectedException(what + " on " + vendor + " needs parameter '" + input.name()
                        + "'");
            }
        }
        return new VerbCall(op, inputs, body, repeat);
    }

    /**
     * Why an input of the operation is not taken from a command (e.g. one that names a file on this host), or null
     * when it is.
     */
    protected String refused(VendorOperation<?> op, String input) {
        return null;
    }

    /** Inputs that take name=value pairs (an object in JSON); the others take plain values or lists of them. */
    protected boolean structured(VendorOperation<?> op, String input) {
        return false;
    }

    private static boolean plain(Object v, boolean structured) {
        if (v instanceof Map<?, ?> m) {
            return structured && m.values().stream().allMatch(x -> plain(x, false) && !(x instanceof List));
        }
        if (v instanceof List<?> l) {
            return l.stream().allMatch(x -> x instanceof String || x instanceof Number || x instanceof Boolean);
        }
        return v == null || v instanceof String || v instanceof Number || v instanceof Boolean;
    }

    /** A verb parameter: where its value comes from and which input it becomes. */
    @FunctionalInterface
    protected interface Param {
        void apply(Command command, Map<String, Object> params, Map<String, Object> inputs, String verb)
                throws CommandRejectedException;
    }

    /** The neutral parameter {@code name} becomes the input {@code input} (checked for presence by the operation). */
    protected static Param param(String name, String input) {
        return (command, params, inputs, verb) -> {
            if (params.containsKey(name)) {
                inputs.put(input, params.remove(name));
            }
        };
    }

    /** A fixed input value, e.g. a recording's {@code action}. */
    protected static Param fixed(String input, Object value) {
        return (command, params, inputs, verb) -> inputs.put(input, value);
    }

    /** A neutral parameter with a default when not given. */
    protected static Param param(String name, String input, Object defaultValue) {
        return (command, params, inputs, verb) -> inputs.put(input, params.containsKey(name) ? params.remove(name)
                : defaultValue);
    }

    /**
     * The call a live-call verb acts on, as the vendor's {@code input}: {@code params.channel} when given, else the
     * vendor's identifier for the command's {@code callId} ({@link #locate}).
     */
    protected Param call(String input) {
        return (command, params, inputs, verb) -> {
            Object channel = params.remove("channel");
            String id = channel instanceof String s && !s.isBlank() ? s
                    : command.callId() != null ? locate(command.callId()) : null;
            if (id == null) {
                throw new CommandRejectedException(verb + " needs the call: callId (the subject of the call's "
                        + "events) or params.channel");
            }
            inputs.put(input, id);
        };
    }

    /**
     * The vendor's identifier of the call pbx-bridge's events name {@code callId} (their CloudEvents subject). The
     * default is the id itself: a vendor whose events carry its own channel or call id as the subject.
     */
    protected String locate(String callId) {
        return callId;
    }
}
