package org.rodsgate.cli;

import java.nio.file.Path;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.WatchConfig;
import picocli.CommandLine.Option;

/** The config file holding the watch and omero sections. */
final class WatchOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "rodsgate config (YAML) with a watch and/or a"
        + " reverse section")
    Path config;

    /** The config's {@code irods:} section (and mount settings) as {@code rodsgate mount} reads them. */
    org.rodsgate.config.MountConfig mountConfig() throws ConfigException {
        return org.rodsgate.config.MountConfig.load(required());
    }

    WatchConfig load() throws ConfigException {
        return load(true);
    }

    /** The config for commands that only read the ledger: no OMERO password needed. */
    WatchConfig loadForLedger() throws ConfigException {
        return load(false);
    }

    /** The watch section, or null when the config has none. */
    WatchConfig loadOptional() throws ConfigException {
        return WatchConfig.load(required(), true);
    }

    /** The reverse section (OMERO -> iRODS), or null when the config has none. */
    org.rodsgate.config.ReverseConfig loadReverse() throws ConfigException {
        return org.rodsgate.config.ReverseConfig.load(required(), true);
    }

    private WatchConfig load(boolean readOmeroPassword) throws ConfigException {
        WatchConfig w = WatchConfig.load(required(), readOmeroPassword);
        if (w == null) {
            throw new ConfigException(config + " has no 'watch' section");
        }
        return w;
    }

    /**
     * The ledger for commands that only read it or queue again (status, retry): the watch section's, or the reverse
     * section's in a config without a watch section. A missing SQLite file is an error.
     */
    org.rodsgate.ledger.Ledger openLedger() throws Exception {
        WatchConfig w = WatchConfig.load(required(), false);
        if (w != null) {
            return org.rodsgate.watch.Gateway.openLedger(w, false);
        }
        org.rodsgate.config.ReverseConfig r = org.rodsgate.config.ReverseConfig.load(required(), false);
        if (r == null) {
            throw new ConfigException(config + " has neither a 'watch' nor a 'reverse' section");
        }
        return org.rodsgate.watch.Gateway.openLedger(r.ledger(), false);
    }

    private Path required() throws ConfigException {
        if (config == null) {
            throw new ConfigException("give the config with --config FILE (see --help)");
        }
        return config;
    }
}
