import { docsUrl, reportedRuleId, RULES, type RuleMeta } from '@snapstart/core';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { CodeFlow, Location, Log, PhysicalLocation, Result, ThreadFlowLocation } from 'sarif';
import type { Confirmation, EvidenceSite } from '../confirm/model.js';
import type { ScanReport } from './model.js';

export const INFORMATION_URI = 'https://github.com/snapstart-dev/snapstart';

/** `java/no-init-uuid` → `JavaNoInitUuid`: SARIF's rule `name` is an identifier-like label. */
function ruleName(id: string): string {
  return id
    .split(/[/-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** A percent-encoded relative URI for a report path (spaces, `#`, `%` in file names). */
function fileUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function physical(site: EvidenceSite): PhysicalLocation {
  return { artifactLocation: { uri: fileUri(site.file) }, region: { startLine: site.line, startColumn: site.column } };
}

/**
 * The harness's evidence for a `--confirm`ed finding: where the repeated value was made and the
 * init-time calls that caused it as related locations, and as one code flow per value (init
 * cause → where the value is made → where the clones showed it).
 */
function addEvidence(result: Result, confirmation: Confirmation): void {
  const related: Location[] = [];
  const flows: CodeFlow[] = [];
  for (const e of confirmation.evidence) {
    const steps: ThreadFlowLocation[] = [];
    for (const cause of e.causes) {
      const message = { text: `init: ${e.api ?? 'this call'} left state in the snapshot here` };
      related.push({ id: related.length + 1, physicalLocation: physical(cause), message });
      steps.push({ location: { physicalLocation: physical(cause), message } });
    }
    for (const candidate of e.candidates) {
      const message = { text: 'init read entropy here that may feed the repeated value' };
      related.push({ id: related.length + 1, physicalLocation: physical(candidate), message });
      steps.push({ location: { physicalLocation: physical(candidate), message } });
    }
    if (e.site) {
      const message = { text: `the value ${JSON.stringify(e.value.slice(0, 60))} is made here (${e.origin})` };
      related.push({ id: related.length + 1, physicalLocation: physical(e.site), message });
      steps.push({ location: { physicalLocation: physical(e.site), message } });
    }
    const shown = { text: `identical in clones ${e.clones.join(', ')} at ${e.paths.slice(0, 3).join(', ')} (${e.detectedBy})` };
    const at = result.locations?.[0]?.physicalLocation;
    if (at) steps.push({ location: { physicalLocation: at, message: shown } });
    flows.push({ message: { text: e.explanation }, threadFlows: [{ locations: steps }] });
  }
  if (related.length > 0) result.relatedLocations = related;
  if (flows.length > 0) result.codeFlows = flows;
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: every snapstart rule in
 * `tool.driver.rules`, one result per finding with a stable `primaryLocationLineHash`, file
 * problems as tool execution notifications, and the report's counts in `run.properties` so that
 * shards can be merged.
 */
export function buildSarif(report: ScanReport): Log {
  const builder = new SarifBuilder();
  const run = new SarifRunBuilder().initSimple({
    toolDriverName: report.tool.name,
    toolDriverVersion: report.tool.version,
    url: INFORMATION_URI,
  });
  run.run.tool.driver.semanticVersion = report.tool.version;
  for (const rule of Object.values<RuleMeta>(RULES)) {
    const id = reportedRuleId(rule);
    const url = docsUrl(rule.id);
    const r = new SarifRuleBuilder().initSimple({ ruleId: id, shortDescriptionText: rule.description, fullDescriptionText: rule.rationale, helpUri: url });
    r.rule.name = ruleName(id);
    r.rule.help = {
      text: `${rule.rationale}\n\nDocumentation: ${url}`,
      markdown: `${rule.rationale}\n\n[Documentation of ${id}](${url})`,
    };
    r.rule.defaultConfiguration = { level: rule.defaultSeverity };
    r.rule.properties = { category: rule.category, engine: rule.engine, tags: ['snapstart', rule.category] };
    run.addRule(r);
  }
  for (const f of report.findings) {
    const result = new SarifResultBuilder().initSimple({
      level: f.severity,
      messageText: f.message,
      ruleId: f.ruleId,
      fileUri: fileUri(f.file),
      startLine: f.line,
      startColumn: f.column,
      ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
      ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
    });
    result.result.partialFingerprints = { primaryLocationLineHash: f.lineHash };
    result.result.properties = {
      category: f.category,
      language: f.language,
      fingerprint: f.fingerprint,
      initPath: f.initPath.map((s) => ({ ...s })),
      ...(f.fix !== undefined ? { fix: f.fix } : {}),
      ...(f.source !== undefined ? { source: f.source } : {}),
      ...(f.confirmation ? { snapstart: { confirmation: f.confirmation } } : {}),
    };
    if (f.confirmation && f.confirmation.evidence.length > 0) addEvidence(result.result, f.confirmation);
    run.addResult(result);
  }
  run.run.invocations = [
    {
      executionSuccessful: true,
      toolExecutionNotifications: report.diagnostics.map((d) => ({
        level: 'warning' as const,
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: fileUri(d.file) },
              ...(d.line !== undefined ? { region: { startLine: d.line, ...(d.column !== undefined ? { startColumn: d.column } : {}) } } : {}),
            },
          },
        ],
      })),
    },
  ];
  if (report.shard) run.run.automationDetails = { id: `snapstart-scan/shard-${report.shard.index}-of-${report.shard.total}/` };
  run.run.properties = {
    snapstart: {
      schemaVersion: report.schemaVersion,
      ...(report.shard ? { shard: report.shard } : {}),
      suppressed: report.suppressed,
      stats: report.stats,
      diagnostics: report.diagnostics,
      ...(report.confirm ? { confirm: report.confirm } : {}),
    },
  };
  builder.addRun(run);
  return builder.buildSarifOutput();
}
