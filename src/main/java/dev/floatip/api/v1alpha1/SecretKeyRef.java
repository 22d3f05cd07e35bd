package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret. VirtualIP is cluster-scoped, so the namespace is explicit or floatip's. */
public record SecretKeyRef(
    @Required @JsonPropertyDescription("Secret name.") String name,
    @Required @JsonPropertyDescription("Key in the Secret's data.") String key,
    @JsonPropertyDescription("Namespace of the Secret. Default: the namespace floatip runs in.")
        String namespace) {}
