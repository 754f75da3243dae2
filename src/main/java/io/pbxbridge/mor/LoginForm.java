package io.pbxbridge.mor;

import java.util.List;

/** {@code mor:loginForm} ({@code GET /callc/login}): the login page, which needs no session. */
public record LoginForm(String language, String errorMessage, List<String> availableLanguages,
                        List<MorRepair> repairs) implements MorReply {
}
