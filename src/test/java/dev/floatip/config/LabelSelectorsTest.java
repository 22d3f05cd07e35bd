package dev.floatip.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

  private static LabelSelector expression(String key, String op, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(op)
        .withValues(values)
        .endMatchExpression()
        .build();
  }

  @Test
  void nullAndEmptySelectEverything() {
    assertThat(LabelSelectors.matches(null, Map.of())).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelector(), null)).isTrue();
    assertThat(
            LabelSelectors.selectsAll(new LabelSelectorBuilder().withMatchLabels(Map.of()).build()))
        .isTrue();
  }

  @Test
  void matchLabelsNeedEveryPair() {
    LabelSelector s =
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "dns", "tier", "edge")).build();
    assertThat(LabelSelectors.matches(s, Map.of("app", "dns", "tier", "edge", "x", "y"))).isTrue();
    assertThat(LabelSelectors.matches(s, Map.of("app", "dns"))).isFalse();
    assertThat(LabelSelectors.matches(s, Map.of("app", "dns", "tier", "core"))).isFalse();
    assertThat(LabelSelectors.matches(s, null)).isFalse();
  }

  @Test
  void expressionsFollowKubernetes() {
    Map<String, String> edge = Map.of("tier", "edge");
    assertThat(LabelSelectors.matches(expression("tier", "In", "edge", "core"), edge)).isTrue();
    assertThat(LabelSelectors.matches(expression("tier", "In", "core"), edge)).isFalse();
    assertThat(LabelSelectors.matches(expression("tier", "In", "edge"), Map.of())).isFalse();
    assertThat(LabelSelectors.matches(expression("tier", "NotIn", "core"), edge)).isTrue();
    assertThat(LabelSelectors.matches(expression("tier", "NotIn", "edge"), edge)).isFalse();
    assertThat(LabelSelectors.matches(expression("tier", "NotIn", "edge"), Map.of())).isTrue();
    assertThat(LabelSelectors.matches(expression("tier", "Exists"), edge)).isTrue();
    assertThat(LabelSelectors.matches(expression("tier", "Exists"), Map.of())).isFalse();
    assertThat(LabelSelectors.matches(expression("tier", "DoesNotExist"), edge)).isFalse();
    assertThat(LabelSelectors.matches(expression("tier", "DoesNotExist"), Map.of())).isTrue();
    assertThat(LabelSelectors.matches(expression("tier", "Gt", "1"), edge)).isFalse();
  }
}
