package io.pbxbridge.mor;

import java.util.List;

/**
 * MOR's answer to a command ({@code <action>}): login, edit personal details, add a CLI, add or delete a phonebook
 * entry, callback. A failed one is never returned: it is a {@link MorFaultException} with its status message.
 *
 * @param name          the action's name, e.g. {@code add_cli}
 * @param status        {@code ok}
 * @param statusMessage e.g. {@code CLI created}
 */
public record MorAction(String name, String status, String statusMessage, List<MorRepair> repairs)
        implements MorReply {
}
