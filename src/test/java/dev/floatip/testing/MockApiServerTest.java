package dev.floatip.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.testing.apiserver.Identity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The strict test API server's wiring: identities, refusals, reads as kube-apiserver does them. */
class MockApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static MockApiServer api;

  @BeforeAll
  static void start() {
    api = MockApiServer.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static HttpResponse<String> raw(String token) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/nodes"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static VirtualIP vip(String name) {
    String yaml =
        """
        apiVersion: floatip.dev/v1alpha1
        kind: VirtualIP
        metadata: {name: %s}
        spec: {addresses: [192.0.2.9/24]}
        """
            .formatted(name);
    return api.client()
        .resources(VirtualIP.class)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .item();
  }

  @Test
  void noOrAnUnknownTokenIsUnauthorized() throws Exception {
    for (String token : new String[] {null, "not-a-token"}) {
      HttpResponse<String> r = raw(token);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).contains("\"reason\":\"Unauthorized\"").contains("\"kind\":\"Status\"");
    }
    assertThat(raw(Identity.ADMIN.token()).statusCode()).isEqualTo(200);
  }

  @Test
  void theChartsRbacIsInstalledAndEnforced() {
    KubernetesClient admin = api.client();
    assertThat(admin.serviceAccounts().inNamespace("floatip").withName("floatip-operator").get())
        .isNotNull();
    assertThat(admin.rbac().clusterRoles().withName("floatip-operator").get()).isNotNull();
    // the operator may read VirtualIPs but not create them; nobody installed the agents' RBAC
    KubernetesClient operator = api.client(Identity.OPERATOR);
    assertThat(operator.resources(VirtualIP.class).list().getItems()).isNotNull();
    assertThatThrownBy(() -> operator.resource(vip("by-operator")).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
        .hasMessageContaining(
            "User \"system:serviceaccount:floatip:floatip-operator\" cannot create resource"
                + " \"virtualips\" in API group \"floatip.dev\" at the cluster scope");
    assertThatThrownBy(() -> api.client(Identity.AGENT).resources(VirtualIP.class).list())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    assertThat(api.refusals()).anyMatch(l -> l.contains("floatip-agent") && l.contains("403"));
  }

  @Test
  void aRulesReviewAnswersTheCallersRules() {
    SelfSubjectRulesReview review =
        api.client(Identity.OPERATOR)
            .authorization()
            .v1()
            .selfSubjectRulesReview()
            .create(
                new SelfSubjectRulesReviewBuilder()
                    .withNewSpec()
                    .withNamespace("floatip")
                    .endSpec()
                    .build());
    assertThat(review.getStatus().getResourceRules())
        .anySatisfy(r -> assertThat(r.getResources()).contains("leases"))
        .anySatisfy(r -> assertThat(r.getResources()).contains("virtualips"));
  }

  @Test
  void theNodeNameFieldSelectorFiltersListsAndWatches() {
    api.createNamespace("fs");
    KubernetesClient admin = api.client();
    for (String node : List.of("n-a", "n-b")) {
      admin
          .pods()
          .inNamespace("fs")
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("p-" + node)
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName(node)
                  .addNewContainer()
                  .withName("c")
                  .withImage("busybox")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
    }
    assertThat(admin.pods().inAnyNamespace().withField("spec.nodeName", "n-a").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("p-n-a");
    try (SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> pods =
        admin.pods().inAnyNamespace().withField("spec.nodeName", "n-b").inform()) {
      await().atMost(WAIT).until(() -> pods.getStore().list().size() == 1);
      assertThat(pods.getStore().list().getFirst().getMetadata().getName()).isEqualTo("p-n-b");
    }
  }

  @Test
  void listsArePagedByLimitAndContinue() {
    KubernetesClient admin = api.client();
    List<String> mine = List.of("pg-1", "pg-2", "pg-3", "pg-4", "pg-5");
    for (String name : mine) {
      admin
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    try {
      List<String> seen = new java.util.ArrayList<>();
      java.util.Set<String> versions = new java.util.HashSet<>();
      String token = null;
      int pages = 0;
      do {
        io.fabric8.kubernetes.api.model.NodeList page =
            admin
                .nodes()
                .list(
                    new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                        .withLimit(2L)
                        .withContinue(token)
                        .build());
        assertThat(page.getItems()).hasSizeLessThanOrEqualTo(2);
        page.getItems().forEach(n -> seen.add(n.getMetadata().getName()));
        versions.add(page.getMetadata().getResourceVersion());
        token = page.getMetadata().getContinue();
        if (token != null) {
          assertThat(page.getItems()).hasSize(2);
          assertThat(page.getMetadata().getRemainingItemCount()).isPositive();
        }
        pages++;
      } while (token != null && pages < 100);
      assertThat(pages).isGreaterThanOrEqualTo(3); // at least the 5 nodes created here
      assertThat(seen).isSorted().doesNotHaveDuplicates().containsAll(mine);
      assertThat(seen).hasSameSizeAs(admin.nodes().list().getItems());
      assertThat(versions).as("every page carries the first page's resourceVersion").hasSize(1);

      // an informer listing page by page caches every Node
      try (SharedIndexInformer<Node> nodes = admin.nodes().withLimit(2L).inform()) {
        await()
            .atMost(WAIT)
            .until(() -> mine.stream().allMatch(n -> nodes.getStore().getByKey(n) != null));
      }

      assertThatThrownBy(
              () ->
                  admin
                      .nodes()
                      .list(
                          new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                              .withLimit(2L)
                              .withContinue("not-a-token")
                              .build()))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("continue key is not valid")
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(400));
    } finally {
      mine.forEach(n -> admin.nodes().withName(n).delete());
    }
  }

  /** A GET (served from what the last write stored) equals the object in a list (the store). */
  @Test
  void aReadAfterEachKindOfWriteSeesWhatTheStoreHolds() {
    KubernetesClient admin = api.client();
    VirtualIP v = vip("cached");
    v.getMetadata().setFinalizers(List.of("test.floatip.dev/hold"));
    var vips = admin.resources(VirtualIP.class);
    java.util.function.Consumer<String> same =
        step -> {
          VirtualIP got = vips.withName("cached").get();
          VirtualIP listed =
              vips.list().getItems().stream()
                  .filter(x -> x.getMetadata().getName().equals("cached"))
                  .findFirst()
                  .orElseThrow();
          assertThat(got).as(step).isEqualTo(listed);
        };
    admin.resource(v).create();
    same.accept("create");
    vips.withName("cached")
        .edit(
            x -> {
              x.getSpec().addresses().set(0, "192.0.2.10/24");
              return x;
            });
    same.accept("update");
    vips.withName("cached")
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"virtualRouterId\":7}}");
    same.accept("status patch");
    assertThat(vips.withName("cached").get().getStatus().virtualRouterId()).isEqualTo(7);
    vips.withName("cached").delete();
    same.accept("delete held by a finalizer");
    assertThat(vips.withName("cached").get().getMetadata().getDeletionTimestamp()).isNotNull();
    vips.withName("cached")
        .edit(
            x -> {
              x.getMetadata().setFinalizers(List.of());
              return x;
            });
    await().atMost(WAIT).until(() -> vips.withName("cached").get() == null);
  }

  @Test
  void aWatchFromACompactedVersionIsExpiredAndInformersRelist() throws Exception {
    KubernetesClient admin = api.client();
    admin.resource(vip("before")).create();
    try (SharedIndexInformer<VirtualIP> vips = admin.resources(VirtualIP.class).inform();
        SharedIndexInformer<Node> nodes = admin.nodes().inform()) {
      await().atMost(WAIT).until(() -> vips.getStore().getByKey("before") != null);
      String old = vips.lastSyncResourceVersion();

      int expiredBefore = api.expiredWatches();
      api.compact();
      admin.resource(vip("after")).create();
      admin
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName("late").endMetadata().build())
          .create();
      await().atMost(WAIT).until(() -> vips.getStore().getByKey("after") != null);
      await().atMost(WAIT).until(() -> nodes.getStore().getByKey("late") != null);
      // both informers' re-watches from before the compaction were expired: they listed again
      assertThat(api.expiredWatches()).isGreaterThanOrEqualTo(expiredBefore + 2);

      // what a watch from before the compaction is told
      try (HttpClient http = HttpClient.newHttpClient()) {
        var ws =
            http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + Identity.ADMIN.token())
                .buildAsync(
                    URI.create(
                        api.url().replace("http:", "ws:")
                            + "/apis/floatip.dev/v1alpha1/virtualips?watch=true&resourceVersion="
                            + old),
                    new java.net.http.WebSocket.Listener() {
                      final StringBuilder text = new StringBuilder();

                      @Override
                      public java.util.concurrent.CompletionStage<?> onText(
                          java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                          EXPIRED.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                      }
                    })
                .get();
        assertThat(EXPIRED.get(10, java.util.concurrent.TimeUnit.SECONDS))
            .contains("\"type\":\"ERROR\"")
            .contains("\"code\":410")
            .contains("\"reason\":\"Expired\"")
            .contains("too old resource version: " + old);
        ws.abort();
      }
    } finally {
      admin.resources(VirtualIP.class).withName("before").delete();
      admin.resources(VirtualIP.class).withName("after").delete();
    }
  }

  private static final java.util.concurrent.CompletableFuture<String> EXPIRED =
      new java.util.concurrent.CompletableFuture<>();

  @Test
  void kubeconfigsCarryTheIdentitysToken() {
    assertThat(api.kubeconfig(Identity.OPERATOR))
        .contains("token: " + Identity.OPERATOR.token())
        .contains("server: " + api.url());
    assertThat(MockApiServer.options("--kubeconfig-out", "agent=/tmp/a", "--kubeconfig-out", "/x"))
        .containsEntry("--kubeconfig-out", List.of("agent=/tmp/a", "/x"));
  }
}
