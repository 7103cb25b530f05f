package org.rodsgate.config;

/** A configuration that cannot be used; the message names the file and the problem. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
