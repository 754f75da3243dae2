package io.pbxbridge.mor;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mor:personalDetails} ({@code GET /users/personal_details}). {@link #editable()} gives the fields
 * {@code mor:updatePersonalDetails} sends, under MOR's names.
 */
public record PersonalDetails(String userId, String language, String alias, String account, MorMoney balance,
                              String credit, String username, String surname, String personalId,
                              String agreementNumber, LocalDate agreementDate, String taxationCountry,
                              String vatRegNumber, BigDecimal vatPercent, Registration registration,
                              List<MorRepair> repairs) implements MorReply {

    /** The registration address and contacts. */
    public record Registration(String address, String postcode, String city, String country, String state,
                               String direction, String phone, String mobile, String fax, String email) {
    }

    /** The editable fields under MOR's names, in the order they are sent and hashed (unset ones left out). */
    public Map<String, String> editable() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "username", username);
        put(m, "surname", surname);
        put(m, "personalid", personalId);
        put(m, "agreement_number", agreementNumber);
        put(m, "agreement_date", agreementDate == null ? null : agreementDate.toString());
        put(m, "taxation_country", taxationCountry);
        put(m, "vat_reg_number", vatRegNumber);
        put(m, "vat_percent", vatPercent == null ? null : vatPercent.toPlainString());
        if (registration != null) {
            put(m, "reg_address", registration.address());
            put(m, "reg_postcode", registration.postcode());
            put(m, "reg_city", registration.city());
            put(m, "reg_country", registration.country());
            put(m, "reg_state", registration.state());
            put(m, "reg_direction", registration.direction());
            put(m, "reg_phone", registration.phone());
            put(m, "reg_mobile", registration.mobile());
            put(m, "reg_fax", registration.fax());
            put(m, "reg_email", registration.email());
        }
        return m;
    }

    private static void put(Map<String, String> m, String name, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(name, value);
        }
    }
}
