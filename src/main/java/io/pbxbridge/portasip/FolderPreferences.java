package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Mailbox folder preferences (SMPreferences {@code get_folder_preferences}, {@code set_folder_preferences}); null
 * fields are not sent.
 *
 * @param trashFolder      IMAP folder deleted messages go to; {@code none}: deleted at once
 * @param draftFolder      IMAP folder for drafts; {@code none}: not kept
 * @param sentFolder       IMAP folder for sent messages; {@code none}: not kept
 * @param unseenType       1 only unseen, 2 unseen and total
 * @param unseenNotify     1 none, 2 INBOX only, 3 all folders
 * @param unseenCumulative cumulative unread counts of collapsed folders
 * @param searchMemory     searches remembered, 0 (off) to 9
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FolderPreferences(String trashFolder, String draftFolder, String sentFolder, Integer unseenType,
                                Integer unseenNotify, Integer unseenCumulative, Integer searchMemory) {
}
