package org.rodsgate.reverse;

import org.rodsgate.config.ReverseConfig;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.omero.OmeroCli;
import org.rodsgate.omero.OmeroReverse;
import org.rodsgate.omero.SystemProcessRunner;
import org.rodsgate.reverse.place.IrodsAvuDescription;
import org.rodsgate.reverse.place.IrodsDescription;
import org.rodsgate.reverse.place.IrodsPlacement;
import org.rodsgate.reverse.place.Placement;

/** The three sides the reverse direction works with, built from its config: OMERO, placement, description. */
public record ReverseSides(OmeroSide omero, Placement placement, IrodsDescription description) {
    /**
     * The real sides: OMERO through the {@code omero} command (as {@code omero.os_user}, logged in as
     * {@code omero.admin}), iRODS through rodsgate's own client on {@code pool} as {@code account} (a rodsadmin: it
     * acts for the fileset owners' iRODS users and registers).
     */
    public static ReverseSides create(ReverseConfig cfg, ConnectionPool pool, IrodsAccount account) {
        OmeroReverse omero = new OmeroReverse(new OmeroCli(cfg.omero(), new SystemProcessRunner(cfg.omero().osUser())),
            cfg.pageSize());
        return new ReverseSides(omero, new IrodsPlacement(pool, account, cfg.repository(), cfg.mountRoot(), omero,
            cfg.spool(), IrodsPlacement.Tuning.defaults(), cfg.server()), new IrodsAvuDescription(pool, account));
    }
}
