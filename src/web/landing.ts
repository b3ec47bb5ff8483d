/**
 * The first thing a new user sees: what data is loaded, which searches tell the story of the
 * seed write-ups, which hunts to run, and the recent searches.
 */
import { api, type IndexInfo } from './api.js';
import { h, replace } from './dom.js';
import { fmtCount, fmtDateTime } from './util.js';

export interface Suggestion {
  title: string;
  search: string;
  why: string;
}
export interface Story {
  title: string;
  blurb: string;
  searches: Suggestion[];
}

export const STORIES: Story[] = [
  {
    title: 'Data staging over SMB',
    blurb: 'Office documents pile up on one workstation: which sourcetypes mention them, which hosts talk SMB, and the one flow that reads 1.2 GB from the file server.',
    searches: [
      { title: 'Which sourcetypes mention office files', search: 'index="botsv2" (.pdf OR .tgz OR .doc OR .xls) | stats count by sourcetype | sort - count', why: 'stream:smb should lead' },
      { title: 'SMB pairs moving those files', search: 'index="botsv2" (.pdf OR .tgz OR .doc OR .xls) sourcetype="stream:smb" | stats count by src_ip dest_ip | sort - count', why: 'three workstations, one file server' },
      { title: 'SMB over time per pair', search: 'index="botsv2" sourcetype="stream:smb" | eval uniq=src_ip." ".dest_ip | timechart count by uniq', why: 'look for the burst, then zoom to it on the timeline' },
      { title: 'Files read over SMB', search: 'index="botsv2" sourcetype="stream:smb" | stats count by filename, src_ip, dest_ip | sort - count', why: 'the staged documents' },
    ],
  },
  {
    title: 'FTP exfiltration',
    blurb: 'The staged PDFs leave by FTP to an outside address; ftp.exe is driven by scripts dropped as .dll files.',
    searches: [
      { title: 'FTP from the staging host', search: 'index=botsv2 sourcetype=stream:ftp src=10.0.2.107 dest=160.153.91.7 method!=PORT method!=TYPE method!=NLST | table _time src filename method method_parameter | sort + _time', why: 'what left, and when' },
      { title: 'Hosts running the FTP scripts', search: 'index=botsv2 sourcetype=wineventlog (singlefile.dll OR winsys32.dll) | reverse | stats count values(EventCode) as EventCode by host | eventstats sum(count) as perc | eval percentage=round(count*100/perc,2) | fields - perc | sort - count', why: 'process creation with -s: scripts' },
    ],
  },
  {
    title: 'DNS tunnelling',
    blurb: 'High-entropy subdomains of one domain, many queries per host pair, subdomain lengths with a tiny deviation: a DNS tunnel.',
    searches: [
      { title: 'All DNS traffic', search: 'index=botsv2 sourcetype=stream:dns', why: 'the timeline and the fields sidebar: click query, then a value' },
      { title: 'DNS mentioning the exfil address', search: 'index=botsv2 sourcetype=stream:dns 160.153.91.7', why: 'four internal systems' },
      { title: 'Queries to the suspicious domain', search: 'index="botsv2" sourcetype="stream:dns" hildegardsfarm.com message_type=QUERY | table _time query src dest', why: 'odd subdomains' },
      {
        title: 'Entropy and length of the subdomains',
        search: 'index="botsv2" sourcetype="stream:dns" hildegardsfarm.com message_type=QUERY query=*.hildegardsfarm.com | eval query=mvdedup(query) | eval list="mozilla" | `ut_parse_extended(query,list)` | `ut_shannon(ut_subdomain)` | eval sublen = length(ut_subdomain) | stats count avg(ut_shannon) as avg_entropy avg(sublen) as avg_sublen stdev(sublen) as stdev_sublen by ut_domain src dest | sort - count',
        why: 'high entropy, low deviation',
      },
    ],
  },
];

export function createLanding(o: {
  run(search: string): void;
  history(): { q: string; label: string }[];
  openHunts(): void;
}) {
  const dataBox = h('div', { class: 'ld-data' }, h('div', { class: 'muted' }, 'Reading the catalog…'));
  const huntsBox = h('div', { class: 'ld-hunts' });
  const recentBox = h('div', { class: 'ld-recent' });
  const el = h(
    'div',
    { class: 'landing' },
    h(
      'div',
      { class: 'ld-intro' },
      h('h1', null, 'Hunt through your logs with SPL'),
      h(
        'p',
        null,
        'Quarry runs Splunk’s Search Processing Language over security logs stored in an embedded DuckDB. Type a search above and press Enter; ',
        'drag over the timeline to zoom into a burst; click a field on the left to see its top values and add one to the search.',
      ),
      h('p', null, 'New here? Click a sourcetype under Data to see its events, follow one of the stories under Searches to try, or run a hunt: it chains the searches for you and ranks what it finds.'),
      h('p', { class: 'muted small' }, 'Enter runs the search · Shift+Enter adds a line · Ctrl+Space completes commands, functions, fields and macros · the URL carries the search, so it can be shared.'),
    ),
    h('div', { class: 'ld-grid' },
      h('section', { class: 'card' }, h('h2', null, 'Data'), dataBox),
      h('section', { class: 'card' }, h('h2', null, 'Hunts'), huntsBox),
    ),
    h('section', { class: 'card' }, h('h2', null, 'Searches to try'), h('div', { class: 'ld-stories' }, ...STORIES.map(story))),
    h('section', { class: 'card' }, h('h2', null, 'Recent searches'), recentBox),
  );

  function story(s: Story) {
    return h(
      'div',
      { class: 'ld-story' },
      h('h3', null, s.title),
      h('p', { class: 'muted small' }, s.blurb),
      h('ol', null, ...s.searches.map((q) =>
        h('li', null,
          h('button', { class: 'link ld-q', type: 'button', title: q.search, dataset: { search: q.search }, on: { click: () => o.run(q.search) } }, q.title),
          h('span', { class: 'muted small' }, ` — ${q.why}`),
          h('code', { class: 'ld-spl mono' }, q.search),
        ),
      )),
    );
  }

  function renderData(indexes: IndexInfo[]) {
    if (indexes.length === 0) {
      replace(dataBox, h('p', null, 'No data yet.'), h('p', { class: 'muted small' }, 'Load some with ', h('code', null, 'quarry ingest PATH --index NAME'), ' or generate the Frothly scenario with ', h('code', null, 'quarry demo'), '.'));
      return;
    }
    const tz = 'UTC';
    replace(
      dataBox,
      ...indexes.map((ix) =>
        h(
          'div',
          { class: 'ld-index' },
          h('div', { class: 'ld-index-head' },
            h('button', { class: 'link', type: 'button', on: { click: () => o.run(`index=${ix.index}`) } }, h('b', null, `index=${ix.index}`)),
            h('span', { class: 'muted small' }, ` ${fmtCount(ix.eventCount)} events`, ix.earliest !== null && ix.latest !== null ? ` · ${fmtDateTime(ix.earliest, tz, false)} → ${fmtDateTime(ix.latest, tz, false)} UTC` : ''),
          ),
          h('table', { class: 'ld-st' },
            h('tbody', null, ...[...ix.sourcetypes].sort((a, b) => b.eventCount - a.eventCount).map((st) =>
              h('tr', null,
                h('td', { class: 'ld-st-name', title: st.sourcetype }, h('button', { class: 'link', type: 'button', title: `index=${ix.index} sourcetype=${st.sourcetype}`, on: { click: () => o.run(`index=${ix.index} sourcetype=${quoteIfNeeded(st.sourcetype)}`) } }, st.sourcetype)),
                h('td', { class: 'muted small' }, describeSourcetype(st.sourcetype)),
                h('td', { class: 'num' }, fmtCount(st.eventCount)),
                h('td', { class: 'muted small' }, `${st.fields.length} fields`),
              ),
            )),
          ),
        ),
      ),
    );
  }

  async function load() {
    try {
      renderData((await api.indexes()).indexes);
    } catch (e) {
      replace(dataBox, h('p', { class: 'err' }, `Could not read the catalog: ${(e as Error).message}`));
    }
    try {
      const { hunts } = await api.hunts();
      replace(
        huntsBox,
        hunts.length === 0 ? h('p', { class: 'muted' }, 'No hunts found.') : h('ul', { class: 'ld-hunt-list' }, ...hunts.map((hu) => h('li', null, h('a', { href: '/hunts', class: 'ld-hunt', on: { click: (ev) => (ev.preventDefault(), o.openHunts()) } }, hu.title), h('span', { class: 'muted small' }, ` · ${hu.techniques.map((t) => t.id).join(', ')} · ${hu.steps.length} steps`), h('div', { class: 'muted small' }, hu.hypothesis)))),
        h('button', { class: 'btn', type: 'button', on: { click: o.openHunts } }, 'Open hunts'),
      );
    } catch {
      replace(
        huntsBox,
        h('p', { class: 'muted' }, 'Hunts are not installed in this build yet.'),
        h('p', { class: 'muted small' }, 'A hunt is a file of SPL steps (hypothesis, ATT&CK technique, how each step picks what the next looks at). The SMB staging, FTP exfiltration and DNS tunnel hunts arrive with the hunts module.'),
      );
    }
    const hist = o.history();
    replace(
      recentBox,
      hist.length === 0
        ? h('p', { class: 'muted small' }, 'Searches you run are kept in this browser.')
        : h('ul', { class: 'ld-recent-list' }, ...hist.slice(0, 10).map((x) => h('li', null, h('button', { class: 'link mono', type: 'button', on: { click: () => o.run(x.q) } }, x.q), h('span', { class: 'muted small' }, ` · ${x.label}`)))),
    );
  }

  return { el, load };
}

/** What a sourcetype holds, for a reader new to the data (empty when unknown). */
export function describeSourcetype(st: string): string {
  const s = st.toLowerCase();
  const known: [RegExp, string][] = [
    [/^stream:dns$/, 'DNS queries and answers seen on the wire (Splunk Stream)'],
    [/^stream:smb$/, 'SMB file-share traffic: file names, reads and writes, bytes'],
    [/^stream:ftp$/, 'FTP commands and file transfers'],
    [/^stream:http$/, 'HTTP requests: URLs, hosts, user agents'],
    [/^stream:tcp$/, 'TCP flows with byte counts'],
    [/^stream:/, 'network traffic decoded by Splunk Stream'],
    [/^suricata$/, 'Suricata IDS: alerts, flows, DNS and HTTP records'],
    [/^pan:traffic$/, 'Palo Alto firewall sessions, allowed and denied'],
    [/^pan:threat$/, 'Palo Alto firewall threat detections'],
    [/sysmon/, 'Sysmon on the endpoints: processes, connections, files'],
    [/wineventlog/, 'Windows event logs: logons, process creation'],
    [/^zeek:(\w+)$/, `Zeek ${s.replace(/^zeek:/, '')}.log records`],
    [/^notable$/, 'notables written by the saved detections'],
  ];
  return known.find(([re]) => re.test(s))?.[1] ?? '';
}

function quoteIfNeeded(s: string): string {
  return /^[\w:.-]+$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`;
}
