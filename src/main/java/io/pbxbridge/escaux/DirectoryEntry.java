package io.pbxbridge.escaux;

import java.util.Map;

/**
 * One user/extension of {@code dbGetDirectoryInfo}. Fields the SOP does not return are null.
 *
 * @param profileParameters with {@code show_profile_parameters}: the profile parameters, by name without the
 *                          {@code P_} prefix the SOP adds when it uses parameter sets
 * @param other             fields the spec does not list
 */
public record DirectoryEntry(String login, String ext, String fn, String ln, String site, String grp, String dep,
        String profile, String status, String dp, String sp, String email, String mobile, String fax, String home,
        String pincode, String company, String office, String source, String admin, String contextId,
        String contextName, String outgoingNumber, String sop1, String sop1Ip, String sop2, String sop2Ip,
        Map<String, String> profileParameters, Map<String, String> other) {
}
