package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.ConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who keepalived's scripts and hooks run as, converted: {@code global_defs { script_user U [G] }}
 * is the default of every vrrp_script and notify hook without a user of its own; {@code vrrp_script
 * { user U [G] }} and {@code notify_* "cmd" U [G]} override it.
 */
class ConvertUsersTest {

  @TempDir Path tmp;

  private Conversion convert(String globals, String scripts, String instance) throws Exception {
    Path conf = tmp.resolve("keepalived.conf");
    Files.writeString(
        conf,
        "global_defs {\n"
            + globals
            + "\n notification_email {\n ops@example.org\n }\n"
            + " notification_email_from lb@example.org\n smtp_server 192.0.2.25 587\n"
            + " smtp_connect_timeout 20\n}\n"
            + scripts
            + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n"
            + instance
            + "\n virtual_ipaddress {\n 192.0.2.10/24\n }\n}\n");
    return Converter.convert(
        conf, new ConvertOptions("node-a", false, null, ConvertOptions.DEFAULT_NAMESPACE));
  }

  private static VirtualIP loaded(Conversion c) {
    ConfigFile.Result r = ConfigFile.parse("converted.yaml", c.yaml());
    assertThat(r).as(c.yaml()).isInstanceOf(ConfigFile.Loaded.class);
    return ((ConfigFile.Loaded) r).virtualIPs().getFirst();
  }

  @Test
  void scriptUserIsTheDefaultOfScriptsAndHooks() throws Exception {
    Conversion c =
        convert(
            " script_user keepalived_script keepalived",
            "vrrp_script chk {\n script \"/usr/local/bin/chk dns\"\n}\n",
            " track_script {\n chk\n }\n notify_master \"/etc/keepalived/master.sh\"\n"
                + " notify \"/etc/keepalived/notify.sh\"\n smtp_alert");
    VirtualIP vip = loaded(c);
    NotifySpec n = vip.getSpec().notifications();
    assertThat(n.user()).isEqualTo("keepalived_script:keepalived");
    assertThat(vip.getSpec().track().scripts().getFirst().user())
        .isEqualTo("keepalived_script:keepalived");
    assertThat(c.warnings()).noneMatch(w -> w.message().contains("runs as"));
    // keepalived's smtp settings as before; no TLS, no AUTH (keepalived has neither)
    MailSpec mail = n.mail();
    assertThat(mail.smtpServer()).isEqualTo("192.0.2.25:587");
    assertThat(mail.connectTimeout()).isEqualTo("20s");
    assertThat(mail.tls()).isNull();
    assertThat(mail.auth()).isNull();
  }

  @Test
  void aHooksOwnUserWinsAndTheScriptsOwnToo() throws Exception {
    Conversion c =
        convert(
            " script_user nobody",
            "vrrp_script chk {\n script \"/usr/local/bin/chk\"\n user dns dns\n}\n",
            " track_script {\n chk\n }\n notify_master \"/etc/keepalived/master.sh\" vrrp vrrp\n"
                + " notify_backup \"/etc/keepalived/backup.sh\" vrrp vrrp");
    VirtualIP vip = loaded(c);
    assertThat(vip.getSpec().notifications().user()).isEqualTo("vrrp:vrrp");
    assertThat(vip.getSpec().track().scripts().getFirst().user()).isEqualTo("dns:dns");
  }

  @Test
  void hooksWithDifferentUsersRunAsTheFirstOneWithAWarningNamingTheOthers() throws Exception {
    Conversion c =
        convert(
            "",
            "",
            " notify_master \"/etc/keepalived/master.sh\" vrrp\n"
                + " notify_fault \"/etc/keepalived/fault.sh\" root");
    assertThat(loaded(c).getSpec().notifications().user()).isEqualTo("vrrp");
    assertThat(c.warnings())
        .anySatisfy(
            w -> {
              assertThat(w.keyword()).isEqualTo("notify_fault");
              assertThat(w.message())
                  .contains("runs as root under keepalived")
                  .contains("notify.user vrrp");
            });
  }

  @Test
  void noUserAnywhereLeavesTheAgentsUser() throws Exception {
    Conversion c = convert("", "", " notify_master \"/etc/keepalived/master.sh\"");
    assertThat(loaded(c).getSpec().notifications().user()).isNull();
  }

  @Test
  void aHookWithMoreThanUserAndGroupIsAnError() {
    assertThatThrownBy(() -> convert("", "", " notify_master \"/x.sh\" a b c"))
        .isInstanceOf(ConfSyntaxError.class)
        .hasMessageContaining("notify_master");
  }
}
