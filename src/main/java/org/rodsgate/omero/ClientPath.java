package org.rodsgate.omero;

/**
 * The clientPath OMERO records for a fileset: the absolute path of its first file, leading '/' removed, each
 * character OMERO cannot keep replaced (shared/omero-cli.md, "Idempotency").
 */
public final class ClientPath {
    private ClientPath() {}

    public static String of(String absolutePath) {
        StringBuilder b = new StringBuilder();
        String p = absolutePath.startsWith("/") ? absolutePath.substring(1) : absolutePath;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            b.append(switch (c) {
                case '"' -> '\'';
                case '*' -> 'x';
                case ':' -> ';';
                case '<' -> '[';
                case '>' -> ']';
                case '?' -> '%';
                case '\\', '|' -> '!';
                default -> c < 32 ? '_' : c;
            });
        }
        return b.toString();
    }
}
