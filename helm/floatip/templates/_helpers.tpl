{{/* Chart name, truncated to a DNS label. */}}
{{- define "floatip.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name: "floatip" for a release named floatip, else "<release>-floatip". */}}
{{- define "floatip.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "floatip.operatorName" -}}
{{- printf "%s-operator" (include "floatip.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "floatip.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "floatip.operatorName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The one image of operator and agents. */}}
{{- define "floatip.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* imagePullSecrets' names, comma-separated (FLOATIP_OPERATOR_AGENT_IMAGE_PULL_SECRETS). */}}
{{- define "floatip.imagePullSecretNames" -}}
{{- $names := list -}}
{{- range .Values.imagePullSecrets -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{- define "floatip.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "floatip.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Operator pod selector. The agents' pods (made by the operator) carry component=agent. */}}
{{- define "floatip.operatorSelector" -}}
app.kubernetes.io/name: {{ include "floatip.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* Must equal dev.floatip.operator.model.Labels.agentSelector() (HelmChartTest checks it). */}}
{{- define "floatip.agentSelector" -}}
app.kubernetes.io/name: floatip
app.kubernetes.io/component: agent
{{- end -}}

{{/* Checks on values that a schema cannot express. */}}
{{- define "floatip.validate" -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) -}}
{{- fail (printf "operator.replicas is %d but operator.leaderElection.enabled is false: replicas would reconcile concurrently; enable leader election or set operator.replicas to 1" (int .Values.operator.replicas)) -}}
{{- end -}}
{{- if not (has .Values.logFormat (list "text" "json")) -}}
{{- fail (printf "logFormat must be text or json, not %q" (toString .Values.logFormat)) -}}
{{- end -}}
{{- if not (has .Values.image.pullPolicy (list "Always" "IfNotPresent" "Never")) -}}
{{- fail (printf "image.pullPolicy must be Always, IfNotPresent or Never, not %q" (toString .Values.image.pullPolicy)) -}}
{{- end -}}
{{- if and .Values.serviceMonitor.enabled (not .Values.metrics.service.enabled) -}}
{{- fail "serviceMonitor.enabled needs metrics.service.enabled: a ServiceMonitor scrapes through Services" -}}
{{- end -}}
{{- range $k, $v := merge (dict) .Values.agent.resources.requests .Values.agent.resources.limits -}}
{{- if not (regexMatch "^[a-z0-9]+$" $k) -}}
{{- fail (printf "agent.resources: resource name %q cannot be passed to the operator (FLOATIP_OPERATOR_AGENT_* env); use cpu, memory or similar" $k) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* metadata of the CRD (templates/crd.yaml), ending in a newline. */}}
{{- define "floatip.crdMetadata" -}}
metadata:
  name: virtualips.floatip.dev
  labels:
    {{- include "floatip.labels" . | nindent 4 }}
  {{- if .Values.crds.keep }}
  annotations:
    # helm uninstall leaves the CRD: deleting it would delete every VirtualIP
    helm.sh/resource-policy: keep
  {{- end }}
{{ end -}}
