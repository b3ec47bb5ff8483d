import { cases, NOW, T0 } from './harness.js';
import { doc, web, sparse } from './data.js';

const logs = [
  { _time: T0 + 1, _raw: 'user=alice action=login src=10.1.1.1 card=1234-5678-9012-3456' },
  { _time: T0 + 2, _raw: 'user=bob action=logout src=10.1.1.2 ports=22,80,443' },
  { _time: T0 + 3, _raw: 'no user here' },
];

cases('rex', [
  {
    doc: doc('Rex'),
    events: logs,
    spl: 'search * | rex "user=(?<user>\\w+)" | table user',
    expected: { rows: [{}, { user: 'bob' }, { user: 'alice' }] },
  },
  {
    doc: doc('Rex'),
    name: 'two named groups',
    events: logs,
    spl: 'search * | rex "user=(?<u>\\w+) action=(?<act>\\w+)" | table u act',
    expected: { fields: ['u', 'act'], rows: [{}, { u: 'bob', act: 'logout' }, { u: 'alice', act: 'login' }] },
  },
  {
    doc: doc('Rex'),
    name: 'field= extracts from another field',
    events: web.slice(0, 2),
    spl: 'search * | rex field=clientip "(?<net>\\d+\\.\\d+)\\.\\d+\\.(?<last>\\d+)" | table clientip net last',
    expected: { rows: [{ clientip: '10.0.0.2', net: '10.0', last: '2' }, { clientip: '10.0.0.1', net: '10.0', last: '1' }] },
  },
  {
    doc: doc('Rex'),
    name: 'max_match=0: every match, multivalue',
    events: logs.slice(1, 2),
    spl: 'search * | rex "(?<port>\\d+)(,|$)" max_match=0 | table port',
    expected: { rows: [{ port: ['22', '80', '443'] }] },
  },
  {
    doc: doc('Rex'),
    name: 'max_match=2',
    events: logs.slice(1, 2),
    spl: 'search * | rex max_match=2 "(?<port>\\d+)(,|$)" | table port',
    expected: { rows: [{ port: ['22', '80'] }] },
  },
  {
    doc: doc('Rex'),
    name: 'no match leaves an existing field alone',
    events: [{ _time: T0, _raw: 'nothing', user: 'keep' }],
    spl: 'search * | rex "user=(?<user>\\w+)" | table user',
    expected: { rows: [{ user: 'keep' }] },
  },
  {
    doc: doc('Rex'),
    name: '(?P<name>) Python-style group',
    events: logs.slice(0, 1),
    spl: 'search * | rex "src=(?P<ip>[\\d.]+)" | table ip',
    expected: { rows: [{ ip: '10.1.1.1' }] },
  },
  {
    doc: doc('Rex'),
    name: 'mode=sed anonymizes (doc example)',
    events: logs.slice(0, 1),
    spl: 'search * | rex field=_raw mode=sed "s/(\\d{4}-){3}/XXXX-XXXX-XXXX-/g" | table _raw',
    expected: { rows: [{ _raw: 'user=alice action=login src=10.1.1.1 card=XXXX-XXXX-XXXX-3456' }] },
  },
  {
    doc: doc('Rex'),
    name: 'sed with a backreference',
    events: [{ _time: T0, f: 'abc-def' }],
    spl: 'search * | rex field=f mode=sed "s/(\\w+)-(\\w+)/\\2-\\1/" | table f',
    expected: { rows: [{ f: 'def-abc' }] },
  },
  {
    doc: doc('Rex'),
    name: 'sed replaces only the first match without g',
    events: [{ _time: T0, f: 'aaa' }],
    spl: 'search * | rex field=f mode=sed "s/a/b/" | table f',
    expected: { rows: [{ f: 'baa' }] },
  },
  {
    doc: doc('Rex'),
    name: 'sed Nth occurrence',
    events: [{ _time: T0, f: 'aaa' }],
    spl: 'search * | rex field=f mode=sed "s/a/b/2" | table f',
    expected: { rows: [{ f: 'aba' }] },
  },
  {
    doc: doc('Rex'),
    name: 'sed y/// transliteration',
    events: [{ _time: T0, f: 'abcabc' }],
    spl: 'search * | rex field=f mode=sed "y/abc/xyz/" | table f',
    expected: { rows: [{ f: 'xyzxyz' }] },
  },
  {
    doc: doc('Rex'),
    name: 'a regex without named groups is an error',
    events: logs,
    spl: 'search * | rex "user=\\w+"',
    error: /named group/,
  },
  {
    doc: doc('Rex'),
    name: 'a bad regex is an error',
    events: logs,
    spl: 'search * | rex "(?<a>[a-"',
    error: /bad regular expression/,
  },
  {
    doc: doc('Rex'),
    name: 'unknown option',
    events: logs,
    spl: 'search * | rex fied=x "(?<a>.)"',
    error: /unknown option fied/,
  },
  {
    doc: doc('Rex'),
    name: 'lookbehind (runs in TypeScript: not RE2)',
    events: logs,
    spl: 'search * | rex "(?<=user=)(?<u>\\w+)" | table u',
    expected: { rows: [{}, { u: 'bob' }, { u: 'alice' }] },
  },
  {
    doc: doc('Rex'),
    name: 'backreference in the pattern (TypeScript path)',
    events: [{ _time: T0, _raw: 'x=aa y=bc' }],
    spl: 'search * | rex "(?<dbl>(\\w)\\2)" | table dbl',
    expected: { rows: [{ dbl: 'aa' }] },
  },
  {
    doc: doc('Rex'),
    name: 'offset_field',
    events: [{ _time: T0, _raw: 'user=bob' }],
    spl: 'search * | rex "user=(?<u>\\w+)" offset_field=off | table u off',
    expected: { rows: [{ u: 'bob', off: 'u=5-7' }] },
  },
  {
    doc: doc('Rex'),
    name: 'case-insensitive inline flag',
    events: [{ _time: T0, _raw: 'USER=Carol' }],
    spl: 'search * | rex "(?i)user=(?<user>\\w+)" | table user',
    expected: { rows: [{ user: 'Carol' }] },
  },
]);

cases('regex', [
  {
    doc: doc('Regex'),
    name: 'lookahead (PCRE path)',
    events: web,
    spl: 'search * | regex host="www(?=3)" | table host',
    expected: { rows: [{ host: 'www3' }] },
  },
  {
    doc: doc('Regex'),
    events: web,
    spl: 'search * | regex clientip="^10\\.0\\.0\\.[12]$" | stats count',
    expected: { rows: [{ count: 5 }] },
  },
  {
    doc: doc('Regex'),
    events: web,
    spl: 'search * | regex clientip!="^10\\.0\\.0\\.[12]$" | table host',
    expected: { rows: [{ host: 'www3' }] },
  },
  {
    doc: doc('Regex'),
    name: 'bare regex matches _raw',
    events: logs,
    spl: 'search * | regex "action=log(in|out)" | stats count',
    expected: { rows: [{ count: 2 }] },
  },
  {
    doc: doc('Regex'),
    name: 'unanchored',
    events: web,
    spl: 'search * | regex host="3" | table host',
    expected: { rows: [{ host: 'www3' }] },
  },
  {
    doc: doc('Regex'),
    name: 'numeric field matched as text',
    events: web,
    spl: 'search * | regex bytes="^\\d{3}$" | table bytes',
    expected: { rows: [{ bytes: 500 }, { bytes: 300 }, { bytes: 100 }] },
  },
]);

cases('dedup', [
  {
    doc: doc('Dedup'),
    events: web,
    spl: 'search * | dedup host | table host',
    expected: { rows: [{ host: 'www2' }, { host: 'www1' }, { host: 'www3' }] },
  },
  {
    doc: doc('Dedup'),
    name: 'keep the first 2 of each',
    events: web,
    spl: 'search * | dedup 2 host | table host bytes',
    expected: { rows: [{ host: 'www2', bytes: 500 }, { host: 'www1', bytes: 20 }, { host: 'www3', bytes: 10 }, { host: 'www1', bytes: 300 }, { host: 'www2', bytes: 50 }] },
  },
  {
    doc: doc('Dedup'),
    name: 'several fields',
    events: web,
    spl: 'search * | dedup host status | table host status',
    expected: { rows: [{ host: 'www2', status: '200' }, { host: 'www1', status: '404' }, { host: 'www3', status: '500' }, { host: 'www1', status: '200' }, { host: 'www2', status: '404' }] },
  },
  {
    doc: doc('Dedup'),
    name: 'rows missing the field are removed',
    events: sparse,
    spl: 'search * | dedup a | table a b',
    expected: { rows: [{ a: 'y' }, { a: 'x', b: 1 }] },
  },
  {
    doc: doc('Dedup'),
    name: 'keepempty=true keeps them',
    events: sparse,
    spl: 'search * | dedup a keepempty=true | table a b',
    expected: { rows: [{ b: 3 }, { a: 'y' }, { a: 'x', b: 1 }] },
  },
  {
    doc: doc('Dedup'),
    name: 'consecutive=true removes only runs',
    events: web,
    spl: 'search * | reverse | dedup method consecutive=true | table method',
    expected: { rows: [{ method: 'GET' }, { method: 'POST' }, { method: 'GET' }] },
  },
  {
    doc: doc('Dedup'),
    name: 'sortby',
    events: web,
    spl: 'search * | dedup host sortby -bytes | table host bytes',
    expected: { rows: [{ host: 'www2', bytes: 500 }, { host: 'www1', bytes: 20 }, { host: 'www3', bytes: 10 }] },
  },
  {
    doc: doc('Dedup'),
    name: 'keepevents is not supported yet',
    events: web,
    spl: 'search * | dedup host keepevents=true',
    error: /keepevents.*not supported/,
  },
]);

cases('fillnull', [
  // value= after the field list: splunk/security_content writes it there
  { doc: doc('Fillnull'), name: 'value= after the fields', events: sparse, spl: 'search * | fillnull a, c value="n/a" | table a c', expected: { rows: [{ a: 'n/a', c: 'n/a' }, { a: 'y', c: 'n/a' }, { a: 'x', c: 'n/a' }] } },
  { doc: doc('Fillnull'), name: 'an unknown option after the fields is an error', events: sparse, spl: 'search * | fillnull a vlaue=1', error: /unknown option vlaue=/ },
  {
    doc: doc('Fillnull'),
    events: sparse,
    spl: 'search * | fillnull | table a b',
    expected: { rows: [{ a: '0', b: 3 }, { a: 'y', b: 0 }, { a: 'x', b: 1 }] },
  },
  {
    doc: doc('Fillnull'),
    events: sparse,
    spl: 'search * | fillnull value=NULL a | table a b',
    expected: { rows: [{ a: 'NULL', b: 3 }, { a: 'y' }, { a: 'x', b: 1 }] },
  },
  {
    doc: doc('Fillnull'),
    name: 'a missing field is created',
    events: sparse,
    spl: 'search * | fillnull value=unknown c | table c',
    expected: { rows: [{ c: 'unknown' }, { c: 'unknown' }, { c: 'unknown' }] },
  },
  {
    doc: doc('Fillnull'),
    name: 'text value into a numeric field',
    events: sparse,
    spl: 'search * | fillnull value="n/a" b | table b',
    expected: { rows: [{ b: '3' }, { b: 'n/a' }, { b: '1' }] },
  },
  {
    doc: doc('Fillnull'),
    name: 'before stats, rows are no longer dropped by a null by-field',
    events: sparse,
    spl: 'search * | fillnull value=none a | stats count by a',
    expected: { rows: [{ a: 'none', count: 1 }, { a: 'x', count: 1 }, { a: 'y', count: 1 }] },
  },
]);

cases('makeresults', [
  {
    doc: doc('Makeresults'),
    spl: '| makeresults',
    expected: { fields: ['_time'], rows: [{ _time: NOW / 1000 }] },
  },
  {
    doc: doc('Makeresults'),
    spl: '| makeresults count=3 | streamstats count | table count',
    expected: { rows: [{ count: 1 }, { count: 2 }, { count: 3 }] },
  },
  {
    doc: doc('Makeresults'),
    spl: '| makeresults | eval x="hello" | table x',
    expected: { rows: [{ x: 'hello' }] },
  },
  {
    doc: doc('Makeresults'),
    name: 'annotate=true adds the default fields',
    spl: '| makeresults annotate=true',
    expected: { fields: ['_time', '_raw', 'host', 'source', 'sourcetype', 'splunk_server', 'splunk_server_group'], rows: [{ _time: NOW / 1000, splunk_server: 'local' }] },
  },
  {
    doc: doc('Makeresults'),
    name: 'format=csv data=',
    spl: '| makeresults format=csv data="a,b\n1,x\n2,y" | table a b',
    expected: { rows: [{ a: '1', b: 'x' }, { a: '2', b: 'y' }] },
  },
  {
    doc: doc('Makeresults'),
    name: 'format=json data=',
    spl: '| makeresults format=json data="[{\\"a\\": 1}, {\\"a\\": 2, \\"b\\": \\"z\\"}]" | table a b',
    expected: { rows: [{ a: 1 }, { a: 2, b: 'z' }] },
  },
  {
    doc: doc('Makeresults'),
    name: 'count must be positive',
    spl: '| makeresults count=0',
    error: /count= takes a whole number/,
  },
]);

cases('foreach', [
  {
    doc: doc('Foreach'),
    spl: '| makeresults | eval a=1, b=2 | foreach a b [eval <<FIELD>>=<<FIELD>>*10] | table a b',
    expected: { rows: [{ a: 10, b: 20 }] },
  },
  {
    doc: doc('Foreach'),
    name: 'wildcard and total (doc example)',
    spl: '| makeresults | eval in_bytes=5, out_bytes=7, total=0 | foreach *_bytes [eval total=total + <<FIELD>>] | table total',
    expected: { rows: [{ total: 12 }] },
  },
  {
    doc: doc('Foreach'),
    name: '<<MATCHSTR>>',
    spl: '| makeresults | eval x_in=1, y_in=2 | foreach *_in [eval <<MATCHSTR>>_out=<<FIELD>>*2] | table x_out y_out',
    expected: { rows: [{ x_out: 2, y_out: 4 }] },
  },
  {
    doc: doc('Foreach'),
    name: '* does not match internal fields; fields made inside are not revisited',
    spl: '| makeresults | eval a=1 | foreach * [eval <<FIELD>>_s=<<FIELD>>] | table *',
    expected: { fields: ['a', 'a_s'], rows: [{ a: 1, a_s: 1 }] },
  },
  {
    doc: doc('Foreach'),
    name: 'two commands in the template',
    spl: '| makeresults | eval a=1 | foreach a [eval <<FIELD>>=<<FIELD>>+1 | eval <<FIELD>>2=<<FIELD>>*3] | table a a2',
    expected: { rows: [{ a: 2, a2: 6 }] },
  },
  {
    doc: doc('Foreach'),
    name: 'quoted field names in the template',
    spl: '| makeresults | eval "a-b"=4 | foreach a-b [eval \'<<FIELD>>\'=\'<<FIELD>>\'/2] | table a-b',
    expected: { rows: [{ 'a-b': 2 }] },
  },
  {
    doc: doc('Foreach'),
    name: 'mode=json_array not supported yet',
    spl: '| makeresults | foreach mode=json_array x [eval y=1]',
    error: /not supported yet/,
  },
  {
    doc: doc('Foreach'),
    name: 'matchseg1',
    spl: '| makeresults | eval p_a_q=1 | foreach p_*_q [eval r_<<MATCHSEG1>>=<<FIELD>>] | table r_a',
    expected: { rows: [{ r_a: 1 }] },
  },
]);

cases('append', [
  {
    doc: doc('Append'),
    events: web,
    spl: 'search host=www3 | table host | append [search host=www2 | table host bytes]',
    expected: { fields: ['host', 'bytes'], rows: [{ host: 'www3' }, { host: 'www2', bytes: 500 }, { host: 'www2', bytes: 50 }] },
  },
  {
    doc: doc('Append'),
    name: 'append after stats',
    events: web,
    spl: 'search * | stats count by host | append [search * | stats count as total]',
    expected: { fields: ['host', 'count', 'total'], rows: [{ host: 'www1', count: 3 }, { host: 'www2', count: 2 }, { host: 'www3', count: 1 }, { total: 6 }] },
  },
  {
    doc: doc('Append'),
    name: 'makeresults subsearch',
    spl: '| makeresults | eval a=1 | append [| makeresults | eval a=2] | table a',
    expected: { rows: [{ a: 1 }, { a: 2 }] },
  },
]);

cases('appendcols', [
  {
    doc: doc('Appendcols'),
    spl: '| makeresults count=2 | streamstats count as a | appendcols [| makeresults count=3 | streamstats count as b] | table a b',
    expected: { rows: [{ a: 1, b: 1 }, { a: 2, b: 2 }, { b: 3 }] },
  },
  {
    doc: doc('Appendcols'),
    name: 'existing fields win',
    spl: '| makeresults | eval a=1 | appendcols [| makeresults | eval a=2, b=3] | table a b',
    expected: { rows: [{ a: 1, b: 3 }] },
  },
  {
    doc: doc('Appendcols'),
    name: 'override=true',
    spl: '| makeresults | eval a=1 | appendcols override=true [| makeresults | eval a=2, b=3] | table a b',
    expected: { rows: [{ a: 2, b: 3 }] },
  },
  {
    doc: doc('Appendcols'),
    name: 'stats side by side',
    events: web,
    spl: 'search * | stats count | appendcols [search * | stats sum(bytes) as total]',
    expected: { fields: ['count', 'total'], rows: [{ count: 6, total: 980 }] },
  },
]);

cases('join', [
  {
    doc: doc('Join'),
    events: web,
    spl: 'search * | stats count by host | join host [search * | stats sum(bytes) as tb by host]',
    expected: { fields: ['host', 'count', 'tb'], rows: [{ host: 'www1', count: 3, tb: 420 }, { host: 'www2', count: 2, tb: 550 }, { host: 'www3', count: 1, tb: 10 }] },
  },
  {
    doc: doc('Join'),
    name: 'inner drops rows without a match',
    events: web,
    spl: 'search * | stats count by host | join host [search host=www1 | stats max(bytes) as mx by host]',
    expected: { rows: [{ host: 'www1', count: 3, mx: 300 }] },
  },
  {
    doc: doc('Join'),
    name: 'type=left keeps them',
    events: web,
    spl: 'search * | stats count by host | join type=left host [search host=www1 | stats max(bytes) as mx by host]',
    expected: { rows: [{ host: 'www1', count: 3, mx: 300 }, { host: 'www2', count: 2 }, { host: 'www3', count: 1 }] },
  },
  {
    doc: doc('Join'),
    name: 'max=1 takes the first subsearch match',
    events: web,
    spl: 'search * | stats count by host | join host [search * | table host bytes]',
    expected: { rows: [{ host: 'www1', count: 3, bytes: 20 }, { host: 'www2', count: 2, bytes: 500 }, { host: 'www3', count: 1, bytes: 10 }] },
  },
  {
    doc: doc('Join'),
    name: 'max=0 takes all',
    events: web,
    spl: 'search host=www2 | stats count by host | join max=0 host [search * | table host bytes]',
    expected: { rows: [{ host: 'www2', count: 2, bytes: 500 }, { host: 'www2', count: 2, bytes: 50 }] },
  },
  {
    doc: doc('Join'),
    name: 'overwrite=false keeps main values',
    spl: '| makeresults | eval k=1, v="main" | join overwrite=false k [| makeresults | eval k=1, v="sub", w="x"] | table k v w',
    expected: { rows: [{ k: 1, v: 'main', w: 'x' }] },
  },
  {
    doc: doc('Join'),
    name: 'overwrite defaults to true',
    spl: '| makeresults | eval k=1, v="main" | join k [| makeresults | eval k=1, v="sub"] | table k v',
    expected: { rows: [{ k: 1, v: 'sub' }] },
  },
  {
    doc: doc('Join'),
    name: 'no field list: the common fields',
    spl: '| makeresults | eval k=1, v="a" | join [| makeresults | eval k=1, w="b"] | table k v w',
    expected: { rows: [{ k: 1, v: 'a', w: 'b' }] },
  },
  {
    doc: doc('Join'),
    name: 'bad type',
    spl: '| makeresults | join type=full k [| makeresults]',
    error: /inner, left or outer/,
  },
]);

cases('subsearch', [
  {
    doc: doc('Return'),
    events: web,
    spl: 'search [search host=www3 | return clientip] | table host',
    expected: { rows: [{ host: 'www3' }] },
  },
  {
    doc: doc('Return'),
    name: 'return 2 values ORed',
    events: web,
    spl: 'search [search * | dedup clientip | sort clientip | return 2 clientip] | stats count',
    expected: { rows: [{ count: 5 }] },
  },
  {
    doc: doc('Return'),
    name: 'alias=field',
    events: web,
    spl: '| makeresults | eval ip="10.0.0.3" | return clientip=ip',
    expected: { fields: ['search'], rows: [{ search: 'clientip="10.0.0.3"' }] },
  },
  {
    doc: doc('Return'),
    name: '$field returns the value only',
    spl: '| makeresults | eval x="abc" | return $x',
    expected: { rows: [{ search: 'abc' }] },
  },
  {
    doc: doc('Return'),
    name: 'return 2 rows format',
    spl: '| makeresults count=2 | streamstats count as n | return 2 n',
    expected: { rows: [{ search: '(n="1") OR (n="2")' }] },
  },
  {
    doc: doc('Format'),
    spl: '| makeresults count=2 | streamstats count as n | eval m="x" | table n m | format',
    expected: { rows: [{ search: '( ( n="1" AND m="x" ) OR ( n="2" AND m="x" ) )' }] },
  },
  {
    doc: doc('Format'),
    name: 'custom strings',
    spl: '| makeresults | eval a=1 | table a | format "[" "{" "&&" "}" "||" "]"',
    expected: { rows: [{ search: '[ { a="1" } ]' }] },
  },
  {
    doc: doc('Format'),
    name: 'no rows',
    events: web,
    spl: 'search host=none | table host | format',
    expected: { rows: [{ search: 'NOT ( )' }] },
  },
  {
    doc: doc('Search'),
    name: 'a subsearch with fields becomes field=value ORs',
    events: web,
    spl: 'search [search status=500 | fields host] | stats count by host',
    expected: { rows: [{ host: 'www3', count: 1 }] },
  },
  {
    doc: doc('Format'),
    name: 'format output read back by the outer search',
    events: web,
    spl: 'search [search status=404 | table clientip | format] | stats count',
    expected: { rows: [{ count: 2 }] },
  },
  {
    doc: doc('Search'),
    name: 'empty subsearch matches nothing',
    events: web,
    spl: 'search [search host=none | fields host] | stats count',
    expected: { rows: [{ count: 0 }] },
  },
]);
