package io.pbxbridge.sandbox.escaux;

import java.util.LinkedHashMap;
import java.util.Map;

/** A user/extension of the simulated SOP directory (mutable state, guarded by the backend). */
public final class SimUser {
    final String ext;
    final String login;
    final String fn;
    final String ln;
    final String dp;
    final String sp;
    final boolean hidden;
    volatile String profile;
    volatile String status;
    final Map<String, String> params = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    SimUser(String ext, String login, String fn, String ln, String dp, String sp, String profile, String status,
            boolean hidden) {
        this.ext = ext;
        this.login = login;
        this.fn = fn;
        this.ln = ln;
        this.dp = dp;
        this.sp = sp;
        this.profile = profile;
        this.status = status;
        this.hidden = hidden;
    }

    public String ext() {
        return ext;
    }

    public String profile() {
        return profile;
    }

    public String status() {
        return status;
    }

    public String param(String name) {
        return params.get(name);
    }

    String name() {
        return fn + " " + ln;
    }
}
