package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Mailbox and message display options (SMPreferences {@code get_display_preferences},
 * {@code set_display_preferences}); null fields are not sent.
 *
 * @param addrsrchFullname Noprefix, Nickname or Fullaname (the spec's spelling)
 * @param showHtmlDefault  0 text, 1 HTML
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DisplayPreferences(Integer wrapAt, Integer truncateSender, Integer showXmailerDefault, Integer editorHeight,
                                 Integer mdnUserSupport, Integer truncateSubject, String bodyQuote,
                                 Integer includeSelfReplyAll, Integer sigFirst, Integer pfCleandisplay,
                                 Integer editorSize, Integer showHtmlDefault, Integer pageSelectorMax,
                                 Integer internalDateSort, Integer pageSelector, String addrsrchFullname,
                                 Integer showNum, Integer showImages) {
}
