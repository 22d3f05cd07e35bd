package dev.floatip.operator;

import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events about VirtualIPs. VirtualIP is cluster-scoped, so the Events go to
 * namespace {@value #NAMESPACE}, as client-go's recorder puts them (tools/record/event.go,
 * makeEvent): kube-apiserver refuses a core/v1 Event about a cluster-scoped object in any other
 * namespace (pkg/apis/core/validation/events.go, legacyValidateEvent). {@code kubectl describe vip}
 * and {@code kubectl events} find them by involvedObject.
 *
 * <p>{@link EventCorrelator} decides per Event: create it, patch the earlier equal one (count,
 * lastTimestamp) or drop it (spam filter). The operator needs {@code events} create and patch in
 * {@value #NAMESPACE}. A failed write is logged, never a failed reconcile.
 */
@ApplicationScoped
public class EventRecorder {

  public static final String COMPONENT = "floatip-operator";

  /** Where Events about cluster-scoped objects go (metav1.NamespaceDefault). */
  public static final String NAMESPACE = "default";

  /** kube-apiserver's limit for reportingInstance (events.go, ReportingInstanceLengthLimit). */
  static final int REPORTING_INSTANCE_MAX = 128;

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final EventCorrelator correlator;
  private final String instance;

  @Inject
  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.correlator = new EventCorrelator(clock);
    String host = System.getenv().getOrDefault("HOSTNAME", COMPONENT);
    this.instance =
        host.length() > REPORTING_INSTANCE_MAX ? host.substring(0, REPORTING_INSTANCE_MAX) : host;
  }

  public void normal(VirtualIP vip, String reason, String message) {
    record(vip, "Normal", reason, message);
  }

  public void warning(VirtualIP vip, String reason, String message) {
    record(vip, "Warning", reason, message);
  }

  private synchronized void record(VirtualIP vip, String type, String reason, String message) {
    EventCorrelator.Action action =
        correlator.correlate(
            new EventCorrelator.Occurrence(
                vip.getMetadata().getName(), vip.getMetadata().getUid(), type, reason, message));
    try {
      switch (action) {
        case EventCorrelator.Create c ->
            create(event(vip, type, reason, c.name(), c.message(), c.count(), c.first(), c.last()));
        case EventCorrelator.Patch p -> {
          try {
            // patch a named stub: withName(..).patch(..) reads the Event first, a GET the
            // operator has no right to (the chart grants events create and patch only)
            Event stub =
                new EventBuilder()
                    .withNewMetadata()
                    .withName(p.name())
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .build();
            client
                .v1()
                .events()
                .inNamespace(NAMESPACE)
                .resource(stub)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patchBody(p));
          } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
              throw e;
            }
            // expired (kube-apiserver --event-ttl): write it anew, as client-go does
            create(event(vip, type, reason, p.name(), p.message(), p.count(), p.first(), p.last()));
          }
        }
        case EventCorrelator.Drop d ->
            LOG.debugf(
                "Event %s %s for VirtualIP %s dropped (spam filter)",
                type, reason, vip.getMetadata().getName());
      }
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "Event %s %s for VirtualIP %s not recorded: %s",
          type, reason, vip.getMetadata().getName(), e.getMessage());
    }
  }

  private void create(Event event) {
    client.v1().events().inNamespace(NAMESPACE).resource(event).create();
  }

  /** The JSON merge patch of an observed repeat: count, lastTimestamp, message. */
  String patchBody(EventCorrelator.Patch p) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", p.count());
    body.put("lastTimestamp", time(p.last()));
    body.put("message", p.message());
    return client.getKubernetesSerialization().asJson(body);
  }

  /** metav1.Time: RFC 3339, whole seconds. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  Event event(
      VirtualIP vip,
      String type,
      String reason,
      String name,
      String message,
      int count,
      Instant first,
      Instant last) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
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
        .withCount(count)
        .withFirstTimestamp(time(first))
        .withLastTimestamp(time(last))
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .build();
  }
}
