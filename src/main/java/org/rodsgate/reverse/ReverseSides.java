package org.rodsgate.reverse;

import java.io.IOException;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.reverse.place.IrodsDescription;
import org.rodsgate.reverse.place.Placement;

/** The three sides the reverse direction works with, built from its config: OMERO, placement, description. */
public record ReverseSides(OmeroSide omero, Placement placement, IrodsDescription description) {
    /** The real sides: OMERO through the {@code omero} command, iRODS through rodsgate's own client. */
    public static ReverseSides create(ReverseConfig cfg, ConnectionPool pool, IrodsAccount account)
        throws ConfigException, IOException {
        // wired once omero/OmeroReverse (wip-12o) and place/IrodsPlacement, IrodsAvuDescription (wip-12p) are merged
        throw new ConfigException("the reverse direction's OMERO and iRODS sides are not built into this version");
    }
}
