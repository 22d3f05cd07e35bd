package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last result of one tracked check. */
public record CheckStatus(
    @JsonPropertyDescription("pod, process, script, file, interface, tcp or http.") String kind,
    @JsonPropertyDescription("The check's name (for pods namespace/selector, for files the path).")
        String name,
    Boolean healthy,
    @JsonPropertyDescription("Priority change this check applies now; absent when it means FAULT.")
        Integer effect,
    @JsonPropertyDescription("Detail of the last result.") String message) {}
