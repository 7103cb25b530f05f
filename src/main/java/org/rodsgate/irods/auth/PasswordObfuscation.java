package org.rodsgate.irods.auth;

/**
 * The obfuscation of iCommands' {@code ~/.irodsA} file: each character of the wheel is shifted by an amount taken
 * from a fixed table of 16 words and the user's uid. It hides the password from a casual glance, nothing more;
 * the file's 0600 mode is the protection. Format: '.', 5 characters of noise (encoded), the table index as
 * {@code 'e'+i} (plain), then the encoded password, then a NUL.
 */
public final class PasswordObfuscation {
    private PasswordObfuscation() {}

    private static final long[] TABLE = {
        0xd768b678L, 0xedfdaf56L, 0x2420231bL, 0x987098d8L, 0xc1bdfeeeL, 0xf572341fL, 0x478def3aL, 0xa830d343L,
        0x774dfa2aL, 0x6720731eL, 0x346fa320L, 0x6ffdf43aL, 0x7723a320L, 0xdf67d02eL, 0x86ad240aL, 0xe76d342eL,
    };
    private static final String WHEEL =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!\"#$%&'()*+,-./";

    private static int shift(long word, int bitPos, long uid) {
        return (int) (((word >> bitPos) & 0x1f) + (uid & 0xf5f));
    }

    public static String decode(String s, long uid) {
        if (s.length() < 7 || s.charAt(0) != '.') {
            throw new IllegalArgumentException("not an obfuscated iRODS password (expected a leading '.')");
        }
        int idx = s.charAt(6) - 'e';
        if (idx < 0 || idx >= TABLE.length) {
            throw new IllegalArgumentException("not an obfuscated iRODS password (bad table index)");
        }
        long word = TABLE[idx];
        int bit = 15; // five noise characters were encoded before the password
        StringBuilder out = new StringBuilder();
        for (int i = 7; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\n' || c == '\r') {
                break;
            }
            int off = shift(word, bit, uid);
            bit += 3;
            if (bit > 28) {
                bit = 0;
            }
            int w = WHEEL.indexOf(c);
            if (w >= 0) {
                int n = WHEEL.length();
                out.append(WHEEL.charAt(((w - off) % n + n) % n));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public static String encode(String password, long uid, long mtimeSeconds) {
        int idx = 0;
        long word = TABLE[idx];
        StringBuilder plain = new StringBuilder();
        plain.append((char) ('S' - ((idx & 0x7) * 2)));
        plain.append((char) (((mtimeSeconds >> 4) & 0xf) + 'a'));
        plain.append((char) ((mtimeSeconds & 0xf) + 'a'));
        plain.append((char) (((mtimeSeconds >> 12) & 0xf) + 'a'));
        plain.append((char) (((mtimeSeconds >> 8) & 0xf) + 'a'));
        plain.append(password);
        StringBuilder enc = new StringBuilder(".");
        int bit = 0;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            int off = shift(word, bit, uid);
            bit += 3;
            if (bit > 28) {
                bit = 0;
            }
            int w = WHEEL.indexOf(c);
            enc.append(w >= 0 ? WHEEL.charAt((w + off) % WHEEL.length()) : c);
        }
        enc.insert(6, (char) ('e' + idx));
        return enc.toString();
    }
}
