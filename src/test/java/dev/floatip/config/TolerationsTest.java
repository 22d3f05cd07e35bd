package dev.floatip.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TolerationsTest {

  private static Taint taint(String key, String value, String effect) {
    return new Taint(effect, key, null, value);
  }

  private static Toleration tol(String key, String operator, String value, String effect) {
    return new Toleration(effect, key, operator, null, value);
  }

  private static final Taint GPU = taint("gpu", "true", "NoSchedule");

  static Stream<Arguments> matching() {
    return Stream.of(
        Arguments.of("Equal, same key and value", tol("gpu", "Equal", "true", null), GPU, true),
        Arguments.of("Equal, other value", tol("gpu", "Equal", "false", null), GPU, false),
        Arguments.of("Equal, other key", tol("ssd", "Equal", "true", null), GPU, false),
        Arguments.of("no operator means Equal", tol("gpu", null, "true", "NoSchedule"), GPU, true),
        Arguments.of("no operator, other value", tol("gpu", null, "yes", null), GPU, false),
        Arguments.of(
            "Equal, empty value matches a taint without value",
            tol("gpu", "Equal", "", null),
            taint("gpu", null, "NoSchedule"),
            true),
        Arguments.of(
            "Equal, no value does not match a taint with one",
            tol("gpu", "Equal", null, null),
            GPU,
            false),
        Arguments.of("Exists, same key, any value", tol("gpu", "Exists", null, null), GPU, true),
        Arguments.of("Exists, other key", tol("ssd", "Exists", null, null), GPU, false),
        Arguments.of("empty key with Exists matches all", tol("", "Exists", null, null), GPU, true),
        Arguments.of("no key with Exists matches all", tol(null, "Exists", null, null), GPU, true),
        Arguments.of(
            "empty key with Equal matches nothing", tol("", "Equal", "true", null), GPU, false),
        Arguments.of(
            "empty effect matches every effect",
            tol("gpu", "Exists", null, ""),
            taint("gpu", "true", "NoExecute"),
            true),
        Arguments.of("same effect", tol("gpu", "Exists", null, "NoSchedule"), GPU, true),
        Arguments.of("other effect", tol("gpu", "Exists", null, "NoExecute"), GPU, false),
        Arguments.of(
            "NoExecute tolerated by NoExecute",
            tol("gpu", "Equal", "true", "NoExecute"),
            taint("gpu", "true", "NoExecute"),
            true),
        Arguments.of(
            "match-all with an effect only matches that effect",
            tol(null, "Exists", null, "NoSchedule"),
            taint("x", "y", "NoExecute"),
            false));
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("matching")
  void tolerationMatchesTaintLikeKubernetes(
      String why, Toleration toleration, Taint taint, boolean expected) {
    assertThat(Tolerations.tolerates(toleration, taint)).isEqualTo(expected);
  }

  static Stream<Arguments> admission() {
    Taint cordon = taint(Tolerations.UNSCHEDULABLE_TAINT, null, "NoSchedule");
    Taint prefer = taint("busy", "true", "PreferNoSchedule");
    Taint evict = taint("broken", null, "NoExecute");
    Toleration gpu = tol("gpu", "Exists", null, null);
    return Stream.of(
        Arguments.of("no taints", List.of(), null, true),
        Arguments.of("empty taints", List.of(), List.of(), true),
        Arguments.of("untolerated NoSchedule", List.of(), List.of(GPU), false),
        Arguments.of("untolerated NoSchedule, null tolerations", null, List.of(GPU), false),
        Arguments.of("tolerated NoSchedule", List.of(gpu), List.of(GPU), true),
        Arguments.of("untolerated NoExecute", List.of(gpu), List.of(GPU, evict), false),
        Arguments.of(
            "every taint tolerated",
            List.of(gpu, tol("broken", "Exists", null, "NoExecute")),
            List.of(GPU, evict),
            true),
        Arguments.of("the cordon taint alone", List.of(), List.of(cordon), true),
        Arguments.of("PreferNoSchedule alone", List.of(), List.of(prefer), true),
        Arguments.of(
            "cordon and PreferNoSchedule beside a tolerated taint",
            List.of(gpu),
            List.of(cordon, prefer, GPU),
            true),
        Arguments.of(
            "the cordon key with NoExecute is still ignored",
            List.of(),
            List.of(taint(Tolerations.UNSCHEDULABLE_TAINT, null, "NoExecute")),
            true));
  }

  @ParameterizedTest(name = "{0}: admitted={3}")
  @MethodSource("admission")
  void admitRequiresEveryHardTaintTolerated(
      String why, List<Toleration> tolerations, List<Taint> taints, boolean expected) {
    assertThat(Tolerations.admit(tolerations, taints)).isEqualTo(expected);
  }

  @Test
  void aTolerationAdmitsOnlyTheTaintItMatches() {
    Taint other = taint("dedicated", "infra", "NoSchedule");

    assertThat(Tolerations.admit(List.of(tol("gpu", "Exists", null, null)), List.of(GPU, other)))
        .isFalse();
    assertThat(
            Tolerations.admit(
                List.of(tol("gpu", "Exists", null, null), tol("dedicated", "Equal", "infra", null)),
                List.of(GPU, other)))
        .isTrue();
  }
}
