#!/usr/bin/env bash
# Prints a bearer token (HS256 JWT) for the API that ./run.sh starts: signed with the key ./run.sh generated in
# .data/dev-signing-key (or Auth__SigningKey when set), issuer webhook-dev (or Auth__Issuer), audience webhook-api.
#
#   scripts/dev-token.sh --domain D [--scope "webhook:read ..."] [--projects p1,p2] [--system] [--sub NAME] [--ttl SECONDS]
#
# Default scope: webhook:read webhook:write event:read audit:read; --system adds `system` (may name any domain; then
# --domain may be left out). No --projects: every project of the domain.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

domain="" scope="webhook:read webhook:write event:read audit:read" projects="" projects_given=0 system=0 sub="dev" ttl=3600
while [ $# -gt 0 ]; do
  case "$1" in
    --domain) domain="${2:?--domain needs a value}"; shift 2 ;;
    --scope) scope="${2?--scope needs a value}"; shift 2 ;;
    --projects) projects="${2?--projects needs a value}"; projects_given=1; shift 2 ;;
    --system) system=1; shift ;;
    --sub) sub="${2:?--sub needs a value}"; shift 2 ;;
    --ttl) ttl="${2:?--ttl needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "dev-token: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$ttl" =~ ^[0-9]+$ ]] || { echo "dev-token: --ttl must be a number of seconds" >&2; exit 2; }
[ -n "$domain" ] || [ "$system" -eq 1 ] || { echo "dev-token: --domain is required (only a --system token may carry none)" >&2; exit 2; }
[ "$system" -eq 0 ] || scope="$scope system"

key="${Auth__SigningKey:-}"
if [ -z "$key" ]; then
  [ -f .data/dev-signing-key ] || { echo "dev-token: no .data/dev-signing-key yet: start ./run.sh once" >&2; exit 1; }
  key=$(cat .data/dev-signing-key)
fi
issuer="${Auth__Issuer:-webhook-dev}"
audience="${Auth__Audience:-webhook-api}"

json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
payload="{\"sub\":$(json_string "$sub"),\"iss\":$(json_string "$issuer"),\"aud\":$(json_string "$audience")"
payload+=",\"iat\":$now,\"nbf\":$now,\"exp\":$((now + ttl)),\"scope\":$(json_string "$scope")"
[ -z "$domain" ] || payload+=",\"domain_id\":$(json_string "$domain")"
if [ "$projects_given" -eq 1 ]; then
  items=""
  IFS=',' read -ra list <<< "$projects"
  for p in "${list[@]}"; do [ -z "$p" ] || items+="${items:+,}$(json_string "$p")"; done
  payload+=",\"projects\":[$items]"
fi
payload+="}"

input="$(printf '{"alg":"HS256","typ":"JWT"}' | b64url).$(printf '%s' "$payload" | b64url)"
hexkey=$(printf '%s' "$key" | base64 -d | od -An -v -tx1 | tr -d ' \n')
signature=$(printf '%s' "$input" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hexkey" -binary | b64url)
echo "$input.$signature"
