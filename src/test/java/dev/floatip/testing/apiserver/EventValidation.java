package dev.floatip.testing.apiserver;

import static dev.floatip.testing.apiserver.ObjectMetaValidation.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Event validation (pkg/apis/core/validation/events.go): every Event passes {@code
 * legacyValidateEvent}; only events.k8s.io/v1 writes get the strict rules (object metadata with a
 * DNS-1123 subdomain name, series, eventTime, type, unset deprecated fields). Field paths are the
 * internal type's ({@code involvedObject.namespace}, {@code message}), as kube prints them for both
 * APIs.
 */
final class EventValidation {

  private EventValidation() {}

  /** The internal core.Event's fields, read from a core/v1 or an events.k8s.io/v1 Event. */
  record View(
      String namespace,
      String involvedNamespace,
      String eventTime,
      String reportingController,
      String reportingInstance,
      String action,
      String reason,
      String message,
      String type,
      String firstTimestamp,
      String lastTimestamp,
      long count,
      String sourceComponent,
      String sourceHost,
      JsonNode series,
      JsonNode involvedObject,
      JsonNode related) {

    static View of(JsonNode e, boolean eventsApi) {
      if (eventsApi) {
        return new View(
            text(e.path("metadata"), "namespace"),
            text(e.path("regarding"), "namespace"),
            text(e, "eventTime"),
            text(e, "reportingController"),
            text(e, "reportingInstance"),
            text(e, "action"),
            text(e, "reason"),
            text(e, "note"),
            text(e, "type"),
            text(e, "deprecatedFirstTimestamp"),
            text(e, "deprecatedLastTimestamp"),
            e.path("deprecatedCount").asLong(0),
            text(e.path("deprecatedSource"), "component"),
            text(e.path("deprecatedSource"), "host"),
            e.get("series"),
            e.path("regarding"),
            e.path("related"));
      }
      return new View(
          text(e.path("metadata"), "namespace"),
          text(e.path("involvedObject"), "namespace"),
          text(e, "eventTime"),
          text(e, "reportingComponent"),
          text(e, "reportingInstance"),
          text(e, "action"),
          text(e, "reason"),
          text(e, "message"),
          text(e, "type"),
          text(e, "firstTimestamp"),
          text(e, "lastTimestamp"),
          e.path("count").asLong(0),
          text(e.path("source"), "component"),
          text(e.path("source"), "host"),
          e.get("series"),
          e.path("involvedObject"),
          e.path("related"));
    }
  }

  /** ValidateEventCreate / ValidateEventUpdate for the request's API. */
  static List<FieldError> validate(JsonNode event, JsonNode stored, boolean eventsApi) {
    View e = View.of(event, eventsApi);
    List<FieldError> errs = legacy(e);
    if (!eventsApi) {
      return errs; // core/v1: no further validation, for backwards compatibility
    }
    if (stored == null) {
      errs.addAll(
          ObjectMetaValidation.validate(
              event.path("metadata"), true, ObjectMetaValidation::dnsSubdomain, "metadata"));
      errs.addAll(series(e));
      if (e.eventTime().isEmpty()) {
        errs.add(FieldError.required("eventTime", ""));
      }
      if (!e.type().equals("Normal") && !e.type().equals("Warning")) {
        errs.add(FieldError.invalid("type", "", "has invalid value: " + e.type()));
      }
      if (!e.firstTimestamp().isEmpty()) {
        errs.add(FieldError.invalid("firstTimestamp", "", "needs to be unset"));
      }
      if (!e.lastTimestamp().isEmpty()) {
        errs.add(FieldError.invalid("lastTimestamp", "", "needs to be unset"));
      }
      if (e.count() != 0) {
        errs.add(FieldError.invalid("count", "", "needs to be unset"));
      }
      if (!e.sourceComponent().isEmpty() || !e.sourceHost().isEmpty()) {
        errs.add(FieldError.invalid("source", "", "needs to be unset"));
      }
      return errs;
    }
    View old = View.of(stored, true);
    errs.addAll(
        ObjectMetaValidation.validateUpdate(
            event.path("metadata"), stored.path("metadata"), "metadata"));
    if (!java.util.Objects.equals(e.series(), old.series())) {
      errs.addAll(series(e));
    }
    immutable(errs, "involvedObject", e.involvedObject(), old.involvedObject());
    immutable(errs, "reason", e.reason(), old.reason());
    immutable(errs, "message", e.message(), old.message());
    immutable(errs, "type", e.type(), old.type());
    immutable(errs, "eventTime", e.eventTime(), old.eventTime());
    immutable(errs, "action", e.action(), old.action());
    immutable(errs, "related", e.related(), old.related());
    immutable(errs, "reportingController", e.reportingController(), old.reportingController());
    immutable(errs, "reportingInstance", e.reportingInstance(), old.reportingInstance());
    return errs;
  }

  private static void immutable(List<FieldError> errs, String field, Object now, Object before) {
    if (!java.util.Objects.equals(now, before)) {
      errs.add(FieldError.invalid(field, now, "field is immutable"));
    }
  }

  private static List<FieldError> series(View e) {
    List<FieldError> errs = new ArrayList<>();
    if (e.series() != null && !e.series().isNull()) {
      if (e.series().path("count").asLong(0) < 2) {
        errs.add(FieldError.invalid("series.count", "", "should be at least 2"));
      }
      if (text(e.series(), "lastObservedTime").isEmpty()) {
        errs.add(FieldError.required("series.lastObservedTime", ""));
      }
    }
    return errs;
  }

  /** legacyValidateEvent. */
  private static List<FieldError> legacy(View e) {
    List<FieldError> errs = new ArrayList<>();
    String involvedNs = "involvedObject.namespace";
    if (e.eventTime().isEmpty()) {
      // an Event about a cluster-scoped object lives in "default" (or no namespace)
      if (e.involvedNamespace().isEmpty()) {
        if (!e.namespace().isEmpty() && !e.namespace().equals("default")) {
          errs.add(FieldError.invalid(involvedNs, "", "does not match event.namespace"));
        }
      } else if (!e.namespace().equals(e.involvedNamespace())) {
        errs.add(
            FieldError.invalid(
                involvedNs, e.involvedNamespace(), "does not match event.namespace"));
      }
    } else {
      if (e.involvedNamespace().isEmpty()
          && !e.namespace().equals("default")
          && !e.namespace().equals("kube-system")) {
        errs.add(FieldError.invalid(involvedNs, "", "does not match event.namespace"));
      }
      if (e.reportingController().isEmpty()) {
        errs.add(FieldError.required("reportingController", ""));
      }
      for (String m : ObjectMetaValidation.qualifiedName(e.reportingController())) {
        errs.add(FieldError.invalid("reportingController", e.reportingController(), m));
      }
      if (e.reportingInstance().isEmpty()) {
        errs.add(FieldError.required("reportingInstance", ""));
      }
      if (e.reportingInstance().length() > 128) {
        errs.add(FieldError.invalid("reportingInstance", "", "can have at most 128 characters"));
      }
      if (e.action().isEmpty()) {
        errs.add(FieldError.required("action", ""));
      }
      if (e.action().length() > 128) {
        errs.add(FieldError.invalid("action", "", "can have at most 128 characters"));
      }
      if (e.reason().isEmpty()) {
        errs.add(FieldError.required("reason", ""));
      }
      if (e.reason().length() > 128) {
        errs.add(FieldError.invalid("reason", "", "can have at most 128 characters"));
      }
      if (e.message().length() > 1024) {
        errs.add(FieldError.invalid("message", "", "can have at most 1024 characters"));
      }
    }
    for (String m : ObjectMetaValidation.dnsSubdomain(e.namespace())) {
      errs.add(FieldError.invalid("namespace", e.namespace(), m));
    }
    return errs;
  }
}
