package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.crd.CrdFile;
import dev.floatip.api.v1alpha1.crd.CrdValidator;
import dev.floatip.config.ConfigFile;
import dev.floatip.config.Mode;
import dev.floatip.config.VirtualIPValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus in {@code src/test/resources/keepalived/}: every config converts to YAML that the
 * standalone agent loads unchanged and that the CRD admits with {@code --cluster}; what cannot be
 * carried over is a warning naming file, line and keyword; malformed configs fail naming the line.
 */
class ConvertCorpusTest {

  static final Path CORPUS = Path.of("src", "test", "resources", "keepalived");
  private static final CrdValidator CRD = CrdValidator.load(CrdFile.COMMITTED);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path tmp;

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<Path> list = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
      assertThat(list).hasSizeGreaterThanOrEqualTo(3);
      return list.stream();
    }
  }

  private static Conversion convert(Path file, ConvertOptions options) throws ConfSyntaxError {
    return Converter.convert(file, options);
  }

  private static ConvertOptions standalone(String node, Path passwordDir) {
    return new ConvertOptions(node, false, passwordDir, ConvertOptions.DEFAULT_NAMESPACE);
  }

  private static ConvertOptions cluster(String node) {
    return new ConvertOptions(node, true, null, ConvertOptions.DEFAULT_NAMESPACE);
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void standaloneOutputLoadsInTheAgent(Path file) throws Exception {
    for (ConvertOptions options :
        List.of(standalone(null, null), standalone("lb1", tmp.resolve("secrets")))) {
      Conversion c = convert(file, options);
      for (var p : c.passwordFiles().entrySet()) {
        Files.createDirectories(p.getKey().getParent());
        Files.writeString(p.getKey(), p.getValue() + "\n");
      }

      ConfigFile.Result loaded = ConfigFile.parse("converted.yaml", c.yaml());

      assertThat(loaded).as(c.yaml()).isInstanceOf(ConfigFile.Loaded.class);
      assertThat(c.yaml()).doesNotContain("null");
    }
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void clusterOutputPassesTheCrdSchemaAndTheValidator(Path file) throws Exception {
    Conversion c = convert(file, cluster("node-a"));
    // what kubectl reads: the printed YAML, not the tree it was printed from
    List<JsonNode> printed = new ArrayList<>();
    try (var docs = YAML.readValues(YAML.createParser(c.yaml()), JsonNode.class)) {
      docs.forEachRemaining(printed::add);
    }
    assertThat(printed).hasSameSizeAs(c.documents());

    for (JsonNode d : printed) {
      if (d.path("kind").asText().equals("VirtualIP")) {
        assertThat(CRD.validate(d)).as(c.yaml()).isEmpty();
        VirtualIP vip = JSON.treeToValue(d, VirtualIP.class);
        assertThat(VirtualIPValidator.validate(vip, Mode.CLUSTER)).isEmpty();
      } else {
        assertThat(d.path("kind").asText()).isEqualTo("Secret");
      }
    }
  }

  private static JsonNode vip(Conversion c, String name) {
    return c.documents().stream()
        .map(Conversion.Document::tree)
        .filter(t -> t.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no document " + name));
  }

  private static JsonNode spec(Conversion c, String name) {
    return vip(c, name).path("spec");
  }

  @Test
  void loadBalancerPairCarriesEveryVrrpFeatureOver() throws Exception {
    Conversion c = convert(CORPUS.resolve("lb1.conf"), standalone("lb1", null));

    assertThat(c.documents())
        .extracting(d -> d.tree().at("/metadata/name").asText())
        .containsExactly("vi-web", "vi-web-internal", "vi-dns", "vi-mail");
    JsonNode web = spec(c, "vi-web");
    assertThat(web.path("virtualRouterId").asInt()).isEqualTo(51);
    assertThat(web.path("version").asInt()).isEqualTo(2);
    assertThat(web.at("/priority/nodes/lb1").asInt()).isEqualTo(150);
    assertThat(web.at("/transport/mode").asText()).isEqualTo("Unicast");
    assertThat(web.at("/transport/peers").toString()).isEqualTo("[\"192.0.2.11\",\"192.0.2.12\"]");
    assertThat(web.at("/authentication/password").asText()).isEqualTo("s3cret");
    assertThat(web.at("/addresses").toString())
        .isEqualTo("[\"192.0.2.100/24\",\"192.0.2.244/24\"]");
    assertThat(web.at("/addressLabels").toString()).isEqualTo("{\"192.0.2.244/24\":\"eth0:10\"}");
    assertThat(web.at("/syncGroup").asText()).isEqualTo("WEB");
    // "</dev/tcp/127.0.0.1/80" is the built-in TCP check, keepalived's defaults written out
    assertThat(web.at("/track/tcp/0").toString())
        .isEqualTo(
            "{\"name\":\"chk_haproxy_port\",\"address\":\"127.0.0.1:80\",\"timeout\":\"2s\","
                + "\"interval\":\"2s\",\"rise\":2,\"fall\":3,\"weight\":0}");
    assertThat(web.at("/track/interfaces/0").toString())
        .isEqualTo("{\"name\":\"eth0\",\"weight\":0}");
    assertThat(web.at("/notify/master").toString())
        .isEqualTo("[\"/etc/keepalived/notify.sh\",\"MASTER\",\"web\"]");
    assertThat(web.at("/notify/command").toString())
        .isEqualTo("[\"/etc/keepalived/notify-all.sh\"]");
    assertThat(web.at("/notify/mail").toString())
        .isEqualTo(
            "{\"smtpServer\":\"192.0.2.25:587\",\"from\":\"keepalived-lb1@example.org\",\"to\":"
                + "[\"ops@example.org\",\"oncall@example.org\"],\"heloName\":\"lb1.example.org\","
                + "\"connectTimeout\":\"10s\"}");
    assertThat(web.at("/gratuitousArp").toString())
        .isEqualTo("{\"delay\":\"2s\",\"repeat\":5,\"refresh\":\"60s\"}");
    assertThat(spec(c, "vi-web-internal").at("/notify/master").toString())
        .isEqualTo("[\"/etc/keepalived/group.sh\",\"master\"]");

    JsonNode dns = spec(c, "vi-dns");
    assertThat(dns.at("/addresses").toString())
        .isEqualTo("[\"192.0.2.53/24\",\"2001:db8::53/64\"]");
    assertThat(dns.path("version").asInt()).isEqualTo(3);
    assertThat(dns.path("preempt").asBoolean()).isFalse();
    assertThat(dns.has("preemptDelay")).isFalse();
    assertThat(dns.at("/transport/mode").asText()).isEqualTo("Multicast");
    assertThat(dns.at("/track/scripts/0/command").toString())
        .isEqualTo("[\"systemctl\",\"is-active\",\"--quiet\",\"nginx\"]");
    assertThat(dns.at("/track/scripts/0/weight").asInt()).isEqualTo(-30);
    assertThat(dns.at("/track/scripts/0/timeout").asText()).isEqualTo("3s");
    assertThat(dns.at("/track/scripts/1/weight").asInt())
        .as("track_script override")
        .isEqualTo(-20);
    assertThat(dns.at("/track/processes/0").toString())
        .isEqualTo("{\"name\":\"haproxy\",\"quorum\":2,\"weight\":20}");
    assertThat(dns.at("/track/files/0").toString())
        .isEqualTo("{\"path\":\"/run/keepalived/prio\",\"weight\":10}");
    assertThat(c.yaml())
        .contains(
            "      # keepalived: systemctl is-active --quiet nginx (kept as a script: it needs the"
                + " host's systemd, so not from a pod)\n      - name: chk_nginx\n");

    JsonNode mail = spec(c, "vi-mail");
    assertThat(mail.path("preemptDelay").asText()).isEqualTo("30s");
    assertThat(mail.at("/gratuitousArp/repeat").asInt()).isEqualTo(3);
    assertThat(vip(c, "vi-mail").at("/metadata/annotations").toString()).contains("mail.conf:2");
  }

  @Test
  void warningsNameFileLineAndKeywordAndLandOnTheResource() throws Exception {
    Conversion c = convert(CORPUS.resolve("lb1.conf"), standalone(null, null));

    assertThat(c.warnings())
        .extracting(ConvertWarning::toString)
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        CORPUS.resolve("lb1.conf")
                            + ":108: virtual_ipaddress_excluded: 2001:db8::53/64: no IPv6 address"
                            + " in virtual_ipaddress to move it with"));
    String annotation =
        vip(c, "vi-dns").at("/metadata/annotations").path(Conversion.WARNINGS_ANNOTATION).asText();
    assertThat(annotation).contains("lb1.conf:108: virtual_ipaddress_excluded:");
    assertThat(vip(c, "vi-mail").at("/metadata/annotations").has(Conversion.WARNINGS_ANNOTATION))
        .isFalse();
  }

  @Test
  void labelsAndExcludedAddressesCarryOver() throws Exception {
    Path conf = tmp.resolve("keepalived.conf");
    Files.writeString(
        conf,
        """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 9
            virtual_ipaddress {
                192.0.2.10/24 dev eth0 label eth0:10
                2001:db8::10/64 label eth0:6
            }
            virtual_ipaddress_excluded {
                192.0.2.11/24 label eth0:11
                192.0.2.12/24 label eth1:12
            }
        }
        """);
    Conversion c = convert(conf, cluster("node-a"));

    JsonNode spec = spec(c, "vi-1");
    assertThat(spec.at("/addresses").toString())
        .isEqualTo("[\"192.0.2.10/24\",\"2001:db8::10/64\"]");
    assertThat(spec.at("/excludedAddresses").toString())
        .isEqualTo("[\"192.0.2.11/24\",\"192.0.2.12/24\"]");
    assertThat(spec.at("/addressLabels").toString())
        .isEqualTo("{\"192.0.2.10/24\":\"eth0:10\",\"192.0.2.11/24\":\"eth0:11\"}");
    assertThat(c.warnings())
        .extracting(ConvertWarning::toString)
        .anySatisfy(w -> assertThat(w).contains(":6: label: IPv6 addresses have no label"))
        .anySatisfy(w -> assertThat(w).contains(":10: label: eth1:12: a label is at most 15"));
    assertThat(CRD.validate(vip(c, "vi-1"))).isEmpty();
  }

  @Test
  void trackFilesTheValidatorRefusesWarnAndAreLeftOut() throws Exception {
    Path conf = tmp.resolve("keepalived.conf");
    Files.writeString(
        conf,
        """
        track_file shadow {
            file /etc/shadow
        }
        track_file relative {
            file run/prio
        }
        track_file kept {
            file /etc/keepalived/prio
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 100
            virtual_ipaddress {
                192.0.2.100/24
            }
            track_file {
                shadow
                relative
                kept
            }
        }
        """);

    for (ConvertOptions options : List.of(standalone(null, null), cluster("node-a"))) {
      Conversion c = convert(conf, options);

      assertThat(c.warnings())
          .extracting(w -> w.at().line() + " " + w.keyword() + ": " + w.message())
          .containsExactly(
              "1 track_file: /etc/shadow must not be under /etc (a system path); use"
                  + " /etc/keepalived or /etc/floatip; not converted",
              "4 track_file: run/prio must be an absolute path; not converted");
      JsonNode files = spec(c, "vi-1").at("/track/files");
      assertThat(files.size()).isEqualTo(1);
      assertThat(files.get(0).path("path").asText()).isEqualTo("/etc/keepalived/prio");
    }
    Conversion c = convert(conf, cluster("node-a"));
    VirtualIP vip = JSON.treeToValue(vip(c, "vi-1"), VirtualIP.class);
    assertThat(VirtualIPValidator.validate(vip, Mode.CLUSTER)).isEmpty();
    assertThat(ConfigFile.parse("converted.yaml", convert(conf, standalone(null, null)).yaml()))
        .isInstanceOf(ConfigFile.Loaded.class);
  }

  @Test
  void everythingThatCannotBeCarriedOverWarns() throws Exception {
    Conversion c = convert(CORPUS.resolve("unsupported.conf"), standalone(null, null));

    assertThat(c.warnings())
        .extracting(w -> w.at().line() + " " + w.keyword())
        .containsExactly(
            "4 vrrp_strict",
            "5 vrrp_garp_interval",
            "6 enable_snmp_vrrp",
            "9 reverse",
            "17 use_vmac",
            "19 priority",
            "21 authentication",
            "26 brd",
            "28 virtual_routes",
            "31 static_routes",
            "34 track_bfd",
            "39 track_script",
            "41 unicast_src_ip",
            "42 frobnicate",
            "45 virtual_server",
            "55 bfd_instance");
    JsonNode owner = spec(c, "vi-owner");
    assertThat(owner.at("/priority/default").asInt()).isEqualTo(254);
    assertThat(owner.has("authentication")).isFalse();
    assertThat(owner.has("track")).isFalse();
  }

  @Test
  void ipv6InstancesUseVersion3AndFractionalAdverts() throws Exception {
    Conversion c = convert(CORPUS.resolve("ipv6.conf"), standalone(null, null));

    JsonNode v6 = spec(c, "v6");
    assertThat(v6.path("version").asInt()).isEqualTo(3);
    assertThat(v6.path("advertisementInterval").asText()).isEqualTo("500ms");
    assertThat(v6.at("/track/interfaces/0/weight").asInt()).isEqualTo(-50);
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void passwordsGoToASecretInAClusterAndToAFileStandalone() throws Exception {
    Conversion cl = convert(CORPUS.resolve("lb1.conf"), cluster(null));

    assertThat(spec(cl, "vi-web").at("/authentication/passwordSecretRef").toString())
        .isEqualTo(
            "{\"name\":\"vi-web-vrrp-password\",\"key\":\"password\",\"namespace\":\"floatip\"}");
    JsonNode secret = cl.documents().getLast().tree();
    assertThat(secret.toString())
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"vi-web-vrrp-password\","
                + "\"namespace\":\"floatip\"},\"type\":\"Opaque\",\"stringData\":{\"password\":\"s3cret\"}}");

    Path dir = tmp.resolve("pw").toAbsolutePath();
    Conversion sa = convert(CORPUS.resolve("lb1.conf"), standalone(null, dir));

    assertThat(spec(sa, "vi-web").at("/authentication/passwordFile").asText())
        .isEqualTo(dir.resolve("vi-web.password").toString());
    assertThat(sa.passwordFiles()).isEqualTo(Map.of(dir.resolve("vi-web.password"), "s3cret"));
  }

  @ParameterizedTest
  @CsvSource({
    "missing-brace.conf, 1, is never closed (missing",
    "stray-brace.conf, 7, without a matching",
    "unterminated-quote.conf, 2, unterminated quoted string",
    "bad-priority.conf, 3, is not a whole number",
    "no-vrid.conf, 1, virtual_router_id is required",
    "missing-include.conf, 1, include: /nonexistent/keepalived-extra.conf: no such file",
    "bad-address.conf, 4, 192.0.2.300/24",
    "vrid-range.conf, 2, virtual_router_id: 256 is out of range 1..255",
    "self-include.conf, 1, includes itself",
    "duplicate-instance.conf, 5, vrrp_instance VI_1 is defined twice",
  })
  void malformedConfigsFailNamingFileAndLine(String file, int line, String message) {
    Path path = CORPUS.resolve("malformed").resolve(file);

    assertThatThrownBy(() -> convert(path, standalone(null, null)))
        .isInstanceOf(ConfSyntaxError.class)
        .hasMessageStartingWith(path + ":" + line + ": ")
        .hasMessageContaining(message);
  }
}
