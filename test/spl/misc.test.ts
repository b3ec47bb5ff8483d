import { cases, T0 } from './harness.js';
import { doc, web } from './data.js';

const sessions = [
  { _time: T0 + 0, _raw: 'login user=a', user: 'a', action: 'login' },
  { _time: T0 + 10, _raw: 'view user=a', user: 'a', action: 'view' },
  { _time: T0 + 20, _raw: 'logout user=a', user: 'a', action: 'logout' },
  { _time: T0 + 5, _raw: 'login user=b', user: 'b', action: 'login' },
  { _time: T0 + 500, _raw: 'view user=b', user: 'b', action: 'view' },
  { _time: T0 + 30, _raw: 'view user=a', user: 'a', action: 'view' },
];

cases('transaction', [
  {
    doc: doc('Transaction'),
    events: sessions,
    spl: 'search * | transaction user | table _time user duration eventcount',
    expected: { rows: [{ _time: T0 + 5, user: 'b', duration: 495, eventcount: 2 }, { _time: T0, user: 'a', duration: 30, eventcount: 4 }] },
  },
  {
    doc: doc('Transaction'),
    name: 'maxpause splits',
    events: sessions,
    spl: 'search * | transaction user maxpause=1m | table _time user eventcount',
    expected: { rows: [{ _time: T0 + 500, user: 'b', eventcount: 1 }, { _time: T0 + 5, user: 'b', eventcount: 1 }, { _time: T0, user: 'a', eventcount: 4 }] },
  },
  {
    doc: doc('Transaction'),
    name: 'maxspan splits',
    events: sessions,
    spl: 'search * | transaction user maxspan=15s | table _time user eventcount',
    expected: { rows: [{ _time: T0 + 500, user: 'b', eventcount: 1 }, { _time: T0 + 20, user: 'a', eventcount: 2 }, { _time: T0 + 5, user: 'b', eventcount: 1 }, { _time: T0, user: 'a', eventcount: 2 }] },
  },
  {
    doc: doc('Transaction'),
    name: 'startswith/endswith as search strings; unfinished ones are evicted',
    events: sessions,
    spl: 'search * | transaction user startswith="login" endswith="logout" | table user eventcount closed_txn',
    expected: { rows: [{ user: 'a', eventcount: 3, closed_txn: 1 }] },
  },
  {
    doc: doc('Transaction'),
    name: 'keepevicted=true keeps them with closed_txn=0 (events outside any transaction stay out)',
    events: sessions,
    spl: 'search * | transaction user startswith="login" endswith="logout" keepevicted=true | table user eventcount closed_txn | sort user eventcount',
    expected: { rows: [{ user: 'a', eventcount: 3, closed_txn: 1 }, { user: 'b', eventcount: 2, closed_txn: 0 }] },
  },
  {
    doc: doc('Transaction'),
    name: 'startswith=eval(...)',
    events: sessions,
    spl: 'search * | transaction user startswith=eval(action="login") endswith=eval(action="logout") | table user eventcount',
    expected: { rows: [{ user: 'a', eventcount: 3 }] },
  },
  {
    doc: doc('Transaction'),
    name: 'fields merge into multivalues; _raw joined in time order',
    events: sessions.slice(0, 3),
    spl: 'search * | transaction user | table action _raw',
    expected: { rows: [{ action: ['login', 'logout', 'view'], _raw: 'login user=a\nview user=a\nlogout user=a' }] },
  },
  {
    doc: doc('Transaction'),
    name: 'mvlist=true keeps every value in order',
    events: sessions.filter((e) => e.user === 'a'),
    spl: 'search * | transaction user mvlist=true | table action',
    expected: { rows: [{ action: ['login', 'view', 'logout', 'view'] }] },
  },
  {
    doc: doc('Transaction'),
    name: 'maxevents',
    events: sessions.filter((e) => e.user === 'a'),
    spl: 'search * | transaction user maxevents=2 | table eventcount',
    expected: { rows: [{ eventcount: 2 }, { eventcount: 2 }] },
  },
  {
    doc: doc('Transaction'),
    name: 'unsupported option',
    events: sessions,
    spl: 'search * | transaction user keeporphans=true',
    error: /keeporphans.*not supported/,
  },
]);

const multi = [
  { _time: T0, index: 'web', sourcetype: 'access', host: 'h1', x: 1 },
  { _time: T0 + 60, index: 'web', sourcetype: 'access', host: 'h2', x: 1 },
  { _time: T0 + 120, index: 'sec', sourcetype: 'auth', host: 'h1', x: 1 },
];

cases('eventcount', [
  { doc: doc('Eventcount'), events: multi, spl: '| eventcount', expected: { fields: ['count'], rows: [{ count: 3 }] } },
  { doc: doc('Eventcount'), events: multi, spl: '| eventcount index=web', expected: { rows: [{ count: 2 }] } },
  { doc: doc('Eventcount'), events: multi, spl: '| eventcount summarize=false index=*', expected: { fields: ['count', 'index', 'server'], rows: [{ count: 1, index: 'sec', server: 'local' }, { count: 2, index: 'web', server: 'local' }] } },
]);

cases('metadata', [
  { doc: doc('Metadata'), events: multi, spl: '| metadata type=sourcetypes', expected: { fields: ['firstTime', 'lastTime', 'recentTime', 'sourcetype', 'totalCount', 'type'], rows: [{ firstTime: T0, lastTime: T0 + 60, recentTime: T0 + 60, sourcetype: 'access', totalCount: 2, type: 'sourcetypes' }, { firstTime: T0 + 120, lastTime: T0 + 120, recentTime: T0 + 120, sourcetype: 'auth', totalCount: 1, type: 'sourcetypes' }] } },
  { doc: doc('Metadata'), events: multi, spl: '| metadata type=hosts index=web | table host totalCount', expected: { rows: [{ host: 'h1', totalCount: 1 }, { host: 'h2', totalCount: 1 }] } },
  { doc: doc('Metadata'), events: multi, spl: '| metadata type=hosts | table host totalCount lastTime', expected: { rows: [{ host: 'h1', totalCount: 2, lastTime: T0 + 120 }, { host: 'h2', totalCount: 1, lastTime: T0 + 60 }] } },
  { doc: doc('Metadata'), events: multi, spl: '| metadata type=sources | table source totalCount', expected: { rows: [{ source: 'test.log', totalCount: 3 }] } },
  { doc: doc('Metadata'), events: multi, spl: '| metadata type=indexes', error: /hosts, sources or sourcetypes/ },
]);

cases('tstats', [
  { doc: doc('Tstats'), events: multi, spl: '| tstats count', expected: { fields: ['count'], rows: [{ count: 3 }] } },
  { doc: doc('Tstats'), events: multi, spl: '| tstats count where index=web by host', expected: { rows: [{ host: 'h1', count: 1 }, { host: 'h2', count: 1 }] } },
  { doc: doc('Tstats'), events: multi, spl: '| tstats count where index=* by index, sourcetype', expected: { rows: [{ index: 'sec', sourcetype: 'auth', count: 1 }, { index: 'web', sourcetype: 'access', count: 2 }] } },
  { doc: doc('Tstats'), events: multi, spl: '| tstats count min(_time) as firstTime max(_time) as lastTime where index=web by sourcetype', expected: { rows: [{ sourcetype: 'access', count: 2, firstTime: T0, lastTime: T0 + 60 }] } },
  { doc: doc('Tstats'), events: multi, spl: '| tstats count where index=web by _time span=1h', expected: { rows: [{ _time: T0, count: 2 }] } },
  { doc: doc('Tstats'), events: multi, spl: '| tstats dc(host) as hosts', expected: { rows: [{ hosts: 2 }] } },
  { doc: doc('Tstats'), name: 'non-indexed field', events: multi, spl: '| tstats count where x=1', error: /not an indexed field/ },
  { doc: doc('Tstats'), name: 'datamodel form', events: multi, spl: '| tstats count from datamodel=Web by Web.src', error: /datamodel= is not supported/ },
]);

cases('seeds', [
  {
    doc: 'seeds/queries.md: FTP exfiltration',
    name: 'appendcols + fieldformat + foreach seed, verbatim',
    events: [
      { _time: T0 + 10, index: 'botsv2', sourcetype: 'stream:ftp', src: '10.0.2.107', dest: '160.153.91.7', method: 'STOR', method_parameter: 'a.pdf', filename: 'a.pdf' },
      { _time: T0 + 20, index: 'botsv2', sourcetype: 'stream:ftp', src: '10.0.2.107', dest: '160.153.91.7', method: 'PORT', method_parameter: 'x' },
      { _time: T0 + 30, index: 'botsv2', sourcetype: 'stream:ftp', src: '10.0.2.107', dest: '160.153.91.7', method: 'STOR', method_parameter: 'b.pdf', filename: 'b.pdf' },
      { _time: T0 + 15, index: 'botsv2', sourcetype: 'stream:ftp', src: '10.0.2.109', dest: '160.153.91.7', method: 'RETR', method_parameter: 'c.dll', filename: 'c.dll' },
    ],
    spl: 'index=botsv2 sourcetype=stream:ftp src=10.0.2.107 dest=160.153.91.7 method!=PORT method!=TYPE method!=NLST | table _time src filename method method_parameter | sort + _time | appendcols [search index=botsv2 sourcetype=stream:ftp src=10.0.2.109 dest=160.153.91.7 method!=PORT method!=TYPE method!=NLST | table _time src filename method method_parameter | sort + _time | eval time=_time | fieldformat time=strftime(time,"%B %H:%M:%S") | foreach * [eval <<FIELD>>_s=<<FIELD>>]] | eval time_s=strftime(time_s,"%H:%M:%S") | table _time src filename method method_parameter time_s src_s filename_s method_s method_parameter_s',
    expected: {
      fields: ['_time', 'src', 'filename', 'method', 'method_parameter', 'time_s', 'src_s', 'filename_s', 'method_s', 'method_parameter_s'],
      rows: [
        { _time: T0 + 10, src: '10.0.2.107', filename: 'a.pdf', method: 'STOR', method_parameter: 'a.pdf', time_s: '23:00:15', src_s: '10.0.2.109', filename_s: 'c.dll', method_s: 'RETR', method_parameter_s: 'c.dll' },
        { _time: T0 + 30, src: '10.0.2.107', filename: 'b.pdf', method: 'STOR', method_parameter: 'b.pdf' },
      ],
    },
  },
  {
    doc: 'seeds/queries.md: FTP exfiltration',
    name: 'wineventlog seed with eventstats, verbatim',
    events: [
      { _time: T0 + 1, index: 'botsv2', sourcetype: 'wineventlog', host: 'wrk-btun', EventCode: '4688', _raw: 'ftp.exe -s:winsys32.dll' },
      { _time: T0 + 2, index: 'botsv2', sourcetype: 'wineventlog', host: 'wrk-btun', EventCode: '4689', _raw: 'exit winsys32.dll' },
      { _time: T0 + 3, index: 'botsv2', sourcetype: 'wineventlog', host: 'wrk-klagerf', EventCode: '4688', _raw: 'ftp.exe -s:singlefile.dll' },
      { _time: T0 + 4, index: 'botsv2', sourcetype: 'wineventlog', host: 'wrk-klagerf', EventCode: '4688', _raw: 'other.exe' },
    ],
    spl: 'index=botsv2 sourcetype=wineventlog (singlefile.dll OR winsys32.dll) | reverse | stats count values(EventCode) as EventCode by host | eventstats sum(count) as perc | eval percentage=round(count*100/perc,2) | fields - perc |sort - count',
    expected: {
      fields: ['host', 'count', 'EventCode', 'percentage'],
      rows: [
        { host: 'wrk-btun', count: 2, EventCode: ['4688', '4689'], percentage: 66.67 },
        { host: 'wrk-klagerf', count: 1, EventCode: '4688', percentage: 33.33 },
      ],
    },
  },
  {
    doc: 'seeds/queries.md: data staging',
    name: 'timechart seed: eval uniq=src_ip." ".dest_ip | timechart count by uniq',
    events: [
      { _time: T0 + 1, index: 'botsv2', sourcetype: 'stream:smb', src_ip: '10.0.2.107', dest_ip: '10.0.1.101', _raw: 'a.pdf' },
      { _time: T0 + 2, index: 'botsv2', sourcetype: 'stream:smb', src_ip: '10.0.2.107', dest_ip: '10.0.1.101', _raw: 'b.doc' },
      { _time: T0 + 3, index: 'botsv2', sourcetype: 'stream:smb', src_ip: '10.0.2.109', dest_ip: '10.0.1.101', _raw: 'c.xls' },
    ],
    spl: 'index="botsv2" (.pdf OR .tgz OR .doc OR .xls) sourcetype="stream:smb" | eval uniq=src_ip." ".dest_ip | timechart count by uniq',
    expected: {
      fields: ['_time', '10.0.2.107 10.0.1.101', '10.0.2.109 10.0.1.101'],
      rows: [
        { _time: T0 + 1, '10.0.2.107 10.0.1.101': 1, '10.0.2.109 10.0.1.101': 0 },
        { _time: T0 + 2, '10.0.2.107 10.0.1.101': 1, '10.0.2.109 10.0.1.101': 0 },
        { _time: T0 + 3, '10.0.2.107 10.0.1.101': 0, '10.0.2.109 10.0.1.101': 1 },
      ],
    },
  },
]);

void web;
