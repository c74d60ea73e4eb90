import { readFileSync, readdirSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { GoTemplates } from './goTemplate.ts';

export const CHART_DIR = new URL(
  '../../../charts/tollgate-agent/',
  import.meta.url,
);

export interface RenderedChart {
  /** Every manifest, in file order. */
  objects: Array<Record<string, any>>;
  notes: string;
  find(kind: string): Record<string, any> | undefined;
}

export function chartFile(name: string): string {
  return readFileSync(new URL(name, CHART_DIR), 'utf8');
}

export function defaultValues(): Record<string, any> {
  return parse(chartFile('values.yaml'));
}

/** What `helm template <release> charts/tollgate-agent -n <namespace> --set ...` would produce. */
export function renderChart(
  overrides: Record<string, unknown>,
  release = { name: 'tollgate-agent', namespace: 'tollgate-system' },
): RenderedChart {
  const chart = parse(chartFile('Chart.yaml'));
  const data = {
    Values: deepMerge(defaultValues(), overrides),
    Release: {
      Name: release.name,
      Namespace: release.namespace,
      Service: 'Helm',
      IsInstall: true,
      IsUpgrade: false,
      Revision: 1,
    },
    Chart: {
      Name: chart.name,
      Version: chart.version,
      AppVersion: chart.appVersion,
    },
  };
  const templates = new GoTemplates();
  const files = readdirSync(new URL('templates/', CHART_DIR)).sort();
  for (const file of files) templates.add(file, chartFile(`templates/${file}`));
  const objects = files
    .filter(file => !file.startsWith('_') && /\.ya?ml$/.test(file))
    .flatMap(file => parseManifests(templates.render(file, data), file));
  return {
    objects,
    notes: templates.render('NOTES.txt', data),
    find: kind => objects.find(object => object.kind === kind),
  };
}

function parseManifests(
  text: string,
  file: string,
): Array<Record<string, any>> {
  return parseAllDocuments(text).flatMap(document => {
    if (document.errors.length > 0)
      throw new Error(
        `${file} renders invalid YAML: ${document.errors[0].message}\n${text}`,
      );
    const value = document.toJS();
    return value ? [value] : [];
  });
}

/** Helm's merge of user values over the chart's: maps merge, everything else replaces. */
export function deepMerge(
  base: Record<string, any>,
  overrides: Record<string, any>,
): Record<string, any> {
  const result = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    const bothMaps = isMap(current) && isMap(value);
    result[key] = bothMaps ? deepMerge(current, value) : value;
  }
  return result;
}

function isMap(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
