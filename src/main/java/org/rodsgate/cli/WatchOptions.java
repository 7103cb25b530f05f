package org.rodsgate.cli;

import java.nio.file.Path;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.WatchConfig;
import picocli.CommandLine.Option;

/** The config file holding the watch and omero sections. */
final class WatchOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "rodsgate config (YAML) with a watch section")
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

    private WatchConfig load(boolean readOmeroPassword) throws ConfigException {
        WatchConfig w = WatchConfig.load(required(), readOmeroPassword);
        if (w == null) {
            throw new ConfigException(config + " has no 'watch' section");
        }
        return w;
    }

    private Path required() throws ConfigException {
        if (config == null) {
            throw new ConfigException("give the config with --config FILE (see --help)");
        }
        return config;
    }
}
