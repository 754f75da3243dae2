package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A transition of an auto attendant menu (AutoAttendant {@code get_menu_transition_list},
 * {@code set_menu_transition}); null fields are not sent.
 *
 * @param action             Disabled, Directory, Queue, Transfer, TransferE164, Voicemail, Menu, Extension, DISA,
 *                           DirectDial, DisconnectCall
 * @param announceExtNumbers Y or N
 * @param destination        for Transfer and TransferE164 (32 characters at most)
 * @param event              0-9, *, #, Timeout, Not Active, f
 * @param playPrompt         Y or N: play the recorded prompt before the action
 * @param prompt             the file name of the prompt sent with set_menu_transition
 * @param promptSet          1 when a prompt is recorded
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TransitionInfo(String action, String announceExtNumbers, String destination, String event,
                             Long iMenuTransition, Integer maxSize, String playPrompt, String prompt, Integer promptSet,
                             @JsonProperty("target_i_menu") Long targetIMenu,
                             @JsonProperty("target_i_queue") Long targetIQueue) {
}
