package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An entry of the dial directory (DialDirectory {@code get_dir_info}, {@code get_dir_entry},
 * {@code create_dir_entry}, {@code update_dir_entry}). The spec documents this service only by its Perl sample, whose
 * fields are these; null fields are not sent, unknown ones in a reply are ignored.
 *
 * @param iEntry   the entry's id: set for update_dir_entry, not for create_dir_entry
 * @param active   Y or N
 * @param prompt    the file name of the recorded name sent with create_dir_entry or update_dir_entry
 * @param promptSet 1 when a name is recorded
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DirEntryInfo(Long iEntry, String active, String abbreviatedNumber, String numberToDial, String firstname,
                           String lastname, String description, String prompt,
                           Integer promptSet) {
}
