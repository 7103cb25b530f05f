package org.rodsgate.irods.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * ModAVUMetadataInp_PI (§4.12): {@code arg0} the operation, {@code arg1} the entity type, then name, attribute,
 * value, units. The client always sends the trailing KeyValPair_PI (mandatory since 4.2.12, skipped before).
 */
public record ModAvuInp(List<String> args, boolean hasKvp) {

    public static ModAvuInp of(String... args) {
        return new ModAvuInp(java.util.Arrays.asList(args), true);
    }

    public byte[] pack() {
        PackWriter w = PackWriter.client("ModAVUMetadataInp_PI");
        for (int i = 0; i < args.size() && i < 10; i++) {
            w.optStr("arg" + i, args.get(i));
        }
        return w.kvp(null).bytes();
    }

    public static ModAvuInp parse(XmlNode n) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.add(n.str("arg" + i));
        }
        return new ModAvuInp(a, n.child("KeyValPair_PI") != null);
    }

    public String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }
}
