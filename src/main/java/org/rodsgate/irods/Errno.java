package org.rodsgate.irods;

/** The Linux errno values rodsgate reports. */
public enum Errno {
    EPERM(1), ENOENT(2), EIO(5), EBADF(9), EAGAIN(11), EACCES(13), EBUSY(16), EEXIST(17), EXDEV(18), ENOTDIR(20),
    EISDIR(21), EINVAL(22), EMFILE(24), EFBIG(27), ENOSPC(28), EROFS(30), EMLINK(31), ERANGE(34),
    ENAMETOOLONG(36), ENOSYS(38), ENOTEMPTY(39), ENODATA(61), EPROTO(71), ENOTSUP(95), ENOTCONN(107),
    ETIMEDOUT(110), ECONNREFUSED(111), EDQUOT(122), EILSEQ(84);

    public final int value;

    Errno(int value) {
        this.value = value;
    }

    public static String nameOf(int v) {
        for (Errno e : values()) {
            if (e.value == v) {
                return e.name();
            }
        }
        return "errno" + v;
    }
}
