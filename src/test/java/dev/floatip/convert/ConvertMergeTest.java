package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.BasePriority;
import dev.floatip.config.ConfigFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configs of a keepalived pair, one per host, merged into one set of VirtualIPs. */
class ConvertMergeTest {

  private static final Path CORPUS = ConvertCorpusTest.CORPUS;

  private static Conversion host(String node, String file) throws ConfSyntaxError {
    return Converter.convert(
        CORPUS.resolve(file),
        new ConvertOptions(node, false, null, ConvertOptions.DEFAULT_NAMESPACE));
  }

  private static JsonNode vip(Conversion c, String name) {
    return c.documents().stream()
        .map(Conversion.Document::tree)
        .filter(t -> t.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void pairBecomesOneVirtualIPPerInstanceWithBothPriorities() throws Exception {
    Conversion merged =
        Merge.merge(
            List.of(
                new Merge.Host("lb1", host("lb1", "lb1.conf")),
                new Merge.Host("lb2", host("lb2", "lb2.conf"))));

    assertThat(merged.documents()).hasSize(4);
    JsonNode web = vip(merged, "vi-web");
    assertThat(web.at("/spec/priority").toString())
        .isEqualTo("{\"nodes\":{\"lb1\":150,\"lb2\":100}}");
    assertThat(web.at("/spec/transport/peers").toString())
        .isEqualTo("[\"192.0.2.11\",\"192.0.2.12\"]");
    assertThat(vip(merged, "vi-dns").at("/spec/priority/nodes").toString())
        .isEqualTo("{\"lb1\":120,\"lb2\":110}");
    assertThat(web.at("/metadata/annotations").path(Conversion.SOURCE_ANNOTATION).asText())
        .contains("lb1.conf:57")
        .contains("lb2.conf:57");
    // the hosts' mail senders differ: reported, the first host's kept
    assertThat(merged.warnings())
        .extracting(ConvertWarning::toString)
        .contains(
            CORPUS.resolve("lb2.conf")
                + ":57: merge: vi-web: spec.notify on lb2 differs; the first host's is used");
    assertThat(web.at("/spec/notify/mail/from").asText()).isEqualTo("keepalived-lb1@example.org");

    ConfigFile.Result loaded = ConfigFile.parse("merged.yaml", merged.yaml());
    assertThat(loaded).as(merged.yaml()).isInstanceOf(ConfigFile.Loaded.class);
    VirtualIP loadedWeb = ((ConfigFile.Loaded) loaded).virtualIPs().getFirst();
    assertThat(BasePriority.of(loadedWeb.getSpec().priority(), "lb1")).isEqualTo(150);
    assertThat(BasePriority.of(loadedWeb.getSpec().priority(), "lb2")).isEqualTo(100);
  }

  @Test
  void anInstanceOnOnlySomeHostsIsReported() throws Exception {
    Conversion merged =
        Merge.merge(
            List.of(
                new Merge.Host("a", host("a", "ipv6.conf")),
                new Merge.Host("b", host("b", "unsupported.conf"))));

    assertThat(merged.warnings())
        .extracting(ConvertWarning::toString)
        .contains(
            CORPUS.resolve("ipv6.conf")
                + ":2: vrrp_instance: only on a: every node that loads the result takes part"
                + " (priority.default where it is not listed)");
  }
}
