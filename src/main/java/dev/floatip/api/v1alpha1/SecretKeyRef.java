package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret. VirtualIP is cluster-scoped, so the namespace is explicit or floatip's. */
public record SecretKeyRef(
    @Required
        @Pattern(Schema.DNS_SUBDOMAIN)
        @Size(max = Schema.NAME_MAX_LENGTH)
        @JsonPropertyDescription("Secret name.")
        String name,
    @Required
        @Pattern("^[-._a-zA-Z0-9]+$")
        @Size(max = Schema.NAME_MAX_LENGTH)
        @JsonPropertyDescription("Key in the Secret's data.")
        String key,
    @Pattern(Schema.DNS_LABEL)
        @Size(max = 63)
        @JsonPropertyDescription("Namespace of the Secret. Default: the namespace floatip runs in.")
        String namespace) {}
