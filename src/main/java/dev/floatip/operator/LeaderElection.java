package dev.floatip.operator;

import dev.floatip.operator.model.OperatorConfig;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Leader election between operator replicas: QOSDK 7.7.3 has no property for it, so this customizer
 * hands JOSDK a {@link LeaderElectionConfiguration}: a Lease named {@code
 * floatip.operator.leader-election.lease-name} in {@code floatip.operator.namespace}, JOSDK's
 * timings (15 s lease, 10 s renew deadline, 2 s retry). Only the holder reconciles; the others keep
 * their caches warm. A replica that loses the Lease exits (its pod restarts as a follower) unless
 * {@code exit-on-loss} is off. The Lease is only taken when {@code floatip operator} starts the
 * operator; the agent never does.
 */
@Singleton
@Unremovable
public class LeaderElection implements ConfigurationServiceCustomizer {

  private final OperatorSettings settings;

  @Inject
  public LeaderElection(OperatorSettings settings) {
    this.settings = settings;
  }

  @Override
  public Consumer<ConfigurationServiceOverrider> overrider() {
    OperatorConfig cfg = settings.toConfig();
    if (!cfg.leaderElection()) {
      return o -> {};
    }
    LeaderElectionConfiguration election =
        configuration(cfg, identity(), settings.leaderElection().exitOnLoss());
    return o -> o.withLeaderElectionConfiguration(election);
  }

  static LeaderElectionConfiguration configuration(
      OperatorConfig cfg, String identity, boolean exitOnLoss) {
    LeaderElectionConfigurationBuilder b =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(cfg.leaseName())
            .withLeaseNamespace(cfg.namespace())
            .withIdentity(identity);
    // JOSDK 5.3.2: build() is buildForTest(false), i.e. it does NOT exit on a lost Lease (the
    // deprecated constructors default to exiting); buildForTest is the one way to choose
    return b.buildForTest(exitOnLoss);
  }

  /** The pod name (unique per replica), else a random one. */
  static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod == null || pod.isBlank()) {
      pod = System.getenv("HOSTNAME");
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    return pod == null || pod.isBlank() ? "floatip-operator-" + suffix : pod + "-" + suffix;
  }
}
