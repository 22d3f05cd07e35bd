package dev.floatip.operator.model;

import static dev.floatip.operator.model.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.config.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DESIGN §2 rule 6: what a VirtualIP needs that the chart's values do not allow is a violation
 * naming the field and the Helm value, never a change of the agents' pod template.
 */
class AllowanceCheckTest {

  private static final AgentAllowance NOTHING =
      new AgentAllowance(Map.of(), false, false, List.of());
  private static final AgentAllowance EVERYTHING =
      new AgentAllowance(Map.of(), true, true, List.of("/etc/keepalived", "/run/vrrp"));

  private static List<Violation> check(String spec, AgentAllowance allowance) {
    return AllowanceCheck.violations(vip("v", spec), allowance);
  }

  @Test
  void aVirtualIPWithoutTrackingNeedsNothing() {
    assertThat(check("{addresses: [192.0.2.1/24]}", NOTHING)).isEmpty();
    assertThat(check("{addresses: [192.0.2.1/24], track: {interfaces: [{name: eth0}]}}", NOTHING))
        .isEmpty();
  }

  @Test
  void processTrackingNeedsTheValue() {
    String spec = "{addresses: [192.0.2.1/24], track: {processes: [{name: nginx}]}}";
    assertThat(check(spec, NOTHING))
        .singleElement()
        .hasToString(
            "spec.track.processes: process tracking needs hostPID: set the Helm value"
                + " agent.processTracking=true");
    assertThat(check(spec, EVERYTHING)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // user (empty: none given) | needs scriptUsers
        "              | true",
        "www           | true",
        "1000:1000     | true",
        "root:www      | true",
        "0:1           | true",
        "root          | false",
        "0             | false",
        "root:root     | false",
        "0:0           | false",
        "root:0        | false",
      })
  void scriptsRunAsAnotherUserNeedTheValue(String user, boolean needs) {
    String spec =
        "{addresses: [192.0.2.1/24], track: {scripts: [{name: ok, command: [true], user: root},"
            + " {name: s, command: [true]"
            + (user == null ? "" : ", user: '" + user + "'")
            + "}]}}";
    List<Violation> v = check(spec, NOTHING);
    if (needs) {
      assertThat(v)
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.path()).isEqualTo("spec.track.scripts[1].user");
                assertThat(x.message())
                    .contains(user == null ? "nobody" : user)
                    .contains("set the Helm value agent.scriptUsers=true");
              });
    } else {
      assertThat(v).isEmpty();
    }
    assertThat(check(spec, EVERYTHING)).isEmpty();
  }

  @Test
  void hooksRunAsAnotherUserNeedTheValue() {
    String spec =
        "{addresses: [192.0.2.1/24], notify: {command: [/bin/true], user: 'nobody:nogroup'}}";
    assertThat(check(spec, NOTHING))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.path()).isEqualTo("spec.notify.user");
              assertThat(x.message()).contains("agent.scriptUsers=true");
            });
    assertThat(check(spec, EVERYTHING)).isEmpty();
    assertThat(check("{addresses: [192.0.2.1/24], notify: {command: [/bin/true]}}", NOTHING))
        .isEmpty();
    assertThat(
            check(
                "{addresses: [192.0.2.1/24], notify: {command: [/bin/true], user: root}}", NOTHING))
        .isEmpty();
  }

  @Test
  void trackedFilesMustLieUnderAnAllowedHostPath() {
    String spec =
        "{addresses: [192.0.2.1/24], track: {files: [{path: /run/vrrp/a},"
            + " {path: /run/vrrp-other/b}, {path: /etc/keepalived/sub/c}, {path: /run/vrrp},"
            + " {path: /opt/x}]}}";
    List<Violation> v = check(spec, EVERYTHING);
    assertThat(v)
        .extracting(Violation::path)
        // /run/vrrp-other is not under /run/vrrp; /run/vrrp is the directory, not a file in it
        .containsExactly(
            "spec.track.files[1].path", "spec.track.files[3].path", "spec.track.files[4].path");
    assertThat(v.get(0).message())
        .isEqualTo(
            "the agents read no host directory holding /run/vrrp-other/b: add its directory to"
                + " the Helm value agent.hostPaths (now /etc/keepalived, /run/vrrp)");
    assertThat(check(spec, NOTHING))
        .hasSize(5)
        .allSatisfy(x -> assertThat(x.message()).endsWith("agent.hostPaths (empty)"));
  }

  @Test
  void backStepsNeverLeadOutOfAnAllowedDirectory() {
    assertThat(
            check(
                "{addresses: [192.0.2.1/24], track: {files: [{path: /run/vrrp/../../etc/shadow}]}}",
                EVERYTHING))
        .extracting(Violation::path)
        .containsExactly("spec.track.files[0].path");
  }

  @Test
  void everyMissingValueIsReportedAtOnce() {
    String spec =
        "{addresses: [192.0.2.1/24], track: {processes: [{name: a}],"
            + " scripts: [{name: s, command: [true]}], files: [{path: /run/vrrp/a}]}}";
    assertThat(check(spec, NOTHING))
        .extracting(Violation::path)
        .containsExactly(
            "spec.track.processes", "spec.track.scripts[0].user", "spec.track.files[0].path");
    assertThat(check(spec, EVERYTHING)).isEmpty();
  }
}
