package io.pbxbridge.escaux;

/** How {@code dbGetDirectoryInfo} matches filters. */
public enum Wildcards {
    /** {@code wildcards} not sent: a filter matches values that contain it. */
    none,
    /** Values must match the filter exactly, {@code %} and {@code _} being SQL-like wildcards. */
    strict,
    /** Like strict, and {@code *} may be used in place of {@code %}. */
    translate
}
