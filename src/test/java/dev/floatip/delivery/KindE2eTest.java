package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.crd.CrdValidator;
import dev.floatip.config.Mode;
import dev.floatip.config.VirtualIPValidator;
import dev.floatip.operator.SecretNamespaces;
import dev.floatip.operator.model.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * hack/kind-e2e.sh cannot run here (no Docker); its VirtualIPs are admitted by the CRD, the
 * validator and the operator's Secret namespace check, and its dry run (which hack/test.sh also
 * runs) prints every step of the plan, including what only a real cluster proves (issue 11).
 */
class KindE2eTest {

  private static final Path VIP = Path.of("hack/e2e/virtualip.yaml");
  private static final Path V2 = Path.of("hack/e2e/virtualip-v2.yaml");
  private static final Path OTHER = Path.of("hack/e2e/virtualip-other.yaml");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hack/e2e/virtualip.yaml",
        "hack/e2e/virtualip-v2.yaml",
        "hack/e2e/virtualip-other.yaml"
      })
  void theE2eVirtualIPsAreValidAndUseDocumentationAddresses(String file) throws IOException {
    Path path = Path.of(file);
    Rendered r = Rendered.parse(Files.readString(path));
    JsonNode vip = r.one(VirtualIP.KIND);
    CrdValidator crd = CrdValidator.load(Path.of("crds", "virtualips.floatip.dev.yaml"));
    assertThat(crd.validate(vip)).as("%s against the CRD", path).isEmpty();
    VirtualIP typed = r.as(vip, VirtualIP.class);
    assertThat(VirtualIPValidator.validate(typed, Mode.CLUSTER))
        .as("%s against VirtualIPValidator", path)
        .isEmpty();
    // the operator of the default install (namespace floatip) accepts its Secret reference
    assertThat(SecretNamespaces.check(typed, OperatorConfig.defaults().withNamespace("floatip")))
        .isEmpty();
    // DESIGN §6: test addresses only from the documentation ranges
    assertThat(vip.at("/spec/addresses/0").asText()).startsWith("192.0.2.");
  }

  @Test
  void theVrrpV2VirtualIPReadsItsPasswordFromASecretInTheReleaseNamespace() throws IOException {
    Rendered r = Rendered.parse(Files.readString(V2));
    JsonNode secret = r.one("Secret");
    JsonNode vip = r.one(VirtualIP.KIND);
    assertThat(vip.at("/spec/version").asInt()).isEqualTo(2);
    JsonNode ref = vip.at("/spec/authentication/passwordSecretRef");
    assertThat(ref.get("name").asText()).isEqualTo(secret.at("/metadata/name").asText());
    assertThat(ref.has("namespace")).as("default: the release namespace").isFalse();
    assertThat(secret.at("/metadata/namespace").asText()).isEqualTo(Helm.NAMESPACE);
    assertThat(secret.at("/stringData").has(ref.get("key").asText())).isTrue();
    // the second VirtualIP selects other nodes than the first
    assertThat(Rendered.parse(Files.readString(OTHER)).one(VirtualIP.KIND).at("/spec/nodeSelector"))
        .isNotEqualTo(
            Rendered.parse(Files.readString(VIP)).one(VirtualIP.KIND).at("/spec/nodeSelector"));
  }

  @Test
  void dryRunPrintsThePlanAndRunsNothing() throws IOException {
    Helm.Result r =
        Helm.run(List.of("hack/kind-e2e.sh", "--dry-run"), Map.of("CLUSTER", "plan-check"));
    assertThat(r.exit()).as("hack/kind-e2e.sh --dry-run:\n%s%s", r.out(), r.err()).isZero();
    assertThat(r.out())
        .contains("kind create cluster --name plan-check")
        .contains("docker build -f src/main/docker/Dockerfile")
        .contains("kind load docker-image")
        .contains("install floatip helm/floatip --namespace floatip")
        .contains("--set operator.replicas=2")
        .contains("apply -f hack/e2e/virtualip.yaml")
        // VRRPv2 with passwordSecretRef
        .contains("apply -f hack/e2e/virtualip-v2.yaml")
        .contains("VirtualIP e2e-v2 is Active")
        .contains("holds 192.0.2.241")
        // the operator's Events
        .contains("-n default events")
        .contains("kubectl events shows MasterChanged for virtualip/e2e")
        // a disk-pressure taint on the master changes nothing
        .contains("taint node plan-check-worker node.kubernetes.io/disk-pressure:NoSchedule")
        .contains("plan-check-worker stays master of e2e and the only holder of 192.0.2.240")
        // leader kill, then the new leader reconciles a second VirtualIP (added and removed)
        .contains("-n floatip delete pod")
        .contains("holds Lease floatip-operator")
        .contains("apply -f hack/e2e/virtualip-other.yaml")
        .contains("the agent DaemonSet is unchanged (generation GENERATION)")
        .contains("the agent DaemonSet is still unchanged (generation GENERATION)")
        .contains("delete -f hack/e2e/virtualip-other.yaml")
        .contains("no node holds 192.0.2.242")
        // helm upgrade applies a changed CRD; uninstall keeps it
        .contains("upgrade floatip")
        .contains("CRD virtualips.floatip.dev has the UpgradeCheck column")
        .contains("helm.sh/resource-policy: keep")
        // failover and deletion
        .contains("docker stop plan-check-worker")
        .contains("status.master is plan-check-worker2")
        .contains("no node holds 192.0.2.240")
        .contains("kind delete cluster --name plan-check")
        .contains("dry run: nothing was executed");
    // the upgrade comes before the failover (a stopped node would hold helm's --wait)
    assertThat(r.out().indexOf("upgrade floatip")).isLessThan(r.out().indexOf("docker stop"));
  }
}
