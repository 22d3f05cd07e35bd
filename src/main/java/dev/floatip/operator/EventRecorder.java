package dev.floatip.operator;

import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events about VirtualIPs. VirtualIP is cluster-scoped, so the Events go to the
 * operator's namespace ({@code kubectl describe vip} and {@code kubectl get events -A} find them by
 * involvedObject). A failed Event is logged, never a failed reconcile.
 */
@ApplicationScoped
public class EventRecorder {

  public static final String COMPONENT = "floatip-operator";

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final AtomicLong SEQ = new AtomicLong();

  private final KubernetesClient client;
  private final OperatorConfig cfg;
  private final Clock clock;

  @Inject
  public EventRecorder(KubernetesClient client, OperatorConfig cfg, Clock clock) {
    this.client = client;
    this.cfg = cfg;
    this.clock = clock;
  }

  public void normal(VirtualIP vip, String reason, String message) {
    record(vip, "Normal", reason, message);
  }

  public void warning(VirtualIP vip, String reason, String message) {
    record(vip, "Warning", reason, message);
  }

  private void record(VirtualIP vip, String type, String reason, String message) {
    String now = clock.instant().toString();
    String name =
        vip.getMetadata().getName()
            + "."
            + Long.toHexString(clock.millis()).toLowerCase(Locale.ROOT)
            + Long.toHexString(SEQ.incrementAndGet());
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(cfg.namespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(VirtualIP.API_VERSION)
            .withKind(VirtualIP.KIND)
            .withName(vip.getMetadata().getName())
            .withUid(vip.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(System.getenv().getOrDefault("HOSTNAME", COMPONENT))
            .build();
    try {
      client.v1().events().inNamespace(cfg.namespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "Event %s %s for VirtualIP %s not recorded: %s", type, reason, name, e.getMessage());
    }
  }
}
