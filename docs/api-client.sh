#!/bin/sh
# A client of the Ohjaamo REST API with nothing but curl: get a token, find free times
# for a process, book one with an Idempotency-Key (and retry safely with the same key),
# then cancel it. The tests run this script against a gunicorn-served Ohjaamo.
#
#   OHJAAMO_URL=http://127.0.0.1:8000 EMAIL=you@example.fi PROCESS=<process uuid> \
#       sh docs/api-client.sh
#
# EMAIL is a person who books for the process (the supervisor, the supervisee, or a
# group's contact). The token is made with `ohjaamo tokens create`, which needs the
# same settings as the server (OHJAAMO_DATABASE_URL and friends) in the environment.
# Reading JSON takes python3 here; with jq, `jq -r '.[0].start'` does the same.
set -eu

URL=${OHJAAMO_URL:-http://127.0.0.1:8000}
API="$URL/api/v1"
: "${EMAIL:?set EMAIL to the person who books}"
: "${PROCESS:?set PROCESS to the process id}"

# field KEY... : one value out of the JSON on standard input (list indexes are numbers).
field() {
    python3 -c 'import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1:]:
    value = value[int(key)] if key.isdigit() else value[key]
print(value)' "$@"
}

# 1. A token with read and write scopes; it is printed once, on the last line.
TOKEN=$(ohjaamo tokens create --email "$EMAIL" --name "api-client.sh" \
    --scope read --scope write | tail -n 1)
AUTH="Authorization: Bearer $TOKEN"
echo "token: ${TOKEN%"${TOKEN#????????????}"}..."

# 2. Free times for the process's next session, three days to ten weeks from now
#    (FROM and TO, RFC 3339, choose another window).
FROM=${FROM:-$(date -u -d '+3 days' +%Y-%m-%dT00:00:00Z)}
TO=${TO:-$(date -u -d '+70 days' +%Y-%m-%dT00:00:00Z)}
SLOTS=$(curl -fsS -G "$API/slots" -H "$AUTH" \
    --data-urlencode "process=$PROCESS" --data-urlencode "from=$FROM" \
    --data-urlencode "to=$TO" --data-urlencode "zone=Europe/Helsinki")
START=$(printf '%s' "$SLOTS" | field 0 start)
echo "first free time: $(printf '%s' "$SLOTS" | field 0 local_start)"

# 3. Book it. The Idempotency-Key makes a retry (say, after a timeout) safe: the same
#    key and body answer the same booking instead of a second one.
KEY=$(cat /proc/sys/kernel/random/uuid)
BODY="{\"process_id\": \"$PROCESS\", \"starts_at\": \"$START\"}"
book() {
    curl -fsS -X POST "$API/bookings" -H "$AUTH" -H "Idempotency-Key: $KEY" \
        -H "Content-Type: application/json" -d "$BODY"
}
BOOKING=$(book)
ID=$(printf '%s' "$BOOKING" | field id)
echo "booked: $ID ($(printf '%s' "$BOOKING" | field status))"
AGAIN=$(printf '%s' "$(book)" | field id)
[ "$AGAIN" = "$ID" ] || { echo "a retry made another booking: $AGAIN" >&2; exit 1; }
echo "retried with the same key: $AGAIN"

# 4. Cancel it, with a reason category (never free text).
CANCELLED=$(curl -fsS -X POST "$API/bookings/$ID/cancel" -H "$AUTH" \
    -H "Content-Type: application/json" -d '{"reason": "schedule_conflict"}')
echo "cancelled: $(printf '%s' "$CANCELLED" | field status)," \
    "charge $(printf '%s' "$CANCELLED" | field charge_percent) %"
