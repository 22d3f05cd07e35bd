package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.crd.CrdValidator;
import dev.floatip.config.Mode;
import dev.floatip.config.VirtualIPValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * hack/kind-e2e.sh cannot run here (no Docker); its VirtualIP is admitted by the CRD and the
 * validator, and its dry run (which hack/test.sh also runs) prints every step of the plan.
 */
class KindE2eTest {

  private static final Path VIP = Path.of("hack/e2e/virtualip.yaml");

  @Test
  void theE2eVirtualIPIsValidAndUsesADocumentationAddress() throws IOException {
    Rendered r = Rendered.parse(Files.readString(VIP));
    JsonNode vip = r.one(VirtualIP.KIND);
    CrdValidator crd = CrdValidator.load(Path.of("crds", "virtualips.floatip.dev.yaml"));
    assertThat(crd.validate(vip)).as("%s against the CRD", VIP).isEmpty();
    assertThat(VirtualIPValidator.validate(r.as(vip, VirtualIP.class), Mode.CLUSTER))
        .as("%s against VirtualIPValidator", VIP)
        .isEmpty();
    // DESIGN §6: test addresses only from the documentation ranges
    assertThat(vip.at("/spec/addresses/0").asText()).startsWith("192.0.2.");
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
        .contains("apply -f hack/e2e/virtualip.yaml")
        .contains("docker stop plan-check-worker")
        .contains("status.master is plan-check-worker2")
        .contains("no node holds 192.0.2.240")
        .contains("kind delete cluster --name plan-check")
        .contains("dry run: nothing was executed");
  }
}
