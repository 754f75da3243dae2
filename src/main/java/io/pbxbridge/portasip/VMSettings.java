package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * General voicemail settings (Voicemail {@code get_vm_settings}, {@code set_vm_settings}). Every field is optional:
 * {@code set_vm_settings} changes the fields that are set (not null) and leaves the others. Values as the spec lists
 * them: yes/no flags as {@code "yes"}/{@code "no"}, {@code enableDisa} {@code "Yes"}/{@code "No"}. Unknown fields in
 * a reply are ignored.
 *
 * @param passwordAsk   yes, no: ask for the password when calling voicemail
 * @param promptLevels  standard, extended, rapid
 * @param announceDt    yes, no: announce the date and time of each message
 * @param autoPlay      yes, no
 * @param greetings     standard, extended, personal, name
 * @param faxFile       multi_png, multi_tiff, pdf, tiff
 * @param extEmail      external e-mail address (128 characters at most)
 * @param extEmailVmFmt au, mp3, wav
 * @param enableDisa    Yes, No
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VMSettings(String password, String passwordAsk, String promptLevels, String announceDt, String autoPlay,
                         String greetings, String faxFile, String extEmail, String extEmailAction,
                         String extEmailVmFmt, String enableDisa, String disaPassword) {

    /** Without the two passwords. */
    @Override
    public String toString() {
        return "VMSettings[passwordAsk=" + passwordAsk + ", promptLevels=" + promptLevels + ", announceDt=" + announceDt
                + ", autoPlay=" + autoPlay + ", greetings=" + greetings + ", faxFile=" + faxFile + ", extEmail="
                + extEmail + ", extEmailAction=" + extEmailAction + ", extEmailVmFmt=" + extEmailVmFmt
                + ", enableDisa=" + enableDisa + "]";
    }
}
