#!/usr/bin/env bash
# Headless Chromium drives Swagger UI like a first-time user: loads it, counts the operations against the served
# document, authorizes with a bearer token, and uses "Try it out" to create a webhook (expects 200).
#
#   ./run.sh                                  # in another terminal: the API on http://localhost:8080
#   scripts/browser-check.sh [BASE_URL]       # default http://localhost:8080
#
# The token comes from WEBHOOK_TOKEN, else from scripts/dev-token.sh (the key ./run.sh made under .data/).
# Needs chromium, chromium-driver and python3-selenium (Debian packages; installed here when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-http://localhost:8080}
domain=${WEBHOOK_DOMAIN:-domain-browser-check}

if ! command -v chromedriver >/dev/null || ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "needs chromium, chromium-driver and python3-selenium: sudo apt-get install chromium chromium-driver python3-selenium" >&2
    exit 1
  fi
  echo "installing chromium, chromium-driver and python3-selenium from Debian's packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver python3-selenium >/dev/null
fi

token=${WEBHOOK_TOKEN:-}
if [ -z "$token" ] && [ -x scripts/dev-token.sh ]; then
  token=$(scripts/dev-token.sh --domain "$domain")
fi

BASE="$base" DOMAIN="$domain" TOKEN="$token" exec /usr/bin/python3 - <<'PY'
import json, os, sys, time, urllib.request
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

base, domain, token = os.environ["BASE"].rstrip("/"), os.environ["DOMAIN"], os.environ["TOKEN"]
document = json.load(urllib.request.urlopen(f"{base}/swagger/v1/swagger.json", timeout=30))
expected = sum(1 for item in document["paths"].values() for method in item if method in ("get", "put", "post", "delete", "patch"))

options = webdriver.ChromeOptions()
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2000"):
    options.add_argument(argument)
browser = webdriver.Chrome(options=options)
wait = WebDriverWait(browser, 60)
try:
    browser.get(f"{base}/swagger/index.html")
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    shown = len(browser.find_elements(By.CSS_SELECTOR, ".opblock"))
    print(f"Swagger UI shows {shown} operations; the document has {expected}")
    if shown != expected:
        sys.exit("operation count differs")

    if token:
        browser.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize").click()
        field = wait.until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".modal-ux input")))
        field.send_keys(token)
        browser.find_element(By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper .authorize").click()
        browser.find_element(By.CSS_SELECTOR, ".modal-ux .btn-done").click()
        print("authorized with a bearer token for", domain)
    else:
        print("no token (no WEBHOOK_TOKEN, no scripts/dev-token.sh): trying without authorizing")

    create = browser.find_element(By.ID, "operations-Webhook-CreateWebhook")
    create.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    wait.until(lambda _: create.find_element(By.CSS_SELECTOR, ".try-out__btn")).click()
    body = wait.until(lambda _: create.find_element(By.CSS_SELECTOR, "textarea.body-param__text"))
    body.send_keys(Keys.CONTROL, "a")
    body.send_keys(Keys.DELETE)
    body.send_keys(json.dumps({
        "name": f"browser-check-{int(time.time() * 1000)}", "project_id": "project-1", "domain_id": domain,
        "plugin_info": {"plugin_id": "plugin-prometheus-mon-webhook", "options": {}, "upgrade_mode": "AUTO"},
        "tags": {"made_by": "browser-check"},
    }))
    create.find_element(By.CSS_SELECTOR, ".execute").click()
    status = wait.until(lambda _: create.find_element(By.CSS_SELECTOR, ".live-responses-table .response .response-col_status"))
    answer = create.find_element(By.CSS_SELECTOR, ".live-responses-table .response-col_description pre").text
    print(f"Try it out: POST /monitoring/v1/webhooks answered {status.text.strip()}")
    if status.text.strip() != "200":
        sys.exit(answer[:500])
    print("created", json.loads(answer)["webhook_id"])
finally:
    browser.quit()
PY
