import { HIDDEN_FROM_OPENAPI, type RoutesPlugin } from '@billing/service-kit';

/**
 * GET /: the operator page. One self-contained HTML document, no framework and nothing else to
 * fetch but the API itself: invoice counts by status, the recent runs with live progress of a
 * running one (its event stream, read with fetch because EventSource cannot send a token), a
 * form that starts a run, and an invoice lookup by id. The token is asked for and kept in a
 * variable of the page only: never stored, never in a URL.
 */
export const operatorPageRoutes: RoutesPlugin = async (app) => {
  app.get('/', { schema: HIDDEN_FROM_OPENAPI, logLevel: 'warn' }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      // The page runs only its own inline script and talks only to this service.
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'",
      )
      .header('cache-control', 'no-store')
      .send(OPERATOR_PAGE),
  );
};

const OPERATOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>invoice-app operator</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 62rem; padding: 0 1rem; color: #222 }
h1 { font-size: 1.4rem } h2 { font-size: 1.1rem; margin-top: 1.6rem }
.counts { display: flex; gap: 1rem } .count { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; min-width: 8rem }
.count b { display: block; font-size: 1.6rem } .PAID b { color: #0a6 } .FAILED b { color: #b00 } .PENDING b { color: #b60 }
table { border-collapse: collapse; width: 100%; font-size: 14px } td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee }
progress { width: 100%; height: 1.2rem } #live { border: 1px solid #ddd; border-radius: 6px; padding: .6rem .8rem; margin-top: .6rem }
input { font: inherit; padding: .2rem .4rem } button { font: inherit; padding: .2rem .8rem; cursor: pointer }
.error { color: #b00 } small { color: #666 } pre { background: #f6f6f6; padding: .5rem; overflow: auto }
</style>
</head>
<body>
<h1>invoice-app operator</h1>

<h2>Invoices</h2>
<div class="counts">
  <div class="count PENDING">PENDING<b id="count-PENDING">…</b></div>
  <div class="count PAID">PAID<b id="count-PAID">…</b></div>
  <div class="count FAILED">FAILED<b id="count-FAILED">…</b></div>
</div>

<h2>Billing runs</h2>
<form id="token-form">
  <label>Billing API token <input id="token" type="password" autocomplete="off" size="32" required></label>
  <button id="use-token">Use</button>
  <small>kept in this page only; reloading forgets it</small>
</form>
<p><button id="start-run" disabled>Start a billing run</button> <span id="run-message"></span></p>
<div id="live" hidden>
  <div>Run <code id="live-id"></code>: <b id="live-status"></b> <span id="live-text"></span></div>
  <progress id="live-progress" value="0" max="1"></progress>
</div>
<table>
  <thead><tr><th>Run</th><th>Status</th><th>Trigger</th><th>Started</th><th>Total</th><th>Paid</th><th>Declined</th><th>Failed</th><th>Errored</th></tr></thead>
  <tbody id="runs"><tr><td colspan="9"><small>enter the token to see the runs</small></td></tr></tbody>
</table>

<h2>Invoice lookup</h2>
<form id="lookup-form">
  <label>Invoice id <input id="invoice-id" type="number" min="1" required></label>
  <button>Look up</button>
</form>
<pre id="invoice" hidden></pre>

<script>
'use strict';
let token = '';
let following = '';
const $ = (id) => document.getElementById(id);
const auth = () => ({ authorization: 'Bearer ' + token });
const settled = (run) => run.paid + run.declined + run.failed + run.errored;

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
  if (response.status === 401) throw new Error("The token was refused (401): enter the service's BILLING_API_TOKEN.");
  if (!response.ok) throw new Error((body && body.error) || path + ' answered ' + response.status);
  return body;
}

async function refreshCounts() {
  try {
    const counts = await api('/rest/v1/invoices/counts');
    for (const status of ['PENDING', 'PAID', 'FAILED']) $('count-' + status).textContent = counts[status];
  } catch (err) {
    $('count-PENDING').textContent = '?';
  }
}

async function refreshRuns() {
  if (!token) return;
  let runs;
  try {
    runs = await api('/rest/v1/billing-runs?limit=10', { headers: auth() });
  } catch (err) {
    $('run-message').textContent = err.message;
    $('run-message').className = 'error';
    return;
  }
  const rows = runs.map((run) => {
    const row = document.createElement('tr');
    row.dataset.runId = run.runId;
    for (const value of [run.runId, run.status, run.trigger, new Date(run.startedAt).toLocaleString(), run.total, run.paid, run.declined, run.failed, run.errored]) {
      const cell = document.createElement('td');
      cell.textContent = value;
      row.append(cell);
    }
    return row;
  });
  $('runs').replaceChildren(...rows);
  const running = runs.find((run) => run.status === 'running');
  if (running && following !== running.runId) follow(running);
}

function show(run) {
  $('live').hidden = false;
  $('live-id').textContent = run.runId;
  $('live-status').textContent = run.status;
  $('live-text').textContent = settled(run) + ' of ' + run.total + ' settled: ' + run.paid + ' paid, ' + run.declined + ' declined, ' + run.failed + ' failed, ' + run.errored + ' errored';
  const bar = $('live-progress');
  bar.max = Math.max(run.total, settled(run), 1);
  // A completed run leaves nothing billable, even if other replicas' runs billed part of its total.
  bar.value = run.status === 'completed' ? bar.max : settled(run);
}

// Server-sent events through fetch: EventSource cannot send the Authorization header.
async function follow(run) {
  following = run.runId;
  show(run);
  try {
    const response = await fetch('/rest/v1/billing-runs/' + encodeURIComponent(run.runId) + '/events', { headers: auth() });
    if (!response.ok) throw new Error('the event stream answered ' + response.status);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\\n\\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block);
        if (!data) continue;
        const current = JSON.parse(data[1]);
        if (following === current.runId) show(current);
        if (/^event: end$/m.test(block)) {
          following = '';
          refreshCounts();
          refreshRuns();
          return;
        }
      }
      refreshCounts();
    }
  } catch (err) {
    $('run-message').textContent = err.message;
    $('run-message').className = 'error';
  }
  following = '';
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  $('token').value = '';
  $('start-run').disabled = !token;
  $('run-message').textContent = '';
  refreshRuns();
});

$('start-run').addEventListener('click', async () => {
  $('run-message').className = '';
  try {
    const run = await api('/rest/v1/invoices/pay', {
      method: 'POST',
      headers: { ...auth(), prefer: 'respond-async', 'billing-trigger': 'page' },
    });
    $('run-message').textContent = 'started ' + run.runId;
    refreshRuns();
    follow(run);
  } catch (err) {
    $('run-message').textContent = err.message;
    $('run-message').className = 'error';
  }
});

$('lookup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = $('invoice');
  out.hidden = false;
  out.className = '';
  try {
    out.textContent = JSON.stringify(await api('/rest/v1/invoices/' + encodeURIComponent($('invoice-id').value)), null, 2);
  } catch (err) {
    out.textContent = err.message;
    out.className = 'error';
  }
});

refreshCounts();
setInterval(refreshCounts, 5000);
setInterval(refreshRuns, 5000);
</script>
</body>
</html>
`;
