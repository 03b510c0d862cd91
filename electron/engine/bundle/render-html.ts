import { graphlib, layout } from '@dagrejs/dagre';
import { BUNDLE_SCRIPT_ID, embeddableJson, type BundleGraph, type DiagnosticBundle } from '../../../shared/bundle/bundle';
import type { GraphOverlay, RevisionState } from '../../../shared/graph/overlay';
import { GATE_TITLES, type GateId } from '../../../shared/report/gates';
import type { UserAction } from '../../../shared/errors/user-action';
import { cliHowTo, USER_ACTION_HOW_TO } from '../../../shared/errors/user-action-how-to';
import type { Finding, GateReport, RunReport } from '../../../shared/report/report';
import { suiteEnvironmentsOf } from '../../../shared/parity/suite-environment';

/**
 * A diagnostic bundle as one static HTML page that support staff open in any browser:
 * the gates, the findings, the migration graph (inline SVG laid out with dagre, nodes
 * coloured by the database's state), the CI parity matrix and the environment. It is
 * self-contained and inert: inline CSS, no script (the bundle's JSON rides along as a
 * non-executable data block so the app can open the page too), no reference to any
 * other resource, and a Content-Security-Policy that forbids fetching anything. Every
 * string from the bundle is escaped.
 */
export function renderBundleHtml(bundle: DiagnosticBundle): string {
  const title = `Skeldir Rebuild diagnosis \u2014 ${bundle.server.host}:${bundle.server.port} \u2014 ${bundle.createdAt}`;
  const sections = [
    header(bundle),
    findingsSection(bundle.report.findings),
    gatesSection('Diagnosis (E1)', bundle.report),
    graphSection(bundle),
    paritySection(bundle),
    prerequisitesSection(bundle),
    lastRunSection(bundle.lastRun),
    environmentSection(bundle),
    notesSection(bundle),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    ...sections,
    `<script type="application/json" id="${BUNDLE_SCRIPT_ID}">${embeddableJson(bundle)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
:root { --ok:#15803d; --warn:#b45309; --err:#b91c1c; --muted:#6b7280; --line:#e5e7eb; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:#111827; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; line-height: 1.45; }
h1 { font-size: 1.4rem; margin: 0 0 4px; } h2 { font-size: 1.15rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 1rem; margin: 16px 0 6px; }
.banner { background:#fef3c7; border:1px solid #f59e0b; padding:8px 12px; border-radius:6px; margin:8px 0 12px; }
.meta { color: var(--muted); font-size: .9rem; } .meta span { margin-right: 16px; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: 6px 0; } th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 4px 8px; } th { background: #f9fafb; }
code, pre { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .85rem; }
pre { background: #f9fafb; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-word; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--muted); border-radius: 4px; padding: 8px 12px; margin: 8px 0; }
.finding.error { border-left-color: var(--err); } .finding.warning { border-left-color: var(--warn); } .finding.info { border-left-color: #2563eb; }
.finding .id { font-family: ui-monospace, monospace; color: var(--muted); margin-right: 8px; } .finding .evidence { white-space: pre-wrap; margin: 4px 0; }
.status { font-weight: 600; white-space: nowrap; } .s-passed, .s-ok, .s-already { color: var(--ok); } .s-failed, .s-error { color: var(--err); } .s-warning, .s-warn, .s-blocked { color: var(--warn); } .s-skipped, .s-pending { color: var(--muted); }
.graph { overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.legend span { display: inline-block; margin-right: 14px; font-size: .85rem; } .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; border: 1px solid #6b7280; }
svg text { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; }
details > summary { cursor: pointer; color: #1f2937; }
.fix { color: var(--muted); }
.how-to { margin-top: 4px; padding: 4px 8px; border-left: 3px solid var(--muted); background: rgba(127, 127, 127, 0.08); }
`;

// ---------------------------------------------------------------------------

function header(bundle: DiagnosticBundle): string {
  const { server } = bundle;
  const version = server.version ? `PostgreSQL ${server.version}${server.embedded ? ' (bundled)' : ''}` : 'PostgreSQL not reachable';
  return `<header>
<h1>Skeldir Rebuild \u2014 saved diagnosis</h1>
<div class="banner"><strong>Saved diagnosis, not live.</strong> This page shows the state of ${esc(server.host)}:${esc(server.port)} when the bundle was made (${esc(bundle.createdAt)}). Nothing here can change a database.</div>
<div class="meta"><span>${esc(version)} on ${esc(server.host)}:${esc(server.port)}</span><span>profile: ${esc(bundle.profile.name)} (database ${esc(bundle.profile.database)})</span><span>${esc(bundle.app.name)} ${esc(bundle.app.version)}</span></div>
</header>`;
}

/** What support staff tell the user when a message asks for an action: the app's control and the command line's equivalent. */
function howTo(action: UserAction | undefined, target?: string): string {
  if (!action) return '';
  return `<div class="how-to">In the app: ${esc(USER_ACTION_HOW_TO[action].app)} On the command line: <code>${esc(cliHowTo(action, target))}</code></div>`;
}

function findingsSection(findings: Finding[]): string {
  if (findings.length === 0) return '<section id="findings"><h2>Findings</h2><p>No findings: the diagnosis found nothing wrong.</p></section>';
  const items = findings.map(
    (f) => `<div class="finding ${esc(f.severity)}" data-finding="${esc(f.id)}">
<div><span class="id">${esc(f.id)}</span><strong>${esc(f.title)}</strong> <span class="status s-${f.severity === 'warning' ? 'warning' : f.severity === 'error' ? 'error' : 'pending'}">${esc(f.severity)}</span></div>
<div class="evidence">${rich(f.evidence)}</div>
${f.explanation ? `<div>${rich(f.explanation)}</div>` : ''}
${howTo(f.action, f.actionTarget)}
${f.remediation ? `<div class="fix">Fix: ${esc(f.remediation.label)}. In the app: the button of that name on this finding, in Findings. On the command line: <code>skeldir-rebuild fix ${esc(f.id)}</code></div>` : ''}
</div>`,
  );
  return `<section id="findings"><h2>Findings (${findings.length})</h2>\n${items.join('\n')}\n</section>`;
}

function gateTitle(id: string): string {
  return (GATE_TITLES as Record<string, string>)[id as GateId] ?? id;
}

function gatesTable(gates: GateReport[]): string {
  if (gates.length === 0) return '<p>No gate ran.</p>';
  return gates
    .map((gate) => {
      const steps = gate.steps
        .map(
          (s) =>
            `<tr><td class="status s-${esc(s.status)}">${esc(s.status)}</td><td>${esc(s.title)}</td><td>${esc(s.detail)}${howTo(s.action, s.actionTarget)}</td></tr>`,
        )
        .join('\n');
      const error = gate.error
        ? `<p class="s-error">${esc(gate.error.message)}${gate.error.remediation ? ` ${esc(gate.error.remediation)}` : ''}</p>${howTo(gate.error.action, gate.error.actionTarget)}`
        : '';
      return `<h3 data-gate="${esc(gate.id)}">${esc(gate.id)} \u2014 ${esc(gateTitle(gate.id))}: <span class="status s-${esc(gate.status)}">${esc(gate.status)}</span> <span class="meta">${esc(Math.round(gate.durationMs))} ms</span></h3>
${error}<table><thead><tr><th>Status</th><th>Step</th><th>Detail</th></tr></thead><tbody>
${steps}
</tbody></table>`;
    })
    .join('\n');
}

function gatesSection(heading: string, report: RunReport): string {
  const error = report.error ? `<p class="s-error">${esc(report.error.message)}</p>${howTo(report.error.action, report.error.actionTarget)}` : '';
  return `<section id="gates"><h2>${esc(heading)}</h2>\n${error}${gatesTable(report.gates)}\n</section>`;
}

function lastRunSection(run: RunReport | null): string {
  if (!run) return '<section id="last-run"><h2>Last run</h2><p>No earlier run was recorded with this bundle.</p></section>';
  const tails: string[] = [];
  for (const gate of run.gates) {
    const log = gate.details?.log;
    if (Array.isArray(log) && log.length)
      tails.push(`<h3>${esc(gate.id)} log (last ${Math.min(log.length, 200)} lines)</h3><pre>${esc(log.slice(-200).join('\n'))}</pre>`);
    const suites = gate.details?.suites;
    if (Array.isArray(suites)) {
      for (const suite of suites as Array<Record<string, unknown>>) {
        const tail = suite.outputTail;
        if (Array.isArray(tail) && tail.length) tails.push(`<h3>${esc(suite.suite)} output (tail)</h3><pre>${esc(tail.join('\n'))}</pre>`);
      }
    }
  }
  const findings = run.findings.length
    ? `<h3>Findings of that run</h3><ul>${run.findings.map((f) => `<li><code>${esc(f.id)}</code> ${esc(f.title)}: ${esc(f.evidence)}</li>`).join('')}</ul>`
    : '';
  return `<section id="last-run"><h2>Last run: <code>${esc(run.command)}</code> at ${esc(run.startedAt)}</h2>\n${gatesTable(run.gates)}\n${findings}\n${tails.join('\n')}\n</section>`;
}

function paritySection(bundle: DiagnosticBundle): string {
  const { ci } = bundle;
  const source =
    ci.source === 'workflow'
      ? `CI read from ${ci.files.map((f) => `<code>${esc(f)}</code>`).join(', ')}.`
      : 'CI as the profile describes it (no usable workflow file).';
  const rows = bundle.parity
    .map(
      (r) =>
        `<tr data-parity="${esc(r.id)}"><td>${esc(r.component)}</td><td>${rich(r.ci)}</td><td>${rich(r.local)}</td><td class="status s-${esc(r.status)}">${r.status === 'ok' ? '\u2713 parity' : r.status === 'warn' ? '\u26a0 differs' : '\u2717 broken'}</td><td>${rich(r.note)}</td></tr>`,
    )
    .join('\n');
  const notes = ci.notes.length
    ? `<details><summary>Notes on reading CI (${ci.notes.length})</summary><ul>${ci.notes.map((n) => `<li>${rich(n)}</li>`).join('')}</ul></details>`
    : '';
  return `<section id="parity"><h2>CI / local parity</h2><p>${source}</p>
<table><thead><tr><th>Component</th><th>CI</th><th>Local</th><th>Status</th><th>Note</th></tr></thead><tbody>
${rows}
</tbody></table>${notes}${suiteEnvironmentsHtml(bundle.lastRun)}</section>`;
}

/** The environment R5 gave each suite in the last run (values already redacted by the engine), with each value's source. */
function suiteEnvironmentsHtml(run: RunReport | null): string {
  const environments = suiteEnvironmentsOf(run?.gates.find((g) => g.id === 'R5')?.details);
  if (environments.length === 0) return '';
  const blocks = environments.map((env) => {
    const whose = env.source === 'workflow' ? `CI\u2019s environment: ${esc(env.step)}` : 'the guide\u2019s environment (no workflow step names this file)';
    const rows = env.variables
      .map((v) => `<tr><td><code>${esc(v.name)}</code></td><td><code>${esc(v.value)}</code></td><td>${esc(v.source)}</td></tr>`)
      .join('');
    const notes = env.notes.length ? `<ul>${env.notes.map((n) => `<li>${rich(n)}</li>`).join('')}</ul>` : '';
    return `<h4><code>${esc(env.suite)}</code> \u2014 ${whose}; run from ${esc(env.workingDirectory ? `${env.workingDirectory}/` : 'the repository root')}</h4>
<table data-suite-environment="${esc(env.suite)}"><thead><tr><th>Variable</th><th>Value</th><th>From</th></tr></thead><tbody>${rows}</tbody></table>${notes}`;
  });
  return `<h3>R5\u2019s environment per suite</h3>\n${blocks.join('\n')}`;
}

function prerequisitesSection(bundle: DiagnosticBundle): string {
  const pre = bundle.prerequisites;
  if (!pre) return '<section id="prerequisites"><h2>Python and Alembic</h2><p>Not checked (no repository was given).</p></section>';
  const python = pre.python
    ? `<p>Interpreter: <code>${esc(pre.python.command)}${pre.python.launcherArgs.length ? ` ${esc(pre.python.launcherArgs.join(' '))}` : ''}</code> (${esc(pre.python.version ?? 'version unknown')}, found via ${esc(pre.python.source)})</p>`
    : '<p>No Python interpreter was found.</p>';
  const checks = pre.checks
    .map(
      (c) =>
        `<tr><td class="status s-${c.ok ? 'ok' : c.level === 'warning' ? 'warn' : 'error'}">${c.ok ? '\u2713' : c.level === 'warning' ? '\u26a0' : '\u2717'}</td><td>${esc(c.title)}</td><td>${esc(c.detail)}${c.fix && !c.ok ? `<div class="fix">fix: <code>${esc(c.fix)}</code></div>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<section id="prerequisites"><h2>Python and Alembic</h2>${python}<table><tbody>\n${checks}\n</tbody></table></section>`;
}

function environmentSection(bundle: DiagnosticBundle): string {
  const env = bundle.environment;
  const roles = env.roles
    .map(
      (r) => `<tr><td>${esc(r.name)}</td><td>${r.login ? 'yes' : 'no'}</td><td>${r.superuser ? 'yes' : 'no'}</td><td>${esc(r.memberOf.join(', '))}</td></tr>`,
    )
    .join('\n');
  const grants = env.grants.map((g) => `<tr><td>${esc(g.object)}</td><td>${esc(g.role)}</td><td>${esc(g.privileges.join(', '))}</td></tr>`).join('\n');
  const settings = Object.entries(env.databaseSettings)
    .map(([k, v]) => `<tr><td><code>${esc(k)}</code></td><td><code>${esc(v)}</code></td></tr>`)
    .join('\n');
  return `<section id="environment"><h2>Environment</h2>
<table><tbody>
<tr><th>PostgreSQL</th><td>${esc(env.postgresVersion ?? 'unknown')}</td></tr>
<tr><th>Extensions</th><td>${esc(env.extensions.join(', ') || 'none')}</td></tr>
<tr><th>alembic_version</th><td>${env.alembicVersion === null ? 'no table' : esc(env.alembicVersion.join(', ') || 'empty')}</td></tr>
<tr><th>Migration files</th><td><code>${esc(env.migrationFilesHash ?? 'no repository')}</code> (${Object.keys(env.migrationFiles).length} files)</td></tr>
</tbody></table>
<h3>Database-level settings</h3>${settings ? `<table><tbody>${settings}</tbody></table>` : '<p>none</p>'}
<h3>Roles</h3><table><thead><tr><th>Role</th><th>Login</th><th>Superuser</th><th>Member of</th></tr></thead><tbody>
${roles}
</tbody></table>
<details><summary>Grants (${env.grants.length})</summary><table><thead><tr><th>Object</th><th>Role</th><th>Privileges</th></tr></thead><tbody>
${grants}
</tbody></table></details>
</section>`;
}

function notesSection(bundle: DiagnosticBundle): string {
  if (bundle.notes.length === 0) return '';
  return `<section id="notes"><h2>Notes</h2><ul>${bundle.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`;
}

// ---------------------------------------------------------------------------
// The migration graph as inline SVG

const NODE_WIDTH = 250;
const NODE_HEIGHT = 44;
const STATE_STYLE: Record<RevisionState | 'unknown', { fill: string; stroke: string; text: string; label: string }> = {
  current: { fill: '#1d4ed8', stroke: '#1e3a8a', text: '#ffffff', label: 'current (alembic_version)' },
  applied: { fill: '#dcfce7', stroke: '#15803d', text: '#14532d', label: 'applied' },
  pending: { fill: '#f3f4f6', stroke: '#9ca3af', text: '#374151', label: 'pending' },
  unknown: { fill: '#ffffff', stroke: '#6b7280', text: '#111827', label: 'state not read' },
};

function graphSection(bundle: DiagnosticBundle): string {
  const graph = bundle.graph;
  if (!graph) return '<section id="graph"><h2>Migration graph</h2><p>No repository was given, so the migration graph is not part of this bundle.</p></section>';
  const overlay = bundle.overlay;
  const legend = (['current', 'applied', 'pending'] as const)
    .map((s) => `<span><i style="background:${STATE_STYLE[s].fill};border-color:${STATE_STYLE[s].stroke}"></i>${esc(STATE_STYLE[s].label)}</span>`)
    .join('');
  const errors = graph.errors.length
    ? `<ul>${graph.errors.map((e) => `<li class="s-error">${esc(e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : '')}${esc(e.message)}</li>`).join('')}</ul>`
    : '';
  const plan = bundle.plan
    ? `<p>Plan to ${esc(bundle.plan.target)} (${esc(bundle.plan.source)}): ${bundle.plan.steps.length ? bundle.plan.steps.map((s) => `<code>alembic upgrade ${esc(s.target)}</code> (${s.revisions.length})`).join(' then ') : 'nothing to run'}</p>`
    : '';
  return `<section id="graph"><h2>Migration graph (${graph.revisions.length} revisions)</h2>
<p>${esc(overlay?.summary ?? 'The database state was not read.')}</p>${plan}
<div class="legend">${legend}<span><i style="background:#fff;border-width:3px"></i>head</span><span>\u2504 depends_on</span></div>
${errors}<div class="graph">${graphSvg(graph, overlay)}</div></section>`;
}

interface NodeBox {
  width: number;
  height: number;
  x: number;
  y: number;
}

interface EdgeInfo {
  kind: 'down' | 'depends';
  points?: Array<{ x: number; y: number }>;
}

/** Lays the graph out top to bottom (bases first) with dagre and draws it. */
export function graphSvg(graph: BundleGraph, overlay: GraphOverlay | null): string {
  const g = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(graph.revisions.map((r) => r.id));
  for (const r of graph.revisions) g.setNode(r.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const r of graph.revisions) {
    for (const parent of r.downRevisions) if (ids.has(parent)) g.setEdge(parent, r.id, { kind: 'down', weight: 2 }, `down:${parent}:${r.id}`);
    for (const dependency of r.dependencies)
      if (ids.has(dependency)) g.setEdge(dependency, r.id, { kind: 'depends', weight: 0, minlen: 1 }, `dep:${dependency}:${r.id}`);
  }
  layout(g);
  const size = g.graph() as { width?: number; height?: number };
  const width = Math.ceil(size.width ?? NODE_WIDTH + 32);
  const height = Math.ceil(size.height ?? NODE_HEIGHT + 32);

  const edges: string[] = [];
  for (const e of g.edges()) {
    const info = g.edge(e) as EdgeInfo;
    const points = info.points ?? [];
    if (points.length < 2) continue;
    const dashed = info.kind === 'depends';
    const colour = dashed ? '#7c3aed' : '#4b5563';
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    edges.push(
      `<g class="edge ${dashed ? 'depends-on' : 'down-revision'}" data-from="${esc(e.v)}" data-to="${esc(e.w)}"><path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"${dashed ? ' stroke-dasharray="6 4"' : ''}/>${arrowHead(points, colour)}</g>`,
    );
  }

  const heads = new Set(graph.heads);
  const nodes = graph.revisions.map((r) => {
    const box = g.node(r.id) as NodeBox;
    const state: RevisionState | 'unknown' = overlay?.states[r.id] ?? 'unknown';
    const style = STATE_STYLE[state];
    const head = heads.has(r.id);
    const left = box.x - box.width / 2;
    const top = box.y - box.height / 2;
    const labels = r.branchLabels.length ? ` [${r.branchLabels.join(', ')}]` : '';
    const tooltip = `${r.id}${labels} \u2014 ${r.message || '(no message)'}\n${r.file}\nstate: ${style.label}${head ? '\nhead' : ''}${r.dependsOn.length ? `\ndepends_on: ${r.dependsOn.join(', ')}` : ''}`;
    return `<g class="node state-${state}${head ? ' head' : ''}" data-revision="${esc(r.id)}" data-state="${state}"><title>${esc(tooltip)}</title>
<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${box.width}" height="${box.height}" rx="6" fill="${style.fill}" stroke="${head ? '#111827' : style.stroke}" stroke-width="${head ? 3 : 1.5}"/>
<text x="${(left + 8).toFixed(1)}" y="${(top + 17).toFixed(1)}" font-size="12" font-weight="700" fill="${style.text}">${esc(truncate(r.id + labels, 32))}</text>
<text x="${(left + 8).toFixed(1)}" y="${(top + 34).toFixed(1)}" font-size="10.5" fill="${style.text}">${esc(truncate(r.message, 40))}</text>
${head ? `<g class="head-mark"><rect x="${(left + box.width - 44).toFixed(1)}" y="${(top - 9).toFixed(1)}" width="40" height="16" rx="3" fill="#111827"/><text x="${(left + box.width - 24).toFixed(1)}" y="${(top + 3).toFixed(1)}" font-size="10" font-weight="700" fill="#ffffff" text-anchor="middle">HEAD</text></g>` : ''}</g>`;
  });
  return `<svg class="migration-graph" role="img" aria-label="Migration graph: ${graph.revisions.length} revisions" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
${edges.join('\n')}
${nodes.join('\n')}
</svg>`;
}

/** A filled triangle at the end of a polyline (no <marker>, so the SVG references nothing). */
function arrowHead(points: Array<{ x: number; y: number }>, colour: string): string {
  const end = points[points.length - 1];
  const before = points[points.length - 2];
  const angle = Math.atan2(end.y - before.y, end.x - before.x);
  const size = 7;
  const corner = (delta: number) => `${(end.x - size * Math.cos(angle + delta)).toFixed(1)},${(end.y - size * Math.sin(angle + delta)).toFixed(1)}`;
  return `<polygon points="${end.x.toFixed(1)},${end.y.toFixed(1)} ${corner(0.45)} ${corner(-0.45)}" fill="${colour}"/>`;
}

/** Escaped text with `code` spans (the engine's messages quote commands that way). */
function rich(value: unknown): string {
  return esc(value).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}
