package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.crd.CrdFile;
import dev.floatip.api.v1alpha1.crd.CrdValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 16's keepalived examples (numeric script arguments, numeric process parameters, {@code
 * auth_pass 1234}): the printed YAML, read back as kubectl's YAML 1.1 reader and Jackson read it,
 * passes the CRD's schema, and every value stays a string.
 */
class ConvertApplyTest {

  private static final CrdValidator CRD = CrdValidator.load(CrdFile.COMMITTED);
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static final String NUMERIC =
      """
      vrrp_script 10 {
          script "/usr/local/bin/named_check testdns 0 1"
          interval 2
          weight -20
      }
      vrrp_track_process 53 {
          process named -p 53 -4
          quorum 1
          weight 10
      }
      vrrp_track_process 2048 {
          process 2048
      }
      vrrp_instance 51 {
          state MASTER
          interface eth0
          virtual_router_id 51
          priority 100
          advert_int 1
          authentication {
              auth_type PASS
              auth_pass 1234
          }
          virtual_ipaddress {
              192.0.2.10/24 dev eth0 label eth0:1
          }
          virtual_ipaddress_excluded {
              192.0.2.11/24
          }
          track_script {
              10
          }
          track_process {
              53
              2048
          }
          notify_master "/etc/keepalived/notify.sh 1 yes null 0x1F"
      }
      """;

  private List<JsonNode> printed(Conversion c) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (var it = YAML.readValues(YAML.createParser(c.yaml()), JsonNode.class)) {
      it.forEachRemaining(out::add);
    }
    List<JsonNode> yaml11 = new ArrayList<>();
    new Yaml(new LoaderOptions()).loadAll(c.yaml()).forEach(d -> yaml11.add(JSON.valueToTree(d)));
    assertThat(yaml11).as(c.yaml()).isEqualTo(out);
    assertThat(out)
        .as(c.yaml())
        .isEqualTo(c.documents().stream().map(Conversion.Document::tree).toList());
    return out;
  }

  private Conversion convert(boolean cluster) throws Exception {
    Path conf = tmp.resolve("keepalived.conf");
    Files.writeString(conf, NUMERIC);
    return Converter.convert(
        conf, new ConvertOptions("lb1", cluster, null, ConvertOptions.DEFAULT_NAMESPACE));
  }

  @Test
  void numericLookingValuesComeOutAsStringsTheCrdAccepts() throws Exception {
    for (boolean cluster : List.of(false, true)) {
      Conversion c = convert(cluster);
      List<JsonNode> docs = printed(c);
      JsonNode vip =
          docs.stream().filter(d -> d.path("kind").asText().equals("VirtualIP")).findFirst().get();
      assertThat(CRD.validate(vip)).as(c.yaml()).isEmpty();

      JsonNode spec = vip.path("spec");
      assertThat(spec.at("/addressLabels").toString()).isEqualTo("{\"192.0.2.10/24\":\"eth0:1\"}");
      assertThat(spec.at("/excludedAddresses").toString()).isEqualTo("[\"192.0.2.11/24\"]");
      assertThat(spec.at("/track/scripts/0/name").isTextual()).isTrue();
      assertThat(spec.at("/track/scripts/0/command").toString())
          .isEqualTo("[\"/usr/local/bin/named_check\",\"testdns\",\"0\",\"1\"]");
      assertThat(spec.at("/track/processes").toString()).contains("\"named -p 53 -4\"");
      assertThat(spec.at("/track/processes").toString()).contains("\"name\":\"2048\"");
      assertThat(spec.at("/notify/master").toString())
          .isEqualTo("[\"/etc/keepalived/notify.sh\",\"1\",\"yes\",\"null\",\"0x1F\"]");
      if (!cluster) {
        assertThat(spec.at("/authentication/password").isTextual()).isTrue();
        assertThat(spec.at("/authentication/password").asText()).isEqualTo("1234");
        assertThat(c.yaml()).contains("password: \"1234\"").contains("- \"0\"");
      } else {
        JsonNode secret =
            docs.stream().filter(d -> d.path("kind").asText().equals("Secret")).findFirst().get();
        assertThat(secret.toString()).contains("\"1234\"");
      }
    }
  }
}
