{{/* Names, labels and values shared by the templates. */}}

{{- define "drs-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "drs-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "drs-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "drs-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "drs-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "drs-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: drs-operator
{{- end }}

{{- define "drs-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "drs-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The operator image: distroless; or, with the embedded engine, the runtime-engine image (the same
operator plus pg_dump), by default the operator's repository and tag + "-engine".
*/}}
{{- define "drs-operator.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.embeddedEngine.enabled }}
{{- $engine := .Values.embeddedEngine.image | default dict }}
{{- $repository := default .Values.image.repository $engine.repository }}
{{- if $engine.digest }}
{{- printf "%s@%s" $repository $engine.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default (printf "%s-engine" $tag) $engine.tag) }}
{{- end }}
{{- else if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{- define "drs-operator.leaseName" -}}
{{- default (printf "%s-leader" (include "drs-operator.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/* Where the embedded engine keeps its job store (a volume: the root filesystem is read-only). */}}
{{- define "drs-operator.engineDataDir" -}}
/var/lib/drs-operator/engine
{{- end }}

{{/* Name of the Secret and ClusterProviderConfig the embedded engine writes (controller/src/embedded-engine.ts). */}}
{{- define "drs-operator.engineSecretName" -}}
drs-operator-local-engine
{{- end }}
{{- define "drs-operator.engineProviderConfigName" -}}
local
{{- end }}

{{/* Cluster-scoped RBAC names carry the namespace: releases of the same name in two namespaces must not share them. */}}
{{- define "drs-operator.clusterRoleName" -}}
{{- printf "%s-%s" .Release.Namespace (include "drs-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The namespaced rules the reconciler needs, wherever it watches: in a ClusterRole for all
namespaces, or in a Role in .Values.watchNamespace. Derived from controller/src/operator.ts and
controller/src/runtime/*; test/unit/packaging/rbac-least-privilege.test.ts runs the operator and
checks every request it makes is granted here and every grant is used.
*/}}
{{- define "drs-operator.namespacedRules" -}}
# Informer (list, watch); get re-reads a job after a status write conflict; patch adds and
# removes the finalizer and writes the create-pending annotations. No update: spec is never written.
- apiGroups: [replication.drs-operator.io]
  resources: [replicationjobs]
  verbs: [get, list, watch, patch]
# Informer; get re-reads a ProviderConfig after a status write conflict.
- apiGroups: [replication.drs-operator.io]
  resources: [providerconfigs]
  verbs: [get, list, watch]
# Status goes through the /status subresource as merge patches only.
- apiGroups: [replication.drs-operator.io]
  resources: [replicationjobs/status, providerconfigs/status]
  verbs: [patch]
# Database passwords and provider credentials: read-only, through the informer's cache.
- apiGroups: [""]
  resources: [secrets]
  verbs: [list, watch]
# Events on ReplicationJobs; patch bumps the count of a repeated event.
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{- define "drs-operator.clusterScopedRules" -}}
# ClusterProviderConfigs are cluster-scoped: always a ClusterRole. get re-reads after a status conflict.
- apiGroups: [replication.drs-operator.io]
  resources: [clusterproviderconfigs]
  verbs: [get, list, watch]
- apiGroups: [replication.drs-operator.io]
  resources: [clusterproviderconfigs/status]
  verbs: [patch]
{{- end }}
