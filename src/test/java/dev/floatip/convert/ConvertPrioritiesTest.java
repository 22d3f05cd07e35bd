package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.BasePriority;
import dev.floatip.config.ConfigFile;
import dev.floatip.tracking.CheckKind;
import dev.floatip.tracking.CheckState;
import dev.floatip.tracking.Effective;
import dev.floatip.tracking.PriorityCalculator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Converting and then running gives the priority keepalived computes. Each row is a keepalived
 * config, what its trackers observe, and the effective priority keepalived.conf(5) documents for
 * that (or FAULT); the converted VirtualIP is loaded as the agent loads it and its priority is
 * computed by the agent's {@link PriorityCalculator}.
 */
class ConvertPrioritiesTest {

  private static final String NODE = "node-a";

  @TempDir Path tmp;

  /**
   * @param defs definitions before the instance
   * @param body statements of the instance besides VRID and addresses
   * @param observed {@code kind:name} → {@code ok}, {@code fail} or a file's integer; unlisted
   *     trackers are ok; {@code dropped} names a tracker keepalived ignores (it must be left out)
   * @param keepalived keepalived's effective priority, or {@code FAULT}
   */
  static Stream<Arguments> table() {
    String chk = "vrrp_script chk {\n script \"/usr/bin/test -f /run/ok\"\n %s\n}\n";
    return Stream.of(
        row(
            "script weight 0 fails: FAULT",
            chk.formatted(""),
            "priority 100\n track_script {\n chk\n }",
            Map.of("script:chk", "fail"),
            "FAULT"),
        row(
            "script weight 0 ok: base",
            chk.formatted(""),
            "priority 100\n track_script {\n chk\n }",
            Map.of(),
            "100"),
        row(
            "negative weight applies while failing",
            chk.formatted("weight -30"),
            "priority 100\n track_script {\n chk\n }",
            Map.of("script:chk", "fail"),
            "70"),
        row(
            "negative weight: nothing while ok",
            chk.formatted("weight -30"),
            "priority 100\n track_script {\n chk\n }",
            Map.of(),
            "100"),
        row(
            "positive weight applies while ok",
            chk.formatted("weight 20"),
            "priority 100\n track_script {\n chk\n }",
            Map.of(),
            "120"),
        row(
            "positive weight: nothing while failing",
            chk.formatted("weight 20"),
            "priority 100\n track_script {\n chk\n }",
            Map.of("script:chk", "fail"),
            "100"),
        row(
            "track_script weight overrides the script's",
            chk.formatted("weight -10"),
            "priority 100\n track_script {\n chk weight -50\n }",
            Map.of("script:chk", "fail"),
            "50"),
        row(
            "track_script weight 0 overrides to FAULT",
            chk.formatted("weight -10"),
            "priority 100\n track_script {\n chk weight 0\n }",
            Map.of("script:chk", "fail"),
            "FAULT"),
        row(
            "/dev/tcp script is a TCP check, weight 0",
            "vrrp_script web {\n script \"</dev/tcp/127.0.0.1/80\"\n}\n",
            "priority 100\n track_script {\n web\n }",
            Map.of("tcp:web", "fail"),
            "FAULT"),
        row(
            "file weight defaults to 1",
            "track_file f {\n file /run/prio\n}\n",
            "priority 100\n track_file {\n f\n }",
            Map.of("file:/run/prio", "15"),
            "115"),
        row(
            "file value times track weight",
            "track_file f {\n file /run/prio\n}\n",
            "priority 100\n track_file {\n f weight 10\n }",
            Map.of("file:/run/prio", "3"),
            "130"),
        row(
            "file value times weight below -253: FAULT",
            "track_file f {\n file /run/prio\n weight 10\n}\n",
            "priority 100\n track_file {\n f\n }",
            Map.of("file:/run/prio", "-30"),
            "FAULT"),
        row(
            "file weight 0, non-zero value: FAULT",
            "track_file f {\n file /run/prio\n weight 0\n}\n",
            "priority 100\n track_file {\n f\n }",
            Map.of("file:/run/prio", "1"),
            "FAULT"),
        row(
            "file weight 0, value 0: base",
            "track_file f {\n file /run/prio\n weight 0\n}\n",
            "priority 100\n track_file {\n f\n }",
            Map.of("file:/run/prio", "0"),
            "100"),
        row(
            "interface weight 0 down: FAULT",
            "",
            "priority 100\n track_interface {\n eth1\n }",
            Map.of("interface:eth1", "fail"),
            "FAULT"),
        row(
            "interface negative weight down",
            "",
            "priority 120\n track_interface {\n eth1 weight -50\n }",
            Map.of("interface:eth1", "fail"),
            "70"),
        row(
            "interface positive weight up",
            "",
            "priority 100\n track_interface {\n eth1 weight 5\n }",
            Map.of(),
            "105"),
        row(
            "process weight while running",
            "vrrp_track_process p {\n process haproxy\n weight 20\n}\n",
            "priority 100\n track_process {\n p\n }",
            Map.of(),
            "120"),
        row(
            "process weight 0 not running: FAULT",
            "vrrp_track_process p {\n process haproxy\n}\n",
            "priority 100\n track_process {\n p\n }",
            Map.of("process:haproxy", "fail"),
            "FAULT"),
        row(
            "clamped to 254",
            chk.formatted("weight 20"),
            "priority 250\n track_script {\n chk\n }",
            Map.of(),
            "254"),
        row(
            "clamped to 1",
            chk.formatted("weight -50"),
            "priority 10\n track_script {\n chk\n }",
            Map.of("script:chk", "fail"),
            "1"),
        row(
            "sync group member: weighted tracker ignored",
            chk.formatted("weight -30") + "vrrp_sync_group G {\n group {\n VI_1\n }\n}\n",
            "priority 100\n track_script {\n chk\n }",
            Map.of("script:chk", "fail", "dropped", "script:chk"),
            "100"),
        row(
            "sync group member: weight 0 tracker kept",
            chk.formatted("") + "vrrp_sync_group G {\n group {\n VI_1\n }\n}\n",
            "priority 100\n track_script {\n chk\n }",
            Map.of("script:chk", "fail"),
            "FAULT"),
        row(
            "sync_group_tracking_weight keeps weights",
            chk.formatted("weight -30")
                + "vrrp_sync_group G {\n group {\n VI_1\n }\n sync_group_tracking_weight\n}\n",
            "priority 100\n track_script {\n chk\n }",
            Map.of("script:chk", "fail"),
            "70"),
        row(
            "sync group trackers apply to members",
            chk.formatted("")
                + "vrrp_sync_group G {\n group {\n VI_1\n }\n track_script {\n chk\n }\n}\n",
            "priority 100",
            Map.of("script:chk", "fail"),
            "FAULT"),
        row(
            "everything at once",
            chk.formatted("weight -30") + "track_file f {\n file /run/prio\n weight 5\n}\n",
            "priority 150\n track_script {\n chk\n }\n track_file {\n f\n }\n track_interface {\n eth1 weight 5\n }",
            Map.of("script:chk", "fail", "file:/run/prio", "2"),
            "135"),
        row("default priority 100", "", "", Map.of(), "100"));
  }

  private static Arguments row(
      String name, String defs, String body, Map<String, String> observed, String keepalived) {
    return Arguments.of(name, defs, body, observed, keepalived);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void convertedPriorityMatchesKeepalived(
      String name, String defs, String body, Map<String, String> observed, String keepalived)
      throws Exception {
    Path conf = tmp.resolve("keepalived.conf");
    Files.writeString(
        conf,
        "global_defs {\n script_user root\n}\n"
            + defs
            + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
            + body
            + "\n virtual_ipaddress {\n 192.0.2.10/24\n }\n}\n");
    Conversion c =
        Converter.convert(
            conf, new ConvertOptions(NODE, false, null, ConvertOptions.DEFAULT_NAMESPACE));
    ConfigFile.Result result = ConfigFile.parse("converted.yaml", c.yaml());
    assertThat(result).as(c.yaml()).isInstanceOf(ConfigFile.Loaded.class);
    VirtualIP vip = ((ConfigFile.Loaded) result).virtualIPs().getFirst();

    Effective e =
        PriorityCalculator.compute(
            BasePriority.of(vip.getSpec().priority(), NODE),
            states(vip.getSpec().trackOrDefault(), observed));

    assertThat(e.fault() ? "FAULT" : Integer.toString(e.priority()))
        .as(c.yaml())
        .isEqualTo(keepalived);
  }

  private static List<CheckState> states(TrackSpec t, Map<String, String> observed) {
    List<CheckState> out = new ArrayList<>();
    t.processList()
        .forEach(p -> out.add(state(CheckKind.PROCESS, p.name(), p.weightOrDefault(), observed)));
    t.scriptList()
        .forEach(s -> out.add(state(CheckKind.SCRIPT, s.name(), s.weightOrDefault(), observed)));
    t.fileList()
        .forEach(
            f ->
                out.add(
                    CheckState.fileValue(
                        f.path(),
                        f.weightOrDefault(),
                        Long.parseLong(observed.getOrDefault("file:" + f.path(), "0")))));
    t.interfaceList()
        .forEach(i -> out.add(state(CheckKind.INTERFACE, i.name(), i.weightOrDefault(), observed)));
    t.tcpList()
        .forEach(c -> out.add(state(CheckKind.TCP, c.name(), c.weightOrDefault(), observed)));
    String dropped = observed.getOrDefault("dropped", "");
    List<String> converted = out.stream().map(c -> c.kind().label() + ":" + c.name()).toList();
    assertThat(converted).as("left out as keepalived does").doesNotContain(dropped);
    assertThat(observed.keySet())
        .as("every other observed tracker was converted")
        .allMatch(k -> k.equals("dropped") || k.equals(dropped) || converted.contains(k));
    return out;
  }

  private static CheckState state(
      CheckKind kind, String name, int weight, Map<String, String> observed) {
    return observed.getOrDefault(kind.label() + ":" + name, "ok").equals("fail")
        ? CheckState.failing(kind, name, weight, "failing")
        : CheckState.healthy(kind, name, weight, "ok");
  }
}
