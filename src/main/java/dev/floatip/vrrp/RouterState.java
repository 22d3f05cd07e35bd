package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * The state of a {@link VirtualRouter} together with the data that only means something in it (RFC
 * 5798 §6.4), so that no timer or flag outlives its state: leaving a state drops its data. Backup
 * and Master are small mutable classes because their timers move with every advertisement; one
 * {@link VirtualRouter} owns each, on one thread.
 */
sealed interface RouterState {

  /** The state as {@link VirtualRouter#state()} reports it. */
  State kind();

  /** When this state was entered; null only before the first transition. */
  Instant since();

  /** Why this state was entered; null only before the first transition. */
  Reason reason();

  /** RFC 5798 §6.4.1: not running. */
  record Initialize(Instant since, Reason reason) implements RouterState {
    @Override
    public State kind() {
      return State.INITIALIZE;
    }
  }

  /** keepalived's FAULT: silent, without addresses, until every fault source clears. */
  record Fault(Instant since, Reason reason) implements RouterState {
    @Override
    public State kind() {
      return State.FAULT;
    }
  }

  /** RFC 5798 §6.4.2: listening for the master, taking over when Master_Down_Timer fires. */
  final class Backup implements RouterState {
    private final Instant since;
    private final Reason reason;

    /** Master_Adver_Interval: ours on entry; in v3 then the master's, from its adverts. */
    Duration masterAdverInterval;

    /**
     * Master_Down_Timer; null once it fired in a sync group: the router would be master and waits
     * until its group lets it ({@link Input.SyncGroupMaster}).
     */
    Instant masterDownTimer;

    /**
     * What a takeover when Master_Down_Timer fires is reported as: the master fell silent, resigned
     * (priority 0, so the timer was Skew_Time), or we discarded its adverts to preempt it.
     */
    Reason masterDownReason = Reason.MASTER_DOWN;

    /** The master we follow; null before its first advert, after it resigned or fell silent. */
    InetAddress masterAddress;

    /** When the last advert we followed arrived (priority 0 included): a failover's start. */
    Instant lastMasterAdvert;

    /** keepalived's preempt_delay: when we began tolerating the lower-priority master. */
    Instant lowerPriorityMasterSince;

    Backup(Instant since, Reason reason, Duration masterAdverInterval) {
      this.since = since;
      this.reason = reason;
      this.masterAdverInterval = masterAdverInterval;
    }

    /** Master_Down_Timer fired in a sync group, and the group has not decided yet. */
    boolean waitingForGroup() {
      return masterDownTimer == null;
    }

    @Override
    public State kind() {
      return State.BACKUP;
    }

    @Override
    public Instant since() {
      return since;
    }

    @Override
    public Reason reason() {
      return reason;
    }
  }

  /** RFC 5798 §6.4.3: advertising every Advertisement_Interval and holding the addresses. */
  final class Master implements RouterState {
    private final Instant since;
    private final Reason reason;

    /** Adver_Timer; pulled in when an answer waits for the end of the holdoff. */
    Instant adverTimer;

    /** The previous master's last advert we heard as Backup (for the failover duration). */
    final Instant previousMasterAdvert;

    /**
     * When we last answered a lower-priority or priority-0 advert: the answer holdoff starts there
     * ({@link VirtualRouter#ANSWER_HOLDOFF_FRACTION}).
     */
    Instant lastAnswer;

    /** A lower router is answered (and the addresses re-announced) when Adver_Timer fires. */
    boolean answerPending;

    /** A priority-0 advert held off by the holdoff is answered when Adver_Timer fires. */
    boolean resignationAnswerPending;

    Master(Instant since, Reason reason, Instant adverTimer, Instant previousMasterAdvert) {
      this.since = since;
      this.reason = reason;
      this.adverTimer = adverTimer;
      this.previousMasterAdvert = previousMasterAdvert;
    }

    /** Adver_Timer fires at {@code at} at the latest (an answer held off until then). */
    void pullAdverTimerIn(Instant at) {
      if (at.isBefore(adverTimer)) {
        adverTimer = at;
      }
    }

    @Override
    public State kind() {
      return State.MASTER;
    }

    @Override
    public Instant since() {
      return since;
    }

    @Override
    public Reason reason() {
      return reason;
    }
  }
}
