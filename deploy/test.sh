#!/usr/bin/env bash
# The reviewers' procedure against the deployed platform (deploy/deploy.sh first), on the
# cluster of the current kubectl context:
#
#   1. pay once: of the invoices that were pending, roughly half end PAID (success rate 0.5);
#   2. pay again until none is pending;
#   3. the provider's ledger holds exactly one successful charge per PAID invoice;
#   4. invoice-app reaches payment-provider, and a pod that is not invoice-app cannot: neither
#      one in another namespace nor one in the invoices namespace itself.
#
# It changes nothing but invoice states (which is what paying is): its probe pods run in
# namespace PROBE_NAMESPACE, which it creates for them and deletes when it ends, however it ends
# (a namespace of that name that existed before is left as it was). It can run again at any time.
#
# Settings (environment):
#   MANIFESTS        the manifests that were deployed (default dist)
#   LOCAL_PORT       first local port for kubectl port-forward (default 18000; also +1)
#   MAX_PAY_RUNS     pay calls allowed to get every invoice PAID (default 20)
#   PROBE_NAMESPACE  namespace of the outside probe pod (default billing-probe)
set -euo pipefail
FAILURE_PREFIX="FAILED: "
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MANIFESTS="${MANIFESTS:-dist}"
LOCAL_PORT="${LOCAL_PORT:-18000}"
MAX_PAY_RUNS="${MAX_PAY_RUNS:-20}"
PROBE_NAMESPACE="${PROBE_NAMESPACE:-billing-probe}"

pass() { printf '    ok: %s\n' "$*"; }

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && {
  usage
  exit 0
}

need kubectl "See https://kubernetes.io/docs/tasks/tools/."
need curl "Install curl."
need node "Install Node 20 and run npm ci at the repository root."
[[ -d "$MANIFESTS" ]] || die "$MANIFESTS does not exist. Run npm run synth and deploy/deploy.sh first."
kubectl config current-context >/dev/null 2>&1 || die "kubectl has no current context. Deploy first: make deploy."

manifest_facts() { node deploy/manifests.mjs "$MANIFESTS" "$@"; }
read -r INVOICES_NS INVOICES_SVC INVOICES_PORT < <(manifest_facts service invoice-app)
read -r PAYMENTS_NS PAYMENTS_SVC PAYMENTS_PORT < <(manifest_facts service payment-provider)
PROVIDER_URL="http://$PAYMENTS_SVC.$PAYMENTS_NS.svc:$PAYMENTS_PORT/rest/health"

secret_value() {
  local namespace name key
  read -r namespace name key < <(manifest_facts secret-of "$1" "$2")
  kubectl --namespace "$namespace" get secret "$name" -o "jsonpath={.data.$key}" | base64 -d
}

FORWARDS=()
PROBE_NAMESPACE_CREATED=false
cleanup() {
  for pid in "${FORWARDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if $PROBE_NAMESPACE_CREATED; then
    kubectl delete namespace "$PROBE_NAMESPACE" --wait=false >/dev/null 2>&1 ||
      printf 'test.sh: could not delete namespace %s; delete it by hand\n' "$PROBE_NAMESPACE" >&2
  fi
}
trap cleanup EXIT

# port_forward <namespace> <service> <port> <local port>: forwards and waits until it answers.
port_forward() {
  kubectl --namespace "$1" port-forward "service/$2" "$4:$3" >/dev/null 2>&1 &
  FORWARDS+=("$!")
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$4/rest/health" 2>/dev/null && return 0
    sleep 0.2
  done
  die "kubectl port-forward to $1/$2 did not answer on 127.0.0.1:$4 (is the port free? try LOCAL_PORT=...)"
}

# JSON helpers, with node since jq is not everywhere.
json_length() { node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).length));'; }

INVOICES="http://127.0.0.1:$LOCAL_PORT"
count() { curl -fsS "$INVOICES/rest/v1/invoices?status=$1" | json_length; }
pay() { curl -fsS -X POST -H "Authorization: Bearer $BILLING_API_TOKEN" "$INVOICES/rest/v1/invoices/pay"; }

log "Reaching invoice-app through kubectl port-forward on 127.0.0.1:$LOCAL_PORT"
port_forward "$INVOICES_NS" "$INVOICES_SVC" "$INVOICES_PORT" "$LOCAL_PORT"
BILLING_API_TOKEN="$(secret_value invoice-app BILLING_API_TOKEN)"

status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$INVOICES/rest/v1/invoices/pay")"
[[ "$status" == 401 ]] || die "POST /rest/v1/invoices/pay without a token answered $status, not 401"
pass "paying needs the bearer token (401 without)"

log "1. One pay run"
pending_before="$(count PENDING)"
paid_before="$(count PAID)"
printf '    before: %s PENDING, %s PAID\n' "$pending_before" "$paid_before"
printf '    summary: %s\n' "$(pay)"
paid_after="$(count PAID)"
newly_paid=$((paid_after - paid_before))
printf '    after:  %s PAID (%s newly)\n' "$paid_after" "$newly_paid"
if ((pending_before >= 100)); then
  # At a success rate of 0.5, 30%..70% of 100 or more is far beyond chance either way.
  ((newly_paid * 10 >= pending_before * 3 && newly_paid * 10 <= pending_before * 7)) ||
    die "$newly_paid of $pending_before pending invoices got paid; expected roughly half"
  pass "roughly half of the pending invoices are PAID ($newly_paid of $pending_before)"
else
  printf '    (only %s were pending: the half check needs a freshly seeded database, skipped)\n' "$pending_before"
fi

log "2. Paying until no invoice is pending"
runs=1
while (($(count PENDING) > 0)); do
  ((runs < MAX_PAY_RUNS)) || die "invoices still PENDING after $MAX_PAY_RUNS pay runs"
  pay >/dev/null
  runs=$((runs + 1))
done
paid="$(count PAID)"
failed="$(count FAILED)"
pass "no invoice PENDING after $runs runs: $paid PAID, $failed FAILED (FAILED needs a person: currency mismatch, unknown customer)"

log "3. The provider's ledger: one successful charge per PAID invoice"
port_forward "$PAYMENTS_NS" "$PAYMENTS_SVC" "$PAYMENTS_PORT" "$((LOCAL_PORT + 1))"
PROVIDER_TOKEN="$(secret_value payment-provider PAYMENT_PROVIDER_TOKEN)"
# shellcheck disable=SC2016 # the single-quoted text is JavaScript, with JavaScript's ${...}
ledger="$(curl -fsS -H "Authorization: Bearer $PROVIDER_TOKEN" "http://127.0.0.1:$((LOCAL_PORT + 1))/rest/v1/charges" |
  node -e '
    let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const perInvoice = new Map();
      for (const c of JSON.parse(s)) if (c.result === true) perInvoice.set(c.invoiceId, (perInvoice.get(c.invoiceId) ?? 0) + 1);
      const twice = [...perInvoice].filter(([, n]) => n > 1).length;
      console.log(`${perInvoice.size} ${twice}`);
    });')"
read -r charged_invoices charged_twice <<<"$ledger"
((charged_twice == 0)) || die "$charged_twice invoices were charged successfully more than once"
((charged_invoices == paid)) || die "the ledger has successful charges for $charged_invoices invoices, but $paid are PAID"
pass "$charged_invoices invoices charged successfully, none twice"

log "4. Only invoice-app reaches payment-provider ($PROVIDER_URL)"
kubectl --namespace "$INVOICES_NS" exec "deployment/$INVOICES_SVC" -- wget -q -O /dev/null -T 5 "$PROVIDER_URL" ||
  die "invoice-app cannot reach payment-provider: its NetworkPolicies are too strict, or the provider is down"
pass "invoice-app reaches payment-provider"

# The platform's pinned curl image: the manifests no longer run one (the billing runs use the
# invoice-app image's CLI), so it comes from the library that pins it.
CURL_IMAGE="$(node --import tsx --input-type=module -e "const { PINNED_IMAGES } = await import('./charts/image.ts'); console.log(PINNED_IMAGES.curl.reference)")"
# probe <namespace> <script>: runs a short-lived curl pod that satisfies the restricted Pod
# Security profile (which the team namespaces enforce) and prints its output. kubectl merges
# --overrides into the pod it generates by container name, so the container is named as the pod.
probe() {
  local name overrides
  name="network-probe-$RANDOM"
  overrides="$(node -e '
    const [name, image, script] = process.argv.slice(1);
    console.log(JSON.stringify({ spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10003, runAsGroup: 10003, seccompProfile: { type: "RuntimeDefault" } },
      containers: [{ name, image, command: ["sh", "-c", script],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } } }] } }));
  ' "$name" "$CURL_IMAGE" "$2")"
  kubectl --namespace "$1" run "$name" --image="$CURL_IMAGE" --restart=Never --rm -i --quiet \
    --pod-running-timeout=2m --overrides="$overrides" 2>&1 || true
}
# The control line proves the probe itself works (DNS, the pod network); then the provider.
PROBE_SCRIPT="curl -sk -m 5 -o /dev/null -w 'control:%{http_code}\n' https://kubernetes.default.svc/healthz;
curl -s -m 5 -o /dev/null '$PROVIDER_URL'; echo provider-exit:\$?"

if ! kubectl get namespace "$PROBE_NAMESPACE" >/dev/null 2>&1; then
  kubectl create namespace "$PROBE_NAMESPACE" >/dev/null
  PROBE_NAMESPACE_CREATED=true
fi
output="$(probe "$PROBE_NAMESPACE" "$PROBE_SCRIPT")"
grep -Eq '^control:[1-9]' <<<"$output" || die "the probe pod in $PROBE_NAMESPACE did not run or has no network: $output"
grep -q '^provider-exit:0$' <<<"$output" &&
  die "a pod in namespace $PROBE_NAMESPACE reached payment-provider. Does the cluster's CNI enforce NetworkPolicy? (kind >= 0.24 does; minikube needs --cni=calico)"
grep -q '^provider-exit:' <<<"$output" || die "the probe pod in $PROBE_NAMESPACE printed no result: $output"
pass "a pod in namespace $PROBE_NAMESPACE cannot reach payment-provider ($(grep '^provider-exit:' <<<"$output"))"

output="$(probe "$INVOICES_NS" "curl -s -m 5 -o /dev/null '$PROVIDER_URL'; echo provider-exit:\$?")"
grep -q '^provider-exit:' <<<"$output" || die "the probe pod in $INVOICES_NS did not run: $output"
grep -q '^provider-exit:0$' <<<"$output" && die "a pod in $INVOICES_NS that is not invoice-app reached payment-provider"
pass "a pod in $INVOICES_NS that is not invoice-app cannot reach payment-provider either"

log "All checks passed."
