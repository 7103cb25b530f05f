package org.rodsgate.cli;

import java.util.regex.Pattern;

/** Words printed for a POSIX shell (sh, bash, zsh) to read back exactly: the sandbox's {@code export} lines. */
final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Shell() {}

    /** {@code word} as one shell word: as it is when it holds only safe characters, else in single quotes. */
    static String quote(String word) {
        if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** {@code export NAME=VALUE} with VALUE quoted as one word. */
    static String export(String name, Object value) {
        return "export " + name + "=" + quote(String.valueOf(value));
    }
}
