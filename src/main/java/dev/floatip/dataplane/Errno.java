package dev.floatip.dataplane;

import java.util.Map;

/**
 * Linux errno numbers (asm-generic/errno-base.h and errno.h, the numbering of x86_64 and arm64) and
 * their names, for the errors a VRRP dataplane meets. Netlink reports the same numbers, negated, in
 * NLMSG_ERROR (netlink(7)).
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int EBADMSG = 74;
  public static final int EMSGSIZE = 90;
  public static final int EOPNOTSUPP = 95;
  public static final int EADDRNOTAVAIL = 99;
  public static final int ENOBUFS = 105;
  public static final int ETIMEDOUT = 110;

  private record Entry(String name, String description) {}

  private static final Map<Integer, Entry> TABLE =
      Map.ofEntries(
          entry(1, "EPERM", "Operation not permitted"),
          entry(2, "ENOENT", "No such file or directory"),
          entry(3, "ESRCH", "No such process"),
          entry(4, "EINTR", "Interrupted system call"),
          entry(5, "EIO", "Input/output error"),
          entry(6, "ENXIO", "No such device or address"),
          entry(7, "E2BIG", "Argument list too long"),
          entry(9, "EBADF", "Bad file descriptor"),
          entry(11, "EAGAIN", "Resource temporarily unavailable"),
          entry(12, "ENOMEM", "Cannot allocate memory"),
          entry(13, "EACCES", "Permission denied"),
          entry(14, "EFAULT", "Bad address"),
          entry(16, "EBUSY", "Device or resource busy"),
          entry(17, "EEXIST", "File exists"),
          entry(19, "ENODEV", "No such device"),
          entry(22, "EINVAL", "Invalid argument"),
          entry(23, "ENFILE", "Too many open files in system"),
          entry(24, "EMFILE", "Too many open files"),
          entry(28, "ENOSPC", "No space left on device"),
          entry(34, "ERANGE", "Numerical result out of range"),
          entry(38, "ENOSYS", "Function not implemented"),
          entry(61, "ENODATA", "No data available"),
          entry(62, "ETIME", "Timer expired"),
          entry(71, "EPROTO", "Protocol error"),
          entry(74, "EBADMSG", "Bad message"),
          entry(75, "EOVERFLOW", "Value too large for defined data type"),
          entry(90, "EMSGSIZE", "Message too long"),
          entry(91, "EPROTOTYPE", "Protocol wrong type for socket"),
          entry(92, "ENOPROTOOPT", "Protocol not available"),
          entry(93, "EPROTONOSUPPORT", "Protocol not supported"),
          entry(95, "EOPNOTSUPP", "Operation not supported"),
          entry(97, "EAFNOSUPPORT", "Address family not supported by protocol"),
          entry(98, "EADDRINUSE", "Address already in use"),
          entry(99, "EADDRNOTAVAIL", "Cannot assign requested address"),
          entry(100, "ENETDOWN", "Network is down"),
          entry(101, "ENETUNREACH", "Network is unreachable"),
          entry(105, "ENOBUFS", "No buffer space available"),
          entry(110, "ETIMEDOUT", "Connection timed out"),
          entry(111, "ECONNREFUSED", "Connection refused"),
          entry(113, "EHOSTUNREACH", "No route to host"));

  private Errno() {}

  /** The symbolic name, e.g. {@code EPERM}, or {@code "errno <n>"} for numbers not in the table. */
  public static String name(int errno) {
    Entry e = TABLE.get(Math.abs(errno));
    return e == null ? "errno " + Math.abs(errno) : e.name();
  }

  /** strerror(3)-style text. */
  public static String description(int errno) {
    Entry e = TABLE.get(Math.abs(errno));
    return e == null ? "unknown error " + Math.abs(errno) : e.description();
  }

  private static Map.Entry<Integer, Entry> entry(int number, String name, String description) {
    return Map.entry(number, new Entry(name, description));
  }
}
