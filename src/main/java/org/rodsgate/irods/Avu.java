package org.rodsgate.irods;

/** One metadata triple; {@code units} may be empty. */
public record Avu(String attribute, String value, String units) {
    public Avu {
        if (units == null) {
            units = "";
        }
    }
}
