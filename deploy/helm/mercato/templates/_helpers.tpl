{{/* Names, labels, merged per-service values and the pod template every process shares. */}}

{{- define "mercato.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mercato.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 30 | trimSuffix "-" -}}
{{- else if contains (include "mercato.name" .) .Release.Name -}}
{{- .Release.Name | trunc 30 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "mercato.name" .) | trunc 30 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mercato.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "mercato.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mercato
{{- end -}}

{{/* Labels of every pod of the release; network policies select on them. */}}
{{- define "mercato.releaseSelector" -}}
app.kubernetes.io/name: {{ include "mercato.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* dict root service component [color]: what tells one process of the release from another. */}}
{{- define "mercato.componentLabels" -}}
app.kubernetes.io/component: {{ .component }}
mercato.io/service: {{ .service }}
{{- with .color }}
mercato.io/color: {{ . }}
{{- end }}
{{- end -}}

{{- define "mercato.selectorLabels" -}}
{{ include "mercato.releaseSelector" .root }}
{{ include "mercato.componentLabels" . }}
{{- end -}}

{{/* Deep merge of two maps where `over` wins, false and empty values included (sprig's merge
     treats them as unset, so `enabled: false` could never turn a default off). */}}
{{- define "mercato.merge" -}}
{{- $out := deepCopy .base -}}
{{- range $key, $value := .over -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $out $key)) -}}
{{- $_ := set $out $key (include "mercato.merge" (dict "base" (get $out $key) "over" $value) | fromJson) -}}
{{- else -}}
{{- $_ := set $out $key $value -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* JSON map of every enabled service to its values over serviceDefaults. */}}
{{- define "mercato.services" -}}
{{- $services := dict -}}
{{- range $name, $values := .Values.services -}}
{{- $merged := include "mercato.merge" (dict "base" $.Values.serviceDefaults "over" (default dict $values)) | fromJson -}}
{{- if $merged.enabled -}}
{{- $_ := set $services $name $merged -}}
{{- end -}}
{{- end -}}
{{- toJson $services -}}
{{- end -}}

{{- define "mercato.serviceHost" -}}
{{- printf "%s-%s" (include "mercato.fullname" .root) .service -}}
{{- end -}}

{{- define "mercato.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mercato.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* dict root service: the Secret the service's processes read their secret settings from. */}}
{{- define "mercato.secretName" -}}
{{- if .root.Values.secrets.existingSecret -}}
{{- .root.Values.secrets.existingSecret | replace "{service}" .service -}}
{{- else -}}
{{- include "mercato.serviceHost" . -}}
{{- end -}}
{{- end -}}

{{- define "mercato.signingKeysSecretName" -}}
{{- default (printf "%s-identity-signing-keys" (include "mercato.fullname" .)) .Values.signingKeys.existingSecret -}}
{{- end -}}

{{- define "mercato.identityUrl" -}}
{{- printf "http://%s:8000" (include "mercato.serviceHost" (dict "root" . "service" "identity")) -}}
{{- end -}}

{{/* dict root service values: the service's ConfigMap data. */}}
{{- define "mercato.configData" -}}
{{- $root := .root -}}
{{- $hosts := list "localhost" "127.0.0.1" -}}
{{- $urls := dict -}}
{{- range $name, $_ := include "mercato.services" $root | fromJson -}}
{{- $host := include "mercato.serviceHost" (dict "root" $root "service" $name) -}}
{{- $hosts = concat $hosts (list $host (printf "%s.%s.svc" $host $root.Release.Namespace)) -}}
{{- $_ := set $urls (printf "%s_URL" (upper $name)) (printf "http://%s:8000" $host) -}}
{{- end -}}
{{- $routeHosts := list -}}
{{- if $root.Values.ingress.enabled -}}{{- $routeHosts = $root.Values.ingress.hosts -}}{{- end -}}
{{- if $root.Values.httpRoute.enabled -}}{{- $routeHosts = $root.Values.httpRoute.hostnames -}}{{- end -}}
{{- $origins := list -}}
{{- range $routeHosts -}}{{- $origins = append $origins (printf "https://%s" .) -}}{{- end -}}
{{- $identity := include "mercato.identityUrl" $root -}}
{{- $data := dict
    "MERCATO_SERVICE" .service
    "DEBUG" (ternary "true" "false" $root.Values.config.debug)
    "ALLOWED_HOSTS" (concat $hosts $routeHosts $root.Values.config.allowedHosts | uniq | join ",")
    "CSRF_TRUSTED_ORIGINS" (join "," $origins)
    "LOG_LEVEL" $root.Values.config.logLevel
    "LOG_FORMAT" $root.Values.config.logFormat
    "NUM_PROXIES" (toString $root.Values.config.numProxies)
    "JWT_ISSUER" $root.Values.config.jwt.issuer
    "JWT_AUDIENCE" $root.Values.config.jwt.audience
    "JWKS_URL" (printf "%s/identity/.well-known/jwks.json" $identity)
-}}
{{- $data = merge $data $urls -}}
{{- if eq .service "identity" -}}
{{- $_ := set $data "JWT_SIGNING_KEYS_DIR" "/etc/mercato/signing-keys" -}}
{{- $_ := set $data "SERVICE_ACCOUNT_SECRETS_DIR" "/etc/mercato/service-accounts" -}}
{{- end -}}
{{- range $key, $value := include "mercato.merge" (dict "base" $root.Values.config.env "over" (.values.env | default dict)) | fromJson -}}
{{- $_ := set $data $key (toString $value) -}}
{{- end -}}
{{- toYaml $data -}}
{{- end -}}

{{/* dict root service: what the service's Secret is made of, less what the chart generated
     (generated values never change, so they must not change the checksum either). */}}
{{- define "mercato.secretInputs" -}}
{{- $secrets := .root.Values.secrets -}}
{{- if $secrets.existingSecret -}}
existingSecret: {{ include "mercato.secretName" . }}
{{- else -}}
secretKey: {{ $secrets.secretKey | sha256sum }}
databaseUrl: {{ $secrets.databaseUrl | replace "{service}" .service | sha256sum }}
redisUrl: {{ $secrets.redisUrl | sha256sum }}
celeryBrokerUrl: {{ $secrets.celeryBrokerUrl | sha256sum }}
{{- end -}}
{{- end -}}

{{/* dict given old: base64 of the given value, else the value kept from the last release,
     else a new random one. */}}
{{- define "mercato.keptSecret" -}}
{{- if .given -}}
{{- .given | b64enc -}}
{{- else if .old -}}
{{- .old -}}
{{- else -}}
{{- randAlphaNum 50 | b64enc -}}
{{- end -}}
{{- end -}}

{{- define "mercato.image" -}}
{{- printf "%s:%s" .root.Values.image.repository (default (default .root.Chart.AppVersion .root.Values.image.tag) .tag) -}}
{{- end -}}

{{/* dict root service values role [color] [tag] container initContainer restartPolicy:
     the pod template of every process of the release. `container` holds what is particular to
     the role (args, env, ports, probes, resources). */}}
{{- define "mercato.podTemplate" -}}
{{- $root := .root -}}
{{- $selector := dict "root" $root "service" .service "component" .role "color" .color -}}
metadata:
  labels:
    {{- include "mercato.labels" $root | nindent 4 }}
    {{- include "mercato.componentLabels" $selector | nindent 4 }}
    {{- with $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include "mercato.configData" . | sha256sum }}
    checksum/secret: {{ include "mercato.secretInputs" . | sha256sum }}
    {{- if eq .service "identity" }}
    checksum/signing-keys: {{ $root.Values.signingKeys.existingSecret | sha256sum }}
    {{- end }}
    kubectl.kubernetes.io/default-container: {{ .role }}
    {{- with $root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "mercato.serviceAccountName" $root }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ .grace }}
  {{- with .restartPolicy }}
  restartPolicy: {{ . }}
  {{- end }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  {{- if .initContainer }}
  initContainers:
    {{- /* The pod's own code decides: an older colour's pods need only their own migrations. */}}
    - name: migrate-wait
      image: {{ include "mercato.image" (dict "root" $root "tag" .tag) }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      args: [migrate-wait]
      {{- include "mercato.envFrom" . | nindent 6 }}
      resources:
        {{- toYaml $root.Values.migrations.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        {{- include "mercato.volumeMounts" . | nindent 8 }}
  {{- end }}
  containers:
    - name: {{ .role }}
      image: {{ include "mercato.image" (dict "root" $root "tag" .tag) }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      {{- include "mercato.envFrom" . | nindent 6 }}
      {{- toYaml .container | nindent 6 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        {{- include "mercato.volumeMounts" . | nindent 8 }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ $root.Values.tmpVolume.sizeLimit }}
    {{- if eq .service "identity" }}
    - name: signing-keys
      secret:
        secretName: {{ include "mercato.signingKeysSecretName" $root }}
        defaultMode: 0440
    {{- /* identity registers each service's client secret as that service's account. */}}
    - name: service-accounts
      projected:
        defaultMode: 0440
        sources:
          {{- range $name, $_ := include "mercato.services" $root | fromJson }}
          {{- if ne $name "identity" }}
          - secret:
              name: {{ include "mercato.secretName" (dict "root" $root "service" $name) }}
              items:
                - key: SERVICE_CLIENT_SECRET
                  path: {{ $name }}
          {{- end }}
          {{- end }}
    {{- end }}
  {{- if and $root.Values.topologySpread.enabled (ne .role "migrate") }}
  topologySpreadConstraints:
    {{- range list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
    - maxSkew: {{ $root.Values.topologySpread.maxSkew }}
      topologyKey: {{ . }}
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "mercato.selectorLabels" $selector | nindent 10 }}
    {{- end }}
  {{- end }}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- define "mercato.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "mercato.serviceHost" . }}
  - secretRef:
      name: {{ include "mercato.secretName" . }}
{{- end -}}

{{- define "mercato.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if eq .service "identity" }}
- name: signing-keys
  mountPath: /etc/mercato/signing-keys
  readOnly: true
- name: service-accounts
  mountPath: /etc/mercato/service-accounts
  readOnly: true
{{- end }}
{{- end -}}

{{/* An httpGet probe of `path` on the web port. Kubernetes sends the pod IP as Host, which
     Django rejects with 400, so the probe names a host ALLOWED_HOSTS always holds. */}}
{{- define "mercato.probe" -}}
path: {{ . }}
port: http
httpHeaders:
  - name: Host
    value: localhost
{{- end -}}
