package org.rodsgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads rodsgate's YAML config files; every failure names the file, and a syntax error its line and column. */
final class YamlFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlFile() {
    }

    /**
     * The document's root node, or {@code null} for an empty file.
     *
     * @throws ConfigException "no config file at F", "config F: line L, column C: MESSAGE", or "cannot read F: ..."
     */
    static JsonNode read(Path file) throws ConfigException {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("no config file at " + file);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null || loc.getLineNr() < 0 ? ""
                : " line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ":";
            String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
                : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new ConfigException("config " + file + " is not valid YAML:" + where + " " + msg);
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage());
        }
    }
}
