package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The replies that carry ids: of what a method created, changed or deleted, and of the audio file it queued for
 * conversion. Only the ids a method returns are set: {@code create_menu}, {@code update_menu}, {@code del_menu}
 * {@code iMenu}; {@code set_menu_prompt} {@code iMenu} and {@code iAudioFile}; {@code set_menu_transition},
 * {@code set_menu_transition_promt} {@code iMenuTransition} and {@code iAudioFile}; {@code create_conf},
 * {@code update_conf}, {@code del_conf} {@code iConf}; {@code set_conf_prompt} {@code iConf} and {@code iAudioFile};
 * {@code create_dir_entry}, {@code update_dir_entry}, {@code del_dir_entry} {@code iEntry} (and {@code iAudioFile}
 * with a recorded name); {@code set_vm_greeting} {@code success} and {@code iAudioFile}; {@code set_vm_settings}
 * {@code vmSettingsSaved}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PortaSipIds(Long iMenu, Long iMenuTransition, Long iConf, Long iEntry, Long iAudioFile, Integer success,
                          Integer vmSettingsSaved) {
}
