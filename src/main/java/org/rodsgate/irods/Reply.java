package org.rodsgate.irods;

import org.rodsgate.irods.protocol.Frame;
import org.rodsgate.irods.protocol.RError;
import org.rodsgate.irods.protocol.XmlNode;

/** A successful API reply: the status (intInfo ≥ 0), the parsed body if any, warnings, and the raw frame. */
public record Reply(int intInfo, XmlNode body, RError warnings, Frame frame) {}
