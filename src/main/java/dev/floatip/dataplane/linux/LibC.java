package dev.floatip.dataplane.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls the dataplane needs, bound with JNA direct mapping ({@link Native#register}: a
 * native method per call, no proxy, no per-call reflection or argument arrays, which the interface
 * mapping spent on every advert). Every method throws {@link LastErrorException} carrying errno
 * when the call returns -1. {@code long} stands for size_t / ssize_t: the structure layouts in this
 * package assume an LP64 Linux (x86_64, aarch64).
 */
final class LibC {
  private static final String PLATFORM_PATH = "jna.platform.library.path";

  static {
    // JNA's NativeLibrary builds its default search path by running `ldconfig -p` unless this is
    // set: a fork at start-up and a JDK "process reaper" thread left behind (issue 15). libc is
    // loaded by its soname, which dlopen finds without a search path.
    if (System.getProperty(PLATFORM_PATH) == null) {
      System.setProperty(PLATFORM_PATH, "");
    }
    // the soname: glibc's libc.so is a linker script that dlopen cannot load
    Native.register(LibC.class, "libc.so.6");
  }

  private LibC() {}

  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int AF_NETLINK = 16;
  static final int AF_PACKET = 17;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int NETLINK_ROUTE = 0;

  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_RCVTIMEO = 20;
  static final int SO_BINDTODEVICE = 25;
  static final int SO_RCVBUFFORCE = 33;

  static final int IPPROTO_IP = 0;
  static final int IP_TOS = 1;
  static final int IP_TTL = 2;
  static final int IP_PKTINFO = 8;
  static final int IP_MULTICAST_IF = 32;
  static final int IP_MULTICAST_TTL = 33;
  static final int IP_MULTICAST_LOOP = 34;
  static final int IP_ADD_MEMBERSHIP = 35;

  static final int IPPROTO_IPV6 = 41;
  static final int IPV6_UNICAST_HOPS = 16;
  static final int IPV6_MULTICAST_IF = 17;
  static final int IPV6_MULTICAST_HOPS = 18;
  static final int IPV6_MULTICAST_LOOP = 19;
  static final int IPV6_ADD_MEMBERSHIP = 20;
  static final int IPV6_RECVPKTINFO = 49;
  static final int IPV6_PKTINFO = 50;
  static final int IPV6_RECVHOPLIMIT = 51;
  static final int IPV6_HOPLIMIT = 52;
  static final int IPV6_TCLASS = 67;

  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;
  static final int EFD_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = 0x800;
  static final short POLLIN = 0x1;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, byte[] value, int length)
      throws LastErrorException;

  static native int bind(int fd, byte[] address, int length) throws LastErrorException;

  static native long sendto(
      int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
      throws LastErrorException;

  static native long recv(int fd, Pointer buffer, long length, int flags) throws LastErrorException;

  static native long sendmsg(int fd, Pointer message, int flags) throws LastErrorException;

  static native long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int open(String path, int flags) throws LastErrorException;

  static native int setns(int fd, int nstype) throws LastErrorException;

  /** struct pollfd {int fd; short events; short revents} (8 bytes each). */
  static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

  static native int eventfd(int initialValue, int flags) throws LastErrorException;

  static native long write(int fd, Pointer buffer, long length) throws LastErrorException;
}
