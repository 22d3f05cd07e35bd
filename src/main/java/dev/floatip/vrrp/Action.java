package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/** What a {@link VirtualRouter} asks its runtime to do. The core never performs I/O itself. */
public sealed interface Action {

  /**
   * Send an advertisement from our primary address.
   *
   * @param destinations the multicast group, or each unicast peer
   */
  record SendAdvertisement(Advertisement advertisement, List<InetAddress> destinations)
      implements Action {
    public SendAdvertisement {
      destinations = List.copyOf(destinations);
    }
  }

  /** Put the virtual addresses on the interface (idempotent). */
  record AddAddresses(List<InetAddress> addresses) implements Action {
    public AddAddresses {
      addresses = List.copyOf(addresses);
    }
  }

  /** Take the virtual addresses off the interface (idempotent). */
  record RemoveAddresses(List<InetAddress> addresses) implements Action {
    public RemoveAddresses {
      addresses = List.copyOf(addresses);
    }
  }

  /** Gratuitous ARP / unsolicited NA for these addresses (the runtime owns repeat and delay). */
  record AnnounceAddresses(List<InetAddress> addresses) implements Action {
    public AnnounceAddresses {
      addresses = List.copyOf(addresses);
    }
  }

  /** Stop any announcement bursts still scheduled for this router. */
  record StopAnnouncing() implements Action {}

  /**
   * The router changed state.
   *
   * @param priority the effective priority at the time of the change
   */
  record StateChanged(Instant at, State from, State to, Reason reason, int priority)
      implements Action {}

  /**
   * An advertisement listed different addresses than ours. RFC 5798 §7.1 makes this check a MAY; we
   * report it but still let the advert take part in the election (see {@link VirtualRouter}).
   */
  record AddressListMismatch(
      Instant at, InetAddress source, List<InetAddress> theirs, List<InetAddress> ours)
      implements Action {
    public AddressListMismatch {
      theirs = List.copyOf(theirs);
      ours = List.copyOf(ours);
    }
  }
}
