package org.rodsgate.cli;

import java.nio.file.Path;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.WatchConfig;
import picocli.CommandLine.Option;

/** The config file holding the watch and omero sections. */
final class WatchOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "rodsgate config (YAML)")
    Path config;

    /** The config's {@code irods:} section (and mount settings) as {@code rodsgate mount} reads them. */
    org.rodsgate.config.MountConfig mountConfig() throws ConfigException {
        return org.rodsgate.config.MountConfig.load(config);
    }

    WatchConfig load() throws ConfigException {
        WatchConfig w = WatchConfig.load(config);
        if (w == null) {
            throw new ConfigException(config + " has no 'watch' section");
        }
        return w;
    }
}
