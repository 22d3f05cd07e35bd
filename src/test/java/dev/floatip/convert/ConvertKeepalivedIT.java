package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.testing.ItLogs;
import dev.floatip.testing.LabDaemon;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.testing.SharedLab;
import dev.floatip.testing.VipWatch;
import dev.floatip.testing.VrrpTiming;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migration path end to end: two routers run keepalived with the usual pair of configs; router
 * 2's config goes through {@code floatip convert} (the packaged CLI), and floatip runs the result
 * on router 2 while keepalived keeps running router 1's config. They must form one healthy group:
 * one master holding the VIP, the track_script weights moving it the way keepalived's would, and
 * failover both ways.
 */
class ConvertKeepalivedIT {

  private static final String VIP = "192.0.2.200/24";
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final int KEEPALIVED = 150;
  private static final int FLOATIP = 100;

  @RegisterExtension static final SharedLab LAB = SharedLab.agentsAndKeepalived("cvt", 2);

  private final List<LabDaemon> daemons = new ArrayList<>();

  @AfterEach
  void stop() {
    LabDaemon.stopAll(daemons);
  }

  /** What router {@code self} runs under keepalived, as its admin wrote it. */
  private static String keepalivedConf(Node self, Node peer, int priority, Path okFile) {
    String src = VipWatch.literal(self.ipv4());
    String other = VipWatch.literal(peer.ipv4());
    return """
        ! %s: keepalived.conf of a router in a pair
        global_defs {
            router_id %s
            vrrp_version 2
            script_user root
        }

        vrrp_script chk_service {
            script "/usr/bin/test -f %s"
            interval 1
            weight -60
        }

        vrrp_instance VI_1 {
            state BACKUP
            interface eth0
            virtual_router_id 51
            priority %d
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass s3cret
            }
            unicast_src_ip %s
            unicast_peer {
                %s
            }
            virtual_ipaddress {
                %s dev eth0 label eth0:1
            }
            track_script {
                chk_service
            }
        }
        """
        .formatted(self.name(), self.name(), okFile, priority, src, other, VIP);
  }

  @Test
  void convertedConfigRunsBesideKeepalived(TestInfo test) throws Exception {
    Path dir = ItLogs.dir(test);
    Node r1 = LAB.lab().router(1);
    Node r2 = LAB.lab().router(2);
    List<Node> all = LAB.lab().routers();
    List<InetAddress> vips = List.of(VipWatch.address(VIP));
    Path ok1 = Files.writeString(dir.resolve("ok-r1"), "");
    Path ok2 = Files.writeString(dir.resolve("ok-r2"), "");
    Path conf1 = Files.writeString(dir.resolve("r1.conf"), keepalivedConf(r1, r2, KEEPALIVED, ok1));
    Path conf2 = Files.writeString(dir.resolve("r2.conf"), keepalivedConf(r2, r1, FLOATIP, ok2));

    // floatip convert --node r2 --password-dir DIR -o vip.yaml r2.conf
    Path yaml = dir.resolve("vip.yaml");
    Path stderr = dir.resolve("convert.stderr");
    Process convert =
        new ProcessBuilder(
                LabDaemon.floatipCommand(
                    "convert",
                    "--node",
                    r2.name(),
                    "--password-dir",
                    dir.toString(),
                    "-o",
                    yaml.toString(),
                    conf2.toString()))
            .redirectOutput(dir.resolve("convert.stdout").toFile())
            .redirectError(stderr.toFile())
            .start();
    assertThat(convert.waitFor(60, TimeUnit.SECONDS)).as("convert finished").isTrue();
    assertThat(convert.exitValue()).as(read(stderr)).isZero();
    assertThat(read(stderr)).doesNotContain(": label:");
    assertThat(read(yaml)).contains("eth0:1");
    assertThat(read(dir.resolve("vi-1.password"))).isEqualTo("s3cret\n");

    // keepalived (150) on r1 is master; floatip (100) from the converted config joins as backup
    LabDaemon keepalived = LabDaemon.keepalived(LAB.lab(), r1, conf1, dir);
    daemons.add(keepalived);
    LAB.watch().awaitSoleHolder(r1, all, vips, START);
    LabDaemon agent = LabDaemon.agent(LAB.lab(), r2, yaml, dir.resolve("agent-r2.log"));
    daemons.add(agent);
    agent.awaitLine(START, "vi-1/", "-> BACKUP");
    LAB.watch()
        .assertSettled(
            r1,
            all,
            vips,
            VrrpTiming.masterDown(2, INTERVAL, FLOATIP).plus(INTERVAL.multipliedBy(2)));
    assertThat(agent.status("vi-1", "ipv4").priority()).isEqualTo(FLOATIP);

    // r1's service check fails: keepalived drops to 150 - 60 = 90 < 100, floatip preempts
    Files.delete(ok1);
    LAB.watch().awaitSoleHolder(r2, all, vips, Duration.ofSeconds(15));
    LAB.watch().assertSettled(r2, all, vips, INTERVAL.multipliedBy(3));

    // r2's check fails too: floatip drops to 40 the same way, keepalived (90) takes over
    Files.delete(ok2);
    LAB.watch().awaitSoleHolder(r1, all, vips, Duration.ofSeconds(15));
    assertThat(agent.status("vi-1", "ipv4").priority()).isEqualTo(FLOATIP - 60);

    // both checks recover: keepalived (150) is master again
    Files.writeString(ok1, "");
    Files.writeString(ok2, "");
    LAB.watch().assertSettled(r1, all, vips, INTERVAL.multipliedBy(4));

    // keepalived stops (priority 0): floatip takes over within Skew_Time
    long t0 = System.nanoTime();
    keepalived.sigterm();
    Duration bound = VrrpTiming.bound(VrrpTiming.skew(2, INTERVAL, FLOATIP));
    Duration took = LAB.watch().awaitSoleHolder(t0, r2, all, vips, bound.plusSeconds(10));
    VrrpTiming.report("convert: keepalived SIGTERM -> converted floatip", took, bound);
    assertThat(took).isLessThanOrEqualTo(bound);
    LAB.watch().assertSettled(r2, all, vips, INTERVAL.multipliedBy(3));
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
