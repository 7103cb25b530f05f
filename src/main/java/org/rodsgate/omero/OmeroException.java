package org.rodsgate.omero;

import java.io.IOException;

/** OMERO refused or failed; the message names the command and what it printed. */
public class OmeroException extends IOException {
    public OmeroException(String message) {
        super(message);
    }
}
