package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A URL that receives state changes as JSON POSTs. */
public record WebhookSpec(
    @Required @JsonPropertyDescription("http:// or https:// URL.") String url) {}
