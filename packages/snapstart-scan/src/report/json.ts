import { countBySeverity, type ScanReport } from './model.js';

/**
 * The JSON format: the report itself plus a summary. Its shape is described by
 * `schemas/report-2.schema.json` (schemaVersion 2); fields are only ever added within a version.
 */
export function formatJson(report: ScanReport): string {
  const counts = countBySeverity(report.findings);
  const summary = { errors: counts.error, warnings: counts.warning, notes: counts.note, diagnostics: report.diagnostics.length };
  return `${JSON.stringify({ $schema: 'https://github.com/snapstart-dev/snapstart/blob/main/packages/snapstart-scan/schemas/report-2.schema.json', ...report, summary }, null, 2)}\n`;
}
