package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A greeting to store (Voicemail {@code set_vm_greeting}): its type and the file name of the audio sent with it.
 *
 * @param greetingType standard, extended, personal, name
 * @param filename     the name of the attached audio file
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GreetingInfo(String greetingType, String filename) {
}
