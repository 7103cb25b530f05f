package org.rodsgate.reverse.place;

import java.time.LocalTime;

/**
 * How the files of one OMERO fileset reach iRODS; chosen per OMERO group or user (config {@code reverse.rules},
 * declared in config/ReverseConfig). The kinds:
 * <ul>
 * <li>{@code IN_PLACE}: imported with a link transfer from the rodsgate mount; the targets are iRODS objects
 *     already. Nothing is copied; they are described.</li>
 * <li>{@code MANAGED_ON_MOUNT}: OMERO's ManagedRepository (or this volume of it) lies on the rodsgate mount; the
 *     uploaded files are iRODS objects already. Described, ACLs set.</li>
 * <li>{@code COPY}: the ManagedRepository is on local disk: each file is copied into iRODS under {@code template},
 *     checked against OMERO's hash, resumable, only inside the time window, at most {@code bytesPerSecond}.</li>
 * <li>{@code REGISTER}: the iRODS server sees OMERO's disk as resource {@code resource} (unixfilesystem): registered
 *     in place with PHY_PATH_REG (API 630, rodsadmin), read-only to users since OMERO owns the bytes.</li>
 * </ul>
 *
 * @param kind            as above
 * @param template        COPY/REGISTER: the iRODS path of each file, with %zone%, %user%, %group%, %fileset%,
 *                        %year%, %month%, %day%, %clientPath% (FilesetEntry.clientPath) and %name% (file name)
 * @param resource        REGISTER: the iRODS resource whose host sees {@code repository}; COPY: the resource to
 *                        write to, or null for the server's default
 * @param windowStart     COPY: copies start only at or after this local time (null: any time)
 * @param windowEnd       COPY: ... and before this one (may be earlier than the start: a window over midnight)
 * @param bytesPerSecond  COPY: bandwidth cap, 0 for none
 */
public record PlacementRule(Kind kind, String template, String resource, LocalTime windowStart, LocalTime windowEnd,
                            long bytesPerSecond) {
    public enum Kind { IN_PLACE, MANAGED_ON_MOUNT, COPY, REGISTER }
}
