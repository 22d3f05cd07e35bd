package dev.floatip.dataplane;

import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * VRRP packets (IP protocol 112) on one interface and one address family. Sends with TTL / hop
 * limit 255 from {@link #sourceAddress()}; receives every VRRP packet arriving on the interface
 * (all VRIDs: the caller demultiplexes), unicast and, when joined, multicast. One receiving thread
 * at a time; {@link #send} may be called from any thread.
 */
public interface PacketIo extends AutoCloseable {

  /**
   * How to open the socket.
   *
   * @param sourceAddress override the source; default: the primary IPv4 address, or the IPv6
   *     link-local address (RFC 5798 §5.1.2.1)
   * @param joinMulticast join 224.0.0.18 / ff02::12 on the interface
   * @param receiveTimeout how long {@link #receive()} blocks at most ({@link #close()} wakes a
   *     blocked receive at once on Linux: the timeout only bounds an idle wait)
   */
  record Options(
      String interfaceName,
      IpFamily family,
      Optional<InetAddress> sourceAddress,
      boolean joinMulticast,
      Duration receiveTimeout) {
    public Options {
      Objects.requireNonNull(interfaceName, "interfaceName");
      Objects.requireNonNull(family, "family");
      sourceAddress.ifPresent(
          a -> {
            if (!family.contains(a)) {
              throw new IllegalArgumentException(a + " is not " + family);
            }
          });
      if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
        throw new IllegalArgumentException("receiveTimeout must be positive");
      }
    }

    public static Options of(String interfaceName, IpFamily family) {
      return new Options(interfaceName, family, Optional.empty(), true, Duration.ofMillis(500));
    }

    public Options withSource(InetAddress source) {
      return new Options(interfaceName, family, Optional.of(source), joinMulticast, receiveTimeout);
    }

    public Options withMulticast(boolean join) {
      return new Options(interfaceName, family, sourceAddress, join, receiveTimeout);
    }

    public Options withReceiveTimeout(Duration timeout) {
      return new Options(interfaceName, family, sourceAddress, joinMulticast, timeout);
    }
  }

  String interfaceName();

  IpFamily family();

  /** The source of every packet sent; needed for the VRRPv3 pseudo-header checksum. */
  InetAddress sourceAddress();

  /**
   * Sends one VRRP message (checksum already filled in) to a unicast peer or to the multicast group
   * ({@link IpFamily#multicastGroup()}).
   */
  IoResult<Void> send(InetAddress destination, byte[] vrrpMessage);

  /**
   * Waits up to the receive timeout for one packet. {@code Ok(empty)} on timeout; EBADF once
   * closed; EBADMSG for a packet that could not be parsed (the caller counts it and goes on).
   */
  IoResult<Optional<ReceivedPacket>> receive();

  /** Idempotent; a blocked {@link #receive()} returns EBADF (at the latest after its timeout). */
  @Override
  void close();
}
