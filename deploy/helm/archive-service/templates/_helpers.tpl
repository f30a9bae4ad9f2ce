{{/* Names: "<release>-archive-service" unless the release name already says it. */}}
{{- define "archive-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "archive-service.fullname" -}}
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

{{- define "archive-service.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "archive-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component (app | worker | migration): call with (dict "root" $ "component" "app"). */}}
{{- define "archive-service.selector" -}}
app.kubernetes.io/name: {{ include "archive-service.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "archive-service.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "archive-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "archive-service.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "archive-service.secretName" -}}
{{- default (printf "%s-secrets" (include "archive-service.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{/*
The Secret keys the pods need, each with the setting it feeds: a key listed here is mounted as a file and named
by ARCHIVE_<SETTING>_FILE; a key not needed is not mounted (so a Secret without it still works).
*/}}
{{- define "archive-service.secretKeys" -}}
{{- $keys := dict "database-url" "DATABASE_URL" "s3-access-key" "S3_ACCESS_KEY" "s3-secret-key" "S3_SECRET_KEY" }}
{{- $auth := .Values.elasticsearch.auth }}
{{- if eq $auth "basic" }}
{{- $_ := set $keys "es-password" "ES_PASSWORD" }}
{{- else if eq $auth "apiKey" }}
{{- $_ := set $keys "es-api-key" "ES_API_KEY" }}
{{- else if ne $auth "none" }}
{{- fail (printf "elasticsearch.auth=%q: chọn basic, apiKey hoặc none / choose basic, apiKey or none" $auth) }}
{{- end }}
{{- if .Values.metrics.tokenEnabled }}
{{- $_ := set $keys "metrics-token" "METRICS_TOKEN" }}
{{- end }}
{{- toJson $keys }}
{{- end }}

{{/* The environment every archive-service container shares: settings only, secrets as *_FILE paths. */}}
{{- define "archive-service.env" -}}
- name: ARCHIVE_ENVIRONMENT
  value: {{ .Values.environment | quote }}
- name: ARCHIVE_DATA_DIR
  value: /data
- name: ARCHIVE_BLOB_BACKEND
  value: s3
- name: ARCHIVE_S3_ENDPOINT
  value: {{ required "s3.endpoint (host:port) là bắt buộc / is required" .Values.s3.endpoint | quote }}
- name: ARCHIVE_S3_BUCKET
  value: {{ required "s3.bucket là bắt buộc / is required" .Values.s3.bucket | quote }}
- name: ARCHIVE_S3_SECURE
  value: {{ .Values.s3.secure | quote }}
{{- with .Values.s3.region }}
- name: ARCHIVE_S3_REGION
  value: {{ . | quote }}
{{- end }}
- name: ARCHIVE_S3_OBJECT_LOCK
  value: {{ .Values.s3.objectLock | quote }}
- name: ARCHIVE_SEARCH_BACKEND
  value: elasticsearch
- name: ARCHIVE_ES_URL
  value: {{ required "elasticsearch.url là bắt buộc / is required" .Values.elasticsearch.url | quote }}
- name: ARCHIVE_ES_INDEX_PREFIX
  value: {{ .Values.elasticsearch.indexPrefix | quote }}
- name: ARCHIVE_ES_SHARDS
  value: {{ .Values.elasticsearch.shards | int | quote }}
{{- if not (kindIs "invalid" .Values.elasticsearch.replicas) }}
- name: ARCHIVE_ES_REPLICAS
  value: {{ .Values.elasticsearch.replicas | int | quote }}
{{- end }}
{{- if eq .Values.elasticsearch.auth "basic" }}
- name: ARCHIVE_ES_USERNAME
  value: {{ required "elasticsearch.username là bắt buộc khi auth=basic / is required with auth=basic" .Values.elasticsearch.username | quote }}
{{- end }}
{{- if .Values.elasticsearch.caCerts.secretName }}
- name: ARCHIVE_ES_CA_CERTS
  value: {{ printf "/etc/archive-service/es-ca/%s" .Values.elasticsearch.caCerts.key | quote }}
{{- end }}
{{- if .Values.signatureTrust.configMap }}
- name: ARCHIVE_SIGNATURE_TRUST_DIR
  value: /etc/archive-service/trust
{{- end }}
{{- if .Values.transfers.existingClaim }}
- name: ARCHIVE_TRANSFER_DIR
  value: /transfers
{{- end }}
{{- range $key, $setting := include "archive-service.secretKeys" . | fromJson }}
- name: {{ printf "ARCHIVE_%s_FILE" $setting }}
  value: {{ printf "/run/secrets/archive-service/%s" $key | quote }}
{{- end }}
- name: OMP_THREAD_LIMIT  # Tesseract: one thread per page job (bench/ocr.py: OpenMP threads slow parallel jobs down)
  value: "1"
- name: HOME
  value: /tmp
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Mounts of every archive-service container. */}}
{{- define "archive-service.volumeMounts" -}}
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
- name: secrets
  mountPath: /run/secrets/archive-service
  readOnly: true
{{- if .Values.elasticsearch.caCerts.secretName }}
- name: es-ca
  mountPath: /etc/archive-service/es-ca
  readOnly: true
{{- end }}
{{- if .Values.signatureTrust.configMap }}
- name: trust
  mountPath: /etc/archive-service/trust
  readOnly: true
{{- end }}
{{- if .Values.transfers.existingClaim }}
- name: transfers
  mountPath: /transfers
{{- end }}
{{- end }}

{{/* The volumes behind them: the data folder and /tmp are per pod (emptyDir), nothing shared by default. */}}
{{- define "archive-service.volumes" -}}
- name: data
  emptyDir:
    sizeLimit: {{ .Values.dataDir.sizeLimit }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpDir.sizeLimit }}
- name: secrets
  secret:
    secretName: {{ include "archive-service.secretName" . }}
    defaultMode: 0440
    items:
      {{- range $key, $_ := include "archive-service.secretKeys" . | fromJson }}
      - key: {{ $key }}
        path: {{ $key }}
      {{- end }}
{{- with .Values.elasticsearch.caCerts.secretName }}
- name: es-ca
  secret:
    secretName: {{ . }}
    defaultMode: 0444
    items:
      - key: {{ $.Values.elasticsearch.caCerts.key }}
        path: {{ $.Values.elasticsearch.caCerts.key }}
{{- end }}
{{- with .Values.signatureTrust.configMap }}
- name: trust
  configMap:
    name: {{ . }}
{{- end }}
{{- with .Values.transfers.existingClaim }}
- name: transfers
  persistentVolumeClaim:
    claimName: {{ . }}
{{- end }}
{{- end }}

{{/* Pod-level fields every archive-service pod shares. */}}
{{- define "archive-service.podCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Annotations that roll the pods when the chart-made Secret changes (its content hashed, never shown). */}}
{{- define "archive-service.podAnnotations" -}}
{{- if .Values.secrets.create }}
checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end }}
