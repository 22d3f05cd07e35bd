package dev.floatip.dataplane.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls the dataplane needs (JNA interface mapping). Every method throws {@link
 * LastErrorException} carrying errno when the call returns -1. {@code long} stands for size_t /
 * ssize_t: the structure layouts in this package assume an LP64 Linux (x86_64, aarch64).
 */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_INET = 2;
  int AF_INET6 = 10;
  int AF_NETLINK = 16;
  int AF_PACKET = 17;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int NETLINK_ROUTE = 0;

  int SOL_SOCKET = 1;
  int SO_RCVBUF = 8;
  int SO_RCVTIMEO = 20;
  int SO_BINDTODEVICE = 25;
  int SO_RCVBUFFORCE = 33;

  int IPPROTO_IP = 0;
  int IP_TOS = 1;
  int IP_TTL = 2;
  int IP_PKTINFO = 8;
  int IP_MULTICAST_IF = 32;
  int IP_MULTICAST_TTL = 33;
  int IP_MULTICAST_LOOP = 34;
  int IP_ADD_MEMBERSHIP = 35;

  int IPPROTO_IPV6 = 41;
  int IPV6_UNICAST_HOPS = 16;
  int IPV6_MULTICAST_IF = 17;
  int IPV6_MULTICAST_HOPS = 18;
  int IPV6_MULTICAST_LOOP = 19;
  int IPV6_ADD_MEMBERSHIP = 20;
  int IPV6_RECVPKTINFO = 49;
  int IPV6_PKTINFO = 50;
  int IPV6_RECVHOPLIMIT = 51;
  int IPV6_HOPLIMIT = 52;
  int IPV6_TCLASS = 67;

  int MSG_TRUNC = 0x20;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

  int bind(int fd, byte[] address, int length) throws LastErrorException;

  long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
      throws LastErrorException;

  long recv(int fd, Pointer buffer, long length, int flags) throws LastErrorException;

  long sendmsg(int fd, Pointer message, int flags) throws LastErrorException;

  long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int open(String path, int flags) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;
}
