package org.rodsgate.cli;

import java.nio.file.Path;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.WatchConfig;
import picocli.CommandLine.Option;

/** The config file holding the watch and omero sections. */
final class WatchOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "rodsgate config (YAML) with a watch section")
    Path config;

    WatchConfig load() throws ConfigException {
        if (config == null) {
            throw new ConfigException("give the config with --config FILE (see --help)");
        }
        WatchConfig w = WatchConfig.load(config);
        if (w == null) {
            throw new ConfigException(config + " has no 'watch' section");
        }
        return w;
    }
}
