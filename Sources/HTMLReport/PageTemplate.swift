/// The page, as a Mustache template: `{{name}}` places a value HTML-escaped, sections repeat
/// or show parts. Kept in the source (not a resource file) so no lookup can fail at run time.
/// The styles and the filtering script are inline: the page needs no server and no network.
enum PageTemplate {
    static let text = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{{title}}</title>
<style>
:root { --pass: #2e7d32; --fail: #c62828; --non-strict: #ef6c00; --error: #6a1b9a; --skipped: #607d8b; --line: #d0d4da; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2329; background: #f6f7f9; }
header, main { max-width: 1240px; margin: 0 auto; padding: 12px 20px; }
header { background: #1d2329; color: #fff; max-width: none; }
header h1 { margin: 0 0 4px; font-size: 20px; }
.meta { color: #c9d1d9; margin: 0; }
h2 { font-size: 17px; margin: 22px 0 8px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.totals { display: flex; gap: 10px; flex-wrap: wrap; }
.total { background: #fff; border: 1px solid var(--line); border-left: 6px solid; padding: 6px 14px; min-width: 90px; }
.total b { display: block; font-size: 24px; }
.v-pass { border-color: var(--pass); color: var(--pass); }
.v-fail { border-color: var(--fail); color: var(--fail); }
.v-non-strict { border-color: var(--non-strict); color: var(--non-strict); }
.v-error { border-color: var(--error); color: var(--error); }
.v-skipped { border-color: var(--skipped); color: var(--skipped); }
.dimensions { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
tr.dimension-row { cursor: pointer; }
tr.dimension-row:hover { background: #eef3fb; }
.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; background: #fff; border: 1px solid var(--line); padding: 8px; margin: 12px 0; }
.verdict { font-weight: 600; }
.notes { background: #fff8e1; border: 1px solid #f0c36d; padding: 6px 12px; }
section.scenario { color: #1d2329; background: #fff; border: 1px solid var(--line); border-left: 6px solid; margin: 14px 0; padding: 4px 14px 12px; }
details > summary { cursor: pointer; font-weight: 600; padding: 6px 0; }
.summary-reason { font-weight: normal; color: #4a545e; }
pre { background: #f0f2f5; padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; max-height: 320px; }
section.scenario.v-pass { border-left-color: var(--pass); } section.scenario.v-fail { border-left-color: var(--fail); }
section.scenario.v-non-strict { border-left-color: var(--non-strict); } section.scenario.v-error { border-left-color: var(--error); }
section.scenario.v-skipped { border-left-color: var(--skipped); }
.diff { font: 12px/1.4 ui-monospace, monospace; border: 1px solid var(--line); margin: 4px 0; }
.diff div { white-space: pre-wrap; word-break: break-all; padding: 0 6px; }
.diff .expected { background: #fde7e9; }
.diff .observed { background: #e3f4e4; }
.filmstrip { display: flex; gap: 10px; flex-wrap: wrap; list-style: none; padding: 0; }
.frame { width: 176px; background: #fafbfc; border: 2px solid var(--line); padding: 6px; font-size: 12px; }
.frame.st-ok { border-color: #9ccc9f; }
.frame.st-truncated, .frame.st-corrupt, .frame.st-missing { border-color: var(--fail); border-style: dashed; }
.thumb { display: block; max-width: 160px; max-height: 160px; margin: 0 auto 4px; background: repeating-conic-gradient(#ddd 0 25%, #fff 0 50%) 0 0 / 12px 12px; }
.placeholder { height: 90px; display: flex; align-items: center; justify-content: center; text-align: center; color: var(--fail); background: #fbeaea; margin-bottom: 4px; font-weight: 600; }
.st-ok .placeholder { color: #555; background: #eee; }
.problem { color: var(--fail); }
table.overview td.cell { padding: 2px 3px; max-width: 420px; }
table.overview th.source { font-weight: normal; white-space: nowrap; }
table.overview th.source small { color: #6b7680; }
a.sq { display: inline-block; width: 9px; height: 9px; margin: 1px; background: var(--pass); vertical-align: middle; }
a.sq.v-fail { background: var(--fail); } a.sq.v-non-strict { background: var(--non-strict); }
a.sq.v-error { background: var(--error); } a.sq.v-skipped { background: var(--skipped); }
a.sq:hover, a.sq:focus { outline: 2px solid #1d2329; }
table.causes td.rule { white-space: nowrap; font-weight: 600; }
table.causes ul { margin: 0; padding-left: 16px; font: 12px/1.4 ui-monospace, monospace; }
svg.timeline { width: 100%; max-width: 960px; background: #fff; border: 1px solid var(--line); }
svg .chunk { fill: #1565c0; }
svg .stall { fill: #ffcdd2; }
svg .stall-label { fill: var(--fail); font-size: 11px; text-anchor: middle; }
svg .lane { fill: #6b7680; font-size: 10px; }
svg .axis { stroke: #9aa3ad; }
svg .axis-label { fill: #4a545e; font-size: 10px; text-anchor: middle; }
svg .cut { fill: var(--non-strict); font-size: 11px; text-anchor: middle; }
svg .ev-partial { fill: #1e88e5; } svg .ev-final { fill: var(--pass); } svg .ev-error { fill: var(--fail); } svg .ev-other { fill: #90a4ae; }
svg .ev-unsurfaced, svg .ev-unterminated { fill: none; stroke: var(--fail); stroke-width: 2; }
</style>
</head>
<body data-ready="no">
<header>
<h1>{{title}}</h1>
<p class="meta">{{tool}} · started {{startedAt}} · {{duration}} · {{#isSession}}{{clientMode}} <b>{{clientName}}</b>{{/isSession}}{{^isSession}}client <b>{{clientName}}</b> ({{clientMode}}{{#hasClientVersion}} {{clientVersion}}{{/hasClientVersion}}){{/isSession}}{{#hasClientCommand}} · <code>{{clientCommand}}</code>{{/hasClientCommand}} · {{selection}}</p>
</header>
<main>
<h2>Summary</h2>
{{#totals}}
<div class="totals" id="totals">
<div class="total"><b id="total-all">{{total}}</b>scenarios</div>
<div class="total v-pass"><b id="total-pass">{{pass}}</b>pass</div>
<div class="total v-fail"><b id="total-fail">{{fail}}</b>fail</div>
<div class="total v-non-strict"><b id="total-non-strict">{{nonStrict}}</b>non-strict</div>
<div class="total v-error"><b id="total-error">{{error}}</b>error</div>
<div class="total v-skipped"><b id="total-skipped">{{skipped}}</b>skipped</div>
</div>
{{/totals}}
{{#hasNotes}}
<div class="notes" id="notes">
{{#hasRowsLeftOut}}<p>{{rowsLeftOut}} passing scenarios are counted above but not listed below.</p>{{/hasRowsLeftOut}}
{{#hasDetailsLeftOut}}<p>{{detailsLeftOut}} scenarios that did not pass are listed but not shown in full.</p>{{/hasDetailsLeftOut}}
{{#hasThumbnailsLeftOut}}<p id="thumbnails-left-out">{{thumbnailsLeftOut}} thumbnails were left out to keep this page under {{pageLimit}}.</p>{{/hasThumbnailsLeftOut}}
</div>
{{/hasNotes}}
{{^isSession}}
{{#overview}}
<h2>Overview</h2>
<p>One square per scenario, coloured by verdict: a row per cassette or wire case, a column per chunking strategy; each square links to its scenario, its title names it.</p>
<table class="overview" id="overview">
<thead><tr><th>source</th><th>failed</th>{{#strategies}}<th>{{.}}</th>{{/strategies}}</tr></thead>
<tbody>
{{#rows}}<tr data-source="{{source}}"><th class="source">{{source}} <small>{{surface}}</small></th><td class="n">{{failing}}</td>{{#cells}}<td class="cell">{{#squares}}<a class="sq v-{{verdict}}" href="{{link}}" title="{{title}}"></a>{{/squares}}</td>{{/cells}}</tr>
{{/rows}}
</tbody>
</table>
{{/overview}}
{{#hasCauses}}
<h2>Failures by cause</h2>
<p>Scenarios that did not pass, grouped by the rule that failed first under the faults or rewrites the scenario set up; one example of each is open below.</p>
<table class="causes" id="causes">
<thead><tr><th>rule</th><th>under</th><th>scenarios</th><th>what it says</th><th>which</th></tr></thead>
<tbody>
{{#causes}}<tr class="cause v-{{verdict}}" data-rule="{{rule}}"><td class="rule">{{rule}}</td><td>{{condition}}</td><td class="n"><a href="#{{filter}}">{{count}}</a></td><td>{{statement}}{{#hasExample}} <a href="#{{exampleAnchor}}">example</a>{{/hasExample}}</td><td><ul>{{#scenarios}}<li><a href="{{link}}">{{id}}</a></li>{{/scenarios}}{{#hasScenariosLeftOut}}<li><a href="#{{filter}}">and {{scenariosLeftOut}} more</a></li>{{/hasScenariosLeftOut}}</ul></td></tr>
{{/causes}}
</tbody>
</table>
{{/hasCauses}}
<div class="dimensions">
{{#dimensions}}
<table class="dimension" data-dimension="{{key}}">
<thead><tr><th>{{title}}</th><th>pass</th><th>fail</th><th>non-strict</th><th>error</th><th>skipped</th><th>total</th></tr></thead>
<tbody>
{{#rows}}<tr class="dimension-row" data-key="{{key}}" data-value="{{value}}"><td>{{value}}</td>{{#counts}}<td class="n">{{pass}}</td><td class="n">{{fail}}</td><td class="n">{{nonStrict}}</td><td class="n">{{error}}</td><td class="n">{{skipped}}</td><td class="n">{{total}}</td>{{/counts}}</tr>
{{/rows}}
</tbody>
</table>
{{/dimensions}}
</div>
<div class="filters">
<b>Filter</b>
{{#dimensions}}
<label>{{title}} <select data-filter="{{key}}"><option value="">all</option>{{#rows}}<option value="{{value}}">{{value}}</option>{{/rows}}</select></label>
{{/dimensions}}
{{#hasCauses}}<label>Cause <select data-filter="cause"><option value="">all</option>{{#causes}}<option value="{{name}}">{{name}} ({{count}})</option>{{/causes}}</select></label>{{/hasCauses}}
<label>Verdict <select data-filter="verdict"><option value="">all</option><option>pass</option><option>fail</option><option>non-strict</option><option>error</option><option>skipped</option></select></label>
<label>ID <input id="search" type="search" placeholder="part of a scenario ID"></label>
<span id="shown"></span>
<span>(pass <b id="shown-pass"></b>, fail <b id="shown-fail"></b>, non-strict <b id="shown-non-strict"></b>, error <b id="shown-error"></b>, skipped <b id="shown-skipped"></b>)</span>
</div>
<h2>Scenarios</h2>
<table id="scenarios">
<thead><tr><th>verdict</th><th>scenario</th><th>surface</th><th>dialect</th><th>strategy</th><th>delivery</th><th>time</th></tr></thead>
<tbody>
{{#rows}}<tr class="scenario-row" data-id="{{id}}" data-verdict="{{verdict}}" data-surface="{{surface}}" data-dialect="{{dialect}}" data-strategy="{{strategy}}" data-client="{{client}}" data-cause="{{cause}}"><td class="verdict v-{{verdict}}">{{verdict}}</td><td>{{#hasDetail}}<a href="#{{anchor}}">{{id}}</a>{{/hasDetail}}{{^hasDetail}}{{id}}{{/hasDetail}}</td><td>{{surface}}</td><td>{{dialect}}</td><td>{{strategy}}</td><td>{{scenario}}</td><td class="n">{{duration}}</td></tr>
{{/rows}}
</tbody>
</table>
{{/isSession}}
{{#details}}
<section class="scenario v-{{row.verdict}}" id="{{row.anchor}}" data-id="{{row.id}}" data-verdict="{{row.verdict}}" data-surface="{{row.surface}}" data-dialect="{{row.dialect}}" data-strategy="{{row.strategy}}" data-client="{{row.client}}" data-cause="{{row.cause}}">
{{#collapsed}}<details>{{/collapsed}}{{^collapsed}}<details open>{{/collapsed}}
<summary><span class="verdict v-{{row.verdict}}">{{row.verdict}}</span> {{row.id}}{{#hasReason}} <span class="summary-reason">— {{reason}}</span>{{/hasReason}}</summary>
<p>{{row.surface}} · {{row.dialect}} · {{row.strategy}} · <code>{{row.scenario}}</code> · seed {{seed}} · {{row.duration}} · from {{source}} ({{file}}){{#hasFaults}} · faults: {{faults}}{{/hasFaults}}</p>
{{#hasReason}}<p class="reason"><b>Why:</b> {{reason}}</p>{{/hasReason}}
{{#hasViolations}}
<h3>Rules broken</h3>
{{#violations}}
<div class="violation">
<p><b class="rule-id">{{ruleID}}</b> <span class="level">{{level}}</span> <span class="statement">{{statement}}</span> <small>({{source}})</small></p>
<div class="diff">{{#diff}}<div class="{{kind}}">{{marker}} {{text}}</div>{{/diff}}</div>
</div>
{{/violations}}
{{#hasViolationsLeftOut}}<p class="notes">{{violationsLeftOut}} more findings are not shown, to keep the page quick to open; the command below lists them all.</p>{{/hasViolationsLeftOut}}
{{/hasViolations}}
<h3>Reproduce</h3>
<pre class="reproduction">{{reproduction}}</pre>
{{#trace}}
{{#hasFrames}}
<h3>Filmstrip</h3>
<ol class="filmstrip">
{{#frames}}<li class="frame st-{{status}} role-{{role}}">{{#hasThumbnail}}<img class="thumb" src="{{thumbnail}}" alt="{{label}}">{{/hasThumbnail}}{{^hasThumbnail}}<div class="placeholder">{{placeholder}}</div>{{/hasThumbnail}}<div class="caption"><b>{{label}}</b> · {{format}} · {{size}}<br>at {{time}} · {{bytes}} · <span class="status">{{status}}</span>{{#hasProblem}}<br><span class="problem">{{problem}}</span>{{/hasProblem}}</div></li>
{{/frames}}
</ol>
{{/hasFrames}}
<h3>Timeline</h3>
<p>{{chunkCount}} chunk marks{{#hasOmittedChunks}} ({{chunksOmitted}} more merged into them){{/hasOmittedChunks}}, {{eventCount}} events, {{byteCount}} bytes, ended {{ending}}.{{#hasUnterminatedEvent}} <span class="problem">The body ended inside an event (from byte {{unterminatedEventStart}}), which no client dispatches.</span>{{/hasUnterminatedEvent}}</p>
{{#timeline}}
<svg class="timeline" viewBox="{{viewBox}}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="chunk arrivals and event dispatches over time">
{{#stalls}}<rect class="stall" x="{{x}}" y="4" width="{{width}}" height="112"/><text class="stall-label" x="{{labelX}}" y="14">{{label}}</text>
{{/stalls}}
<text class="lane" x="2" y="50">chunks</text><text class="lane" x="2" y="84">events</text>{{#hasClientLane}}<text class="lane" x="2" y="108">client</text>{{/hasClientLane}}
{{#ticks}}<rect class="chunk" x="{{x}}" y="{{y}}" width="1.5" height="{{height}}"><title>{{title}}</title></rect>
{{/ticks}}
{{#cuts}}<text class="cut" x="{{x}}" y="{{y}}">▲<title>{{title}}</title></text>
{{/cuts}}
{{#events}}<circle class="event ev-{{kind}}" cx="{{x}}" cy="{{y}}" r="4"><title>{{title}}</title></circle>
{{/events}}
{{#client}}<circle class="client ev-{{kind}}" cx="{{x}}" cy="{{y}}" r="4"><title>{{title}}</title></circle>
{{/client}}
<line class="axis" x1="{{axisStart}}" y1="124" x2="{{axisEnd}}" y2="124"/>
{{#axis}}<text class="axis-label" x="{{x}}" y="140">{{text}}</text>
{{/axis}}
</svg>
{{/timeline}}
{{/trace}}
{{#hasWireExcerpt}}<h3>Wire excerpt</h3>
<pre class="wire">{{wireExcerpt}}</pre>{{/hasWireExcerpt}}
{{#hasClientLog}}<h3>Client log</h3>
<pre class="client-log">{{clientLog}}</pre>{{/hasClientLog}}
</details>
</section>
{{/details}}
</main>
<script>
(function () {
  var selects = document.querySelectorAll('select[data-filter]');
  var search = document.getElementById('search');
  var verdicts = ['pass', 'fail', 'non-strict', 'error', 'skipped'];
  function matches(element) {
    for (var i = 0; i < selects.length; i++) {
      var key = selects[i].getAttribute('data-filter');
      if (selects[i].value && element.getAttribute('data-' + key) !== selects[i].value) return false;
    }
    var text = search ? search.value.toLowerCase() : '';
    return !text || (element.getAttribute('data-id') || '').toLowerCase().indexOf(text) >= 0;
  }
  function apply() {
    var counts = {}, shown = 0, rows = document.querySelectorAll('tr.scenario-row');
    verdicts.forEach(function (v) { counts[v] = 0; });
    rows.forEach(function (row) {
      var visible = matches(row);
      row.hidden = !visible;
      if (visible) { shown += 1; counts[row.getAttribute('data-verdict')] += 1; }
    });
    document.querySelectorAll('section.scenario').forEach(function (section) { section.hidden = !matches(section); });
    var label = document.getElementById('shown');
    if (label) label.textContent = 'Showing ' + shown + ' of ' + rows.length + ' scenarios';
    verdicts.forEach(function (v) {
      var cell = document.getElementById('shown-' + v);
      if (cell) cell.textContent = String(counts[v]);
    });
  }
  // Filters live in the fragment (#verdict=fail&surface=responses), so a link can open the
  // page filtered; the fragment changes without adding history entries.
  // A fragment of filters (a link from the overview or a cause) replaces the ones set;
  // a plain anchor (#s-12) leaves them as they are.
  function readFragment() {
    if (location.hash.indexOf('=') < 0) return;
    selects.forEach(function (select) { select.value = ''; });
    if (search) search.value = '';
    location.hash.slice(1).split('&').forEach(function (pair) {
      var parts = pair.split('=');
      if (parts.length !== 2) return;
      var key = decodeURIComponent(parts[0]), value = decodeURIComponent(parts[1]);
      if (key === 'id' && search) { search.value = value; return; }
      var select = document.querySelector('select[data-filter="' + key.replace(/[^a-z-]/g, '') + '"]');
      if (select && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
    });
  }
  function writeFragment() {
    var pairs = [];
    selects.forEach(function (select) {
      if (select.value) pairs.push(select.getAttribute('data-filter') + '=' + encodeURIComponent(select.value));
    });
    if (search && search.value) pairs.push('id=' + encodeURIComponent(search.value));
    location.replace('#' + pairs.join('&'));
  }
  function changed() { apply(); writeFragment(); }
  selects.forEach(function (select) { select.addEventListener('change', changed); });
  if (search) search.addEventListener('input', changed);
  document.querySelectorAll('tr.dimension-row').forEach(function (row) {
    row.addEventListener('click', function () {
      var select = document.querySelector('select[data-filter="' + row.getAttribute('data-key') + '"]');
      if (!select) return;
      select.value = select.value === row.getAttribute('data-value') ? '' : row.getAttribute('data-value');
      changed();
    });
  });
  window.addEventListener('hashchange', function () { readFragment(); apply(); });
  readFragment();
  apply();
  document.body.setAttribute('data-ready', 'yes');
})();
</script>
</body>
</html>
"""#
}
