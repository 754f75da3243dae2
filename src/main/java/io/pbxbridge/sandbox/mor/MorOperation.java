package io.pbxbridge.sandbox.mor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The 33 operations of the MOR "API by pages" ({@code mor-xml-api.txt}, 17 sections; 35 entries here, the PDF and
 * CSV exports counted apart), as the simulator routes and checks them.
 *
 * <p>Each has the spec's path (below the base path, without its {@code %...%} path segment), the name of that path
 * segment if any, and the <b>hashed parameters</b>: the hash is the lowercase hex SHA-1 of the values of
 * {@code user_id} and then of these parameters, in this order (the order the spec lists them), absent or empty ones
 * skipped, followed by the API secret key (mor-common.md). Decisions where the spec is silent:
 * <ul>
 * <li>Parameters named in a link's query ({@code cft}, {@code currency}, {@code call_type}/{@code date_from}/
 * {@code date_till}, {@code src}/{@code dst}/{@code acc}) are request parameters like form fields, hashed in the order
 * of the link.</li>
 * <li>A path segment ({@code %device_id%}, {@code %dest_id%}, {@code %entryid%}) is hashed only when it is also sent
 * as a parameter of the same name (it is listed here at its place, and skipped when absent as every optional
 * parameter). {@code %userid%} in a path or in a parameter list is {@code user_id} itself: never hashed twice.</li>
 * <li>Update call flow (no single list in the spec): {@code cft} (the link), then {@code cf_action}, {@code whattodo},
 * {@code deviceid}, {@code ext_number}, the order of the spec's forward action.</li>
 * <li>Edit personal details ("Params: 17", list empty): the 18 editable fields of the personal details page in the
 * page's order ({@code other_details} then {@code registration}); a client sends those it changes.</li>
 * <li>Process call (mor-common.md): {@code call_id}, {@code processed}.</li>
 * </ul>
 *
 * <p>Three paths serve two or three operations each; which one is meant is told by the parameters sent (whatever
 * the method, since the server accepts GET and POST everywhere): {@code /tariffs/user_rates} with {@code currency}
 * is Change currency; {@code /stats/call_list}, {@code /stats/missed_calls}, {@code /stats/user_stats} and
 * {@code /stats/faxes_list} with any period parameter are Change period; {@code /stats/missed_calls} with
 * {@code call_id} or {@code processed} is Process call; {@code /devices/callflow_edit} with {@code cf_action} or
 * {@code whattodo} is Update callflow.
 */
public enum MorOperation {

    // 1. Login page
    LOGIN_FORM("loginForm", "/callc/login", null),
    LOGIN("login", "/api/login", null),
    // 2. Main page
    MAIN("main", "/callc/main", null),
    // 3. Details
    PERSONAL_DETAILS("personalDetails", "/users/personal_details", null),
    UPDATE_PERSONAL_DETAILS("updatePersonalDetails", "/users/update_personal_details", "userid",
            "username", "surname", "personalid", "agreement_number", "agreement_date", "taxation_country",
            "vat_reg_number", "vat_percent", "reg_address", "reg_postcode", "reg_city", "reg_country", "reg_state",
            "reg_direction", "reg_phone", "reg_mobile", "reg_fax", "reg_email"),
    // 4. Devices
    DEVICES("devices", "/devices/user_devices", null),
    // 5. Call flow
    CALLFLOW("callflow", "/devices/callflow", "device_id", "device_id"),
    CALLFLOW_EDIT("callflowEdit", "/devices/callflow_edit", "device_id", "device_id", "cft"),
    CALLFLOW_UPDATE("callflowUpdate", "/devices/callflow_edit", "device_id", "device_id", "cft", "cf_action",
            "whattodo", "deviceid", "ext_number"),
    // 6. Rates, destinations, external links
    RATES("rates", "/tariffs/user_rates", null),
    DESTINATIONS("destinations", "/directions/dg_list_user_destinations", "dest_id", "dest_id"),
    RATES_PDF("ratesPdf", "/tariffs/generate_personal_rates_pdf", "userid"),
    RATES_CSV("ratesCsv", "/tariffs/generate_personal_rates_csv", "userid"),
    CHANGE_CURRENCY("changeCurrency", "/tariffs/user_rates", null, "currency"),
    // 7. Payments, 8. Invoices, 9. Subscriptions
    PAYMENTS("payments", "/payments/personal_payments", null),
    INVOICES("invoices", "/accounting/user_invoices", null),
    SUBSCRIPTIONS("subscriptions", "/services/user_subscriptions", null),
    // 10. Calls
    CALLS("calls", "/stats/call_list", null),
    CALLS_PERIOD("callsPeriod", "/stats/call_list", null, "search_on", "period_start", "period_end", "direction",
            "calltype", "device"),
    CALLS_PDF("callsPdf", "/stats/call_list_to_pdf", "userid", "call_type", "date_from", "date_till"),
    CALLS_CSV("callsCsv", "/stats/call_list_to_csv", "userid", "call_type", "date_from", "date_till"),
    // 11. New calls
    NEW_CALLS("newCalls", "/stats/new_calls_list", null),
    // 12. Missed calls
    MISSED_CALLS("missedCalls", "/stats/missed_calls", null),
    MISSED_CALLS_PERIOD("missedCallsPeriod", "/stats/missed_calls", null, "search_on", "period_start", "period_end"),
    PROCESS_CALL("processCall", "/stats/missed_calls", null, "call_id", "processed"),
    // 13. Graphs (detailed statistics)
    USER_STATS("userStats", "/stats/user_stats", null),
    USER_STATS_PERIOD("userStatsPeriod", "/stats/user_stats", null, "period_start", "period_end"),
    // 14. CLIs
    CLIS("clis", "/devices/user_device_clis", null),
    ADD_CLI("addCli", "/devices/cli_add", null, "device_id", "cli", "description"),
    // 15. Phonebook
    PHONEBOOK("phonebook", "/phonebooks/list", "userid"),
    ADD_PHONEBOOK_ENTRY("addPhonebookEntry", "/phonebooks/add_new", "userid", "number", "name"),
    DELETE_PHONEBOOK_ENTRY("deletePhonebookEntry", "/phonebooks/destroy", "entryid", "entryid"),
    // 16. Faxes
    FAXES("faxes", "/stats/faxes_list", "userid"),
    FAXES_PERIOD("faxesPeriod", "/stats/faxes_list", "userid", "search_on", "period_start", "period_end",
            "fax_status", "device_id"),
    // 17. Callback
    CALLBACK("callback", "/functions/activate_callback", null, "src", "dst", "acc");

    private static final Map<String, MorOperation> BY_NAME = new LinkedHashMap<>();
    private static final Set<String> PATHS;

    static {
        for (MorOperation op : values()) {
            BY_NAME.put(op.operationName, op);
        }
        Set<String> paths = new java.util.LinkedHashSet<>();
        for (MorOperation op : values()) {
            paths.add(op.path);
        }
        PATHS = Collections.unmodifiableSet(paths);
    }

    private final String operationName;
    private final String path;
    private final String pathParameter;
    private final List<String> hashedParameters;

    MorOperation(String operationName, String path, String pathParameter, String... hashedParameters) {
        this.operationName = operationName;
        this.path = path;
        this.pathParameter = pathParameter;
        this.hashedParameters = List.of(hashedParameters);
    }

    /** The name {@link MorSimulator#requestCount} and the faults accept, e.g. {@code callsPeriod}. */
    public String operationName() {
        return operationName;
    }

    /** The spec's path below the base path, without the path segment, e.g. {@code /devices/callflow}. */
    public String path() {
        return path;
    }

    /** The name of the path segment after {@link #path()} ({@code %device_id%} -> {@code device_id}), or null. */
    public String pathParameter() {
        return pathParameter;
    }

    /** The parameters hashed after {@code user_id}, in order (absent or empty ones are skipped). */
    public List<String> hashedParameters() {
        return hashedParameters;
    }

    /** Whether the page needs a session, {@code user_id} and {@code hash} (all but the login form and login). */
    public boolean authenticated() {
        return this != LOGIN_FORM && this != LOGIN;
    }

    /** The operation named {@code name} ({@link #operationName()}), or null. */
    public static MorOperation byName(String name) {
        return BY_NAME.get(name);
    }

    /** Whether {@code path} (below the base path, without a path segment) is one of the spec's. */
    static boolean knownPath(String path) {
        return PATHS.contains(path);
    }
}
