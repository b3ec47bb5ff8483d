/**
 * Commands Quarry parses but cannot run yet. Each has a grammar, so `quarry parse` checks whole
 * searches that use them (quotes, brackets, nested subsearches); compiling fails with a clear
 * "not supported yet" at the command name. Running one is a matter of replacing its entry here
 * with a module of its own.
 */
import type { Pipeline } from '../../spl/ast.js';
import type { Cursor } from '../../spl/cursor.js';
import { SplError, type Span } from '../../spl/errors.js';
import type { CommandSpec } from './spec.js';

export type LooseToken =
  | { kind: 'word'; value: string; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'group'; value: string; span: Span }
  | { kind: 'subsearch'; pipeline: Pipeline; span: Span }
  | { kind: 'punct'; value: string; span: Span };

/**
 * A permissive argument list: words, "strings", balanced ( ... ) groups and [ subsearches ]
 * (parsed as pipelines). It rejects only what no command accepts: an unclosed quote, parenthesis
 * or bracket.
 */
export function parseLoose(c: Cursor): LooseToken[] {
  const out: LooseToken[] = [];
  for (;;) {
    c.skipWs();
    if (c.pos >= c.end) break;
    const ch = c.peek();
    const start = c.pos;
    if (ch === '[') {
      const br = c.bracket();
      out.push({ kind: 'subsearch', pipeline: c.subparse(br.start, br.end), span: br.span });
    } else if (ch === '"') {
      const w = c.quoted();
      out.push({ kind: 'string', value: w.value, span: w.span });
    } else if (ch === '(') {
      let depth = 0;
      let inQ = false;
      let i = c.pos;
      for (; i < c.end; i++) {
        const x = c.text[i];
        if (inQ) {
          if (x === '\\') i++;
          else if (x === '"') inQ = false;
          continue;
        }
        if (x === '"') inQ = true;
        else if (x === '(') depth++;
        else if (x === ')' && --depth === 0) break;
      }
      if (i >= c.end) throw new SplError('unclosed (', { start, end: start + 1 }, 'close it with )');
      c.pos = i + 1;
      out.push({ kind: 'group', value: c.text.slice(start + 1, i), span: { start, end: c.pos } });
    } else if (ch === ')' || ch === ']') {
      throw new SplError(`${c.command}: unmatched "${ch}"`, { start, end: start + 1 });
    } else if (ch === ',' || ch === '=') {
      c.pos++;
      out.push({ kind: 'punct', value: ch, span: { start, end: c.pos } });
    } else {
      const w = c.word('()[]|,="');
      if (!w) {
        c.pos++;
        continue;
      }
      out.push({ kind: 'word', value: w.value, span: w.span });
    }
  }
  return out;
}

interface Unsupported {
  name: string;
  aliases?: string[];
  generating?: boolean;
  help: string;
  /** a stricter check of the arguments than parseLoose gives (optional) */
  check?: (tokens: LooseToken[], c: Cursor) => void;
}

/** `needsSubsearch`: appendpipe and friends take exactly one [ ... ] block. */
const needsSubsearch = (what: string) => (tokens: LooseToken[], c: Cursor) => {
  if (!tokens.some((t) => t.kind === 'subsearch')) throw c.error(`${c.command} needs a [ ${what} ]`);
};
const needsArgs = (what: string) => (tokens: LooseToken[], c: Cursor) => {
  if (!tokens.length) throw c.error(`${c.command} needs ${what}`);
};

const LIST: Unsupported[] = [
  { name: 'collect', help: 'collect index=<summary index> [addtime=t] [marker=...]: write results to a summary index.' },
  { name: 'iplocation', help: 'iplocation [prefix=...] [allfields=t] <ip field>: add City, Country, Region, lat, lon.', check: needsArgs('an IP field') },
  { name: 'appendpipe', help: 'appendpipe [run_in_preview=f] [ subpipeline ]: append the subpipeline\'s results run on the current results.', check: needsSubsearch('subpipeline') },
  { name: 'map', help: 'map search="... $field$ ..." [maxsearches=10] | map [ search ... ]: run a search per result.', check: needsArgs('search="..." or a [ subsearch ]') },
  { name: 'rest', generating: true, help: '| rest /services/...: read a Splunk REST endpoint.', check: needsArgs('an endpoint') },
  { name: 'mstats', generating: true, help: '| mstats <fn>(metric) WHERE index=... BY ... span=...: statistics over metric indexes.' },
  { name: 'from', generating: true, help: '| from datamodel:<DM>.<dataset> | from lookup:<name> | from savedsearch:<name>.', check: needsArgs('a dataset, e.g. datamodel:Endpoint.Processes') },
  { name: 'datamodel', generating: true, help: '| datamodel <DM> <dataset> search: the events of a data model.' },
  { name: 'addtotals', help: 'addtotals [row=t] [col=f] [fieldname=Total] [fields]: add row (and column) totals.' },
  { name: 'addcoltotals', help: 'addcoltotals [labelfield=...] [fields]: add a row of column totals.' },
  { name: 'addinfo', help: 'addinfo: add info_min_time, info_max_time, info_search_time, info_sid.' },
  { name: 'xmlkv', help: 'xmlkv [field] [maxinputs=N]: extract <tag>value</tag> pairs as fields.' },
  { name: 'transpose', help: 'transpose [N] [column_name=...] [header_field=...]: rows ↔ columns.' },
  { name: 'xyseries', help: 'xyseries <x field> <y name field> <y data field>...: a table keyed by x.', check: needsArgs('x, y-name and y-data fields') },
  { name: 'untable', help: 'untable <x field> <name field> <value field>: the inverse of xyseries.', check: needsArgs('three fields') },
  { name: 'geostats', help: 'geostats [latfield=lat] [longfield=lon] <fn>(field) ... [by field]: statistics per map cell.' },
  { name: 'makecontinuous', help: 'makecontinuous [field] span=...: fill gaps in a numeric/time series.' },
  { name: 'inputintelligence', generating: true, help: '| inputintelligence <threat list>: read an Enterprise Security threat list.' },
  { name: 'outlier', help: 'outlier [action=transform|remove] [param=2.5] [fields]: clip or drop numeric outliers.' },
  { name: 'anomalydetection', help: 'anomalydetection [method=histogram|zscore|iqr] [fields]: flag anomalous events.' },
  { name: 'anomalies', help: 'anomalies [threshold=...] [field=_raw]: score events by unexpectedness.' },
  { name: 'multisearch', generating: true, help: '| multisearch [search ...] [search ...]: run streaming searches together.', check: needsSubsearch('search') },
  { name: 'fromjson', help: 'fromjson <field> [prefix=...]: expand a JSON object field into fields.', check: needsArgs('a field') },
  { name: 'tojson', help: 'tojson [fields] [output_field=_raw]: write fields as a JSON object.' },
  { name: 'filldown', help: 'filldown [fields]: replace null values with the last non-null value.' },
  { name: 'rangemap', help: 'rangemap field=<f> <name>=<lo>-<hi> ... [default=...]: name numeric ranges.' },
  { name: 'replace', help: 'replace <old> WITH <new> [, ...] [IN fields]: replace field values (wildcards allowed).', check: needsArgs('old WITH new') },
  { name: 'extract', aliases: ['kv'], help: 'extract [pairdelim=...] [kvdelim=...]: key=value extraction from _raw.' },
  { name: 'multikv', help: 'multikv [conf=...] [fields ...]: extract a table in _raw into events.' },
  { name: 'delta', help: 'delta <field> [AS name] [p=1]: the difference from the previous result.', check: needsArgs('a field') },
  { name: 'autoregress', help: 'autoregress <field> [AS name] [p=N|N-M]: copy previous values into the current result.', check: needsArgs('a field') },
  { name: 'accum', help: 'accum <field> [AS name]: a running total.', check: needsArgs('a field') },
  { name: 'trendline', help: 'trendline sma5(field) [AS name] ...: moving averages.', check: needsArgs('a trend, e.g. sma5(x)') },
  { name: 'strcat', help: 'strcat [allrequired=f] <field|"text"> ... <dest>: concatenate into a field.', check: needsArgs('sources and a destination field') },
  { name: 'localop', help: 'localop: run the rest of the search locally (no effect in Quarry).' },
  { name: 'outputcsv', help: 'outputcsv [append=t] <file>: write results to a CSV file.' },
  { name: 'inputcsv', generating: true, help: '| inputcsv <file>: read a CSV file from the dispatch directory.' },
  { name: 'savedsearch', generating: true, help: '| savedsearch <name>: run a saved search.', check: needsArgs('a saved search name') },
  { name: 'loadjob', generating: true, help: '| loadjob <sid> | loadjob savedsearch=...: results of an earlier job.' },
  { name: 'fit', help: 'fit <algorithm> <fields> [from ...] [into model]: Machine Learning Toolkit training.', check: needsArgs('an algorithm') },
  { name: 'apply', help: 'apply <model>: Machine Learning Toolkit scoring.', check: needsArgs('a model name') },
  { name: 'predict', help: 'predict <field> [AS name] [future_timespan=N]: forecast a time series.', check: needsArgs('a field') },
  { name: 'cluster', help: 'cluster [t=0.8] [field=_raw] [showcount=t]: group similar events.' },
  { name: 'multireport', help: 'multireport [ pipeline ] [ pipeline ]...: run several reports on the same results.', check: needsSubsearch('pipeline') },
  { name: 'sendemail', help: 'sendemail to=... [subject=...]: e-mail the results.' },
  { name: 'gentimes', generating: true, help: '| gentimes start=... [end=...] [increment=1d]: generate time ranges.' },
  { name: 'typer', help: 'typer: add eventtype.' },
  { name: 'tags', help: 'tags [outputfield=...] [fields]: add the tags of field values.' },
  { name: 'dbinspect', generating: true, help: '| dbinspect [index=...]: information about index buckets.' },
  { name: 'history', generating: true, help: '| history: search history.' },
  { name: 'sichart', aliases: ['sistats', 'sitimechart', 'sitop', 'sirare'], help: 'summary-indexing variants of chart/stats/timechart/top/rare.' },
  { name: 'ldapsearch', generating: true, help: '| ldapsearch search="(...)" [attrs=...]: query LDAP (SA-ldapsearch).' },
];

/**
 * Custom search commands of third-party apps that the corpus uses, as their apps' commands.conf
 * declares them. Splunk itself does not parse their arguments (it hands them to the app's
 * script), so neither does Quarry: words, strings and [subsearches] are checked, and running one
 * is an error naming its app.
 */
const THIRD_PARTY: Record<string, string> = {
  cyencesusermanager: 'Cyences App for Splunk',
  cyencesdevicemanager: 'Cyences App for Splunk',
  cyencesproductmanager: 'Cyences App for Splunk',
  cyencesinventorybackfill: 'Cyences App for Splunk',
  cyencesmvintersection: 'Cyences App for Splunk',
  cyencesmvdiff: 'Cyences App for Splunk',
  cyencesupgrade: 'Cyences App for Splunk',
  syncfiltermacros: 'Cyences App for Splunk',
  timestampbasedcorrelation: 'Cyences App for Splunk',
  azureadmodifiedpropertiesformatter: 'Cyences App for Splunk',
  blockshieldipinfo: 'Cyences App for Splunk',
  socaiinterpretation: 'Cyences App for Splunk',
  removepostfixes: 'Cyences App for Splunk',
  transam: 'Cyences App for Splunk',
  dnstwist: 'dnstwist add-on',
  cyberchef: 'CyberChef for Splunk',
  fuzzy: 'Fuzzy Search for Splunk',
};

function thirdPartySpec(name: string, app: string): CommandSpec<LooseToken[]> {
  return {
    name,
    generating: true,
    help: `${name}: a custom command of ${app} (parsed, not supported).`,
    parse: parseLoose,
    compile(_args, _b, cmd) {
      throw new SplError(`${cmd.name} is a custom command of ${app}; Quarry does not run third-party commands`, cmd.nameSpan);
    },
  };
}

function specOf(u: Unsupported): CommandSpec<LooseToken[]> {
  return {
    name: u.name,
    aliases: u.aliases,
    generating: u.generating,
    help: u.help + ' (parsed, not supported yet)',
    parse(c) {
      const tokens = parseLoose(c);
      u.check?.(tokens, c);
      return tokens;
    },
    compile(_args, _b, cmd) {
      throw new SplError(`${cmd.name} is not supported yet`, cmd.nameSpan, `Quarry parses ${cmd.name} but cannot run it; see docs/spl.md`);
    },
  };
}

/** Every parse-only command, for the registry. */
export function unsupportedCommands(taken: (name: string) => boolean): CommandSpec[] {
  return [
    ...LIST.filter((u) => !taken(u.name)).map(specOf),
    ...Object.entries(THIRD_PARTY)
      .filter(([n]) => !taken(n))
      .map(([n, app]) => thirdPartySpec(n, app)),
  ];
}
