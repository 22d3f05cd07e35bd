package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.Schema;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.testing.MockApiServer;
import dev.floatip.testing.apiserver.Identity;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, defect 3: Events about a VirtualIP (cluster-scoped) are written to namespace default
 * (kube-apiserver refuses core/v1 Events about a cluster-scoped object elsewhere: 422), with create
 * for a new Event and a merge patch for a repeat. Against the strict test API server as the
 * operator's ServiceAccount under the chart's RBAC (events create and patch in default, nothing
 * else): a refused request fails the test.
 */
class EventRecorderTest {

  private MockApiServer api;
  private KubernetesClient client;
  private KubernetesClient admin;

  @BeforeEach
  void start() throws InterruptedException {
    api = MockApiServer.start();
    client = api.newClient(Identity.OPERATOR);
    admin = api.client();
    while (api.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
      // the set-up's requests
    }
  }

  @AfterEach
  void stop() {
    client.close();
    // a 404 is the expired Event's patch (anExpiredEventIsWrittenAnew); nothing else may fail
    assertThat(api.refusals())
        .as("requests the API server refused")
        .filteredOn(r -> !r.contains(": 404 NotFound:"))
        .isEmpty();
    api.close();
  }

  private final EventCorrelatorTest.FakeClock clock = new EventCorrelatorTest.FakeClock();

  private static VirtualIP vip(String name) {
    VirtualIP v = new VirtualIP();
    v.setMetadata(new ObjectMetaBuilder().withName(name).withUid("uid-" + name.length()).build());
    return v;
  }

  /** The next request that is not a read. */
  private RecordedRequest nextWrite() throws InterruptedException {
    RecordedRequest r = api.takeRequest(5, TimeUnit.SECONDS);
    while (r != null && r.getMethod().equals("GET")) {
      r = api.takeRequest(5, TimeUnit.SECONDS);
    }
    return r;
  }

  private List<Event> all() {
    return admin.v1().events().inAnyNamespace().list().getItems();
  }

  @Test
  void eventsGoToNamespaceDefaultAndARepeatIsPatched() throws InterruptedException {
    EventRecorder recorder = new EventRecorder(client, clock);
    VirtualIP web = vip("web");
    recorder.normal(web, "MasterChanged", "master: none -> n1");
    clock.advance(Duration.ofSeconds(42));
    recorder.normal(web, "MasterChanged", "master: none -> n1");

    List<Event> events = all();
    assertThat(events).hasSize(1);
    Event e = events.get(0);
    assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(e.getInvolvedObject().getNamespace()).isNull();
    assertThat(e.getInvolvedObject().getKind()).isEqualTo("VirtualIP");
    assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
    assertThat(e.getCount()).isEqualTo(2);
    assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-07T12:00:00Z");
    assertThat(e.getLastTimestamp()).isEqualTo("2026-12-07T12:00:42Z");
    assertThat(e.getSource().getComponent()).isEqualTo("floatip-operator");
    RecordedRequest create = nextWrite();
    assertThat(create.getMethod()).isEqualTo("POST");
    assertThat(create.getPath()).isEqualTo("/api/v1/namespaces/default/events");
    RecordedRequest patch = nextWrite();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getPath())
        .isEqualTo("/api/v1/namespaces/default/events/" + e.getMetadata().getName());
    assertThat(patch.getHeader("Content-Type")).startsWith("application/merge-patch+json");
  }

  @Test
  void aVirtualIPWithThe253CharacterMaximumNameGetsAValidEventName() {
    String name = "a".repeat(240) + ".example.org";
    assertThat(name).hasSize(252);
    new EventRecorder(client, clock).warning(vip(name), "SplitBrain", "n1, n2 report Master");
    Event e = all().get(0);
    assertThat(e.getMetadata().getName())
        .hasSizeLessThanOrEqualTo(253)
        .matches(Schema.DNS_SUBDOMAIN);
    assertThat(e.getInvolvedObject().getName()).isEqualTo(name);
  }

  @Test
  void anExpiredEventIsWrittenAnew() {
    EventRecorder recorder = new EventRecorder(client, clock);
    VirtualIP web = vip("web");
    recorder.normal(web, "Released", "every agent released the addresses");
    admin.v1().events().inNamespace("default").delete(); // the API server's event TTL
    clock.advance(Duration.ofMinutes(90));
    recorder.normal(web, "Released", "every agent released the addresses");
    assertThat(all()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
  }
}
