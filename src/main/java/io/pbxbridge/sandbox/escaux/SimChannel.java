package io.pbxbridge.sandbox.escaux;

import java.util.LinkedHashMap;
import java.util.Map;

/** A channel (call leg) of the simulated SOP. Mutable, guarded by the backend. */
public final class SimChannel {
    final String id;
    final String callerId;
    volatile String extension;
    volatile String phone;
    volatile String state;
    volatile String link;
    volatile boolean onHold;
    volatile String parkSlot;
    volatile String recording;
    final long createdNanos = System.nanoTime();
    final long createdMillis = System.currentTimeMillis();
    final Map<String, String> vars = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    SimChannel(String id, String callerId, String extension, String phone, String state) {
        this.id = id;
        this.callerId = callerId;
        this.extension = extension;
        this.phone = phone;
        this.state = state;
    }

    public String id() {
        return id;
    }

    public String callerId() {
        return callerId;
    }

    public String extension() {
        return extension;
    }

    public String parkSlot() {
        return parkSlot;
    }

    public boolean onHold() {
        return onHold;
    }

    public String recording() {
        return recording;
    }

    public String link() {
        return link;
    }

    public Map<String, String> vars() {
        synchronized (vars) {
            return Map.copyOf(vars);
        }
    }
}
