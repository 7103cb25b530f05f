package org.rodsgate.sandbox;

import java.util.Map;

/** Access levels as the 4.3 catalog stores them (R_TOKN_MAIN, token namespace access_type). */
enum Access {
    NULL(1000, "null"), READ_METADATA(1040, "read_metadata"), READ_OBJECT(1050, "read_object"),
    CREATE_METADATA(1070, "create_metadata"), MODIFY_METADATA(1080, "modify_metadata"),
    DELETE_METADATA(1090, "delete_metadata"), CREATE_OBJECT(1110, "create_object"),
    MODIFY_OBJECT(1120, "modify_object"), DELETE_OBJECT(1130, "delete_object"), OWN(1200, "own");

    final int type;
    final String name;

    Access(int type, String name) {
        this.type = type;
        this.name = name;
    }

    private static final Map<String, Access> ALIASES = Map.of("read", READ_OBJECT, "write", MODIFY_OBJECT,
        "read object", READ_OBJECT, "modify object", MODIFY_OBJECT);

    static Access parse(String s) {
        String k = s.trim().toLowerCase();
        Access a = ALIASES.get(k);
        if (a != null) {
            return a;
        }
        for (Access x : values()) {
            if (x.name.equals(k)) {
                return x;
            }
        }
        return null;
    }

    static String nameOf(int type) {
        for (Access x : values()) {
            if (x.type == type) {
                return x.name;
            }
        }
        return "null";
    }
}
