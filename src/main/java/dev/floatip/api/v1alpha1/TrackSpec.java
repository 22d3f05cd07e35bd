package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Health checks, with keepalived's weight semantics (DESIGN §5, anchors §1.7): weight 0 → failing
 * means FAULT; w &gt; 0 → +w while healthy; w &lt; 0 → −|w| while failing.
 */
public record TrackSpec(
    @JsonPropertyDescription("Ready pods on this node matching a selector.") List<PodCheck> pods,
    @JsonPropertyDescription("Running processes on this node (keepalived vrrp_track_process).")
        List<ProcessCheck> processes,
    @JsonPropertyDescription("Commands whose exit code is the health (keepalived vrrp_script).")
        List<ScriptCheck> scripts,
    @JsonPropertyDescription("Files holding an integer (keepalived track_file).")
        List<FileCheck> files,
    @JsonPropertyDescription("Interfaces whose link must be up (keepalived track_interface).")
        List<InterfaceCheck> interfaces,
    @JsonPropertyDescription("TCP connects.") List<TcpCheck> tcp,
    @JsonPropertyDescription("HTTP GETs.") List<HttpCheck> http) {

  public List<PodCheck> podList() {
    return pods == null ? List.of() : pods;
  }

  public List<ProcessCheck> processList() {
    return processes == null ? List.of() : processes;
  }

  public List<ScriptCheck> scriptList() {
    return scripts == null ? List.of() : scripts;
  }

  public List<FileCheck> fileList() {
    return files == null ? List.of() : files;
  }

  public List<InterfaceCheck> interfaceList() {
    return interfaces == null ? List.of() : interfaces;
  }

  public List<TcpCheck> tcpList() {
    return tcp == null ? List.of() : tcp;
  }

  public List<HttpCheck> httpList() {
    return http == null ? List.of() : http;
  }
}
