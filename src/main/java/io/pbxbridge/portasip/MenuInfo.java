package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An auto attendant menu (AutoAttendant {@code get_menu_list}, {@code create_menu}, {@code update_menu}); null
 * fields are not sent.
 *
 * @param iMenu             the menu's id: set for update_menu, not for create_menu
 * @param name              unique per account, 64 characters at most; {@code ROOT} is the root menu's
 * @param period            when the menu is active (the spec's time-period format)
 * @param msgIntroType      standard or custom (likewise msgMenuType, msgDisabledType, msgTimeoutType)
 * @param msgIntroSet       1 when the prompt was recorded (likewise msgMenuSet, msgDisabledSet, msgTimeoutSet)
 * @param directDialEnabled Y or N
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MenuInfo(Long iMenu, String name, String period, String periodDesc, String msgDisabledType,
                       String msgTimeoutType, String msgIntroType, String msgMenuType, Integer msgIntroSet,
                       Integer msgMenuSet, Integer msgDisabledSet, Integer msgTimeoutSet, Integer replayMenuTimes,
                       Integer firstDigitTimeout, Integer nextDigitTimeout, String directDialEnabled) {

    /** A new menu with only its name (and the server's defaults). */
    public static MenuInfo named(String name) {
        return new MenuInfo(null, name, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }
}
