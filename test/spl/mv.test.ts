import { cases, T0 } from './harness.js';
import { doc } from './data.js';

const mk = (evals: string) => `| makeresults | eval ${evals}`;

cases('makemv', [
  { doc: doc('Makemv'), spl: `${mk('s="a b c"')} | makemv s | eval n=mvcount(s) | table s n`, expected: { rows: [{ s: ['a', 'b', 'c'], n: 3 }] } },
  { doc: doc('Makemv'), spl: `${mk('s="a,b,,c"')} | makemv delim="," s | table s`, expected: { rows: [{ s: ['a', 'b', 'c'] }] } },
  { doc: doc('Makemv'), name: 'allowempty=true keeps empty values', spl: `${mk('s="a,b,,c"')} | makemv delim="," allowempty=true s | eval n=mvcount(s) | table n`, expected: { rows: [{ n: 4 }] } },
  { doc: doc('Makemv'), name: 'tokenizer (doc example)', spl: `${mk('s="bob@example.com, jane@example.org"')} | makemv tokenizer="([^,\\s]+)" s | table s`, expected: { rows: [{ s: ['bob@example.com', 'jane@example.org'] }] } },
  { doc: doc('Makemv'), name: 'multi-character delimiter', spl: `${mk('s="a::b::c"')} | makemv delim="::" s | table s`, expected: { rows: [{ s: ['a', 'b', 'c'] }] } },
  { doc: doc('Makemv'), name: 'missing field: nothing happens', spl: `${mk('a=1')} | makemv nope | table a`, expected: { rows: [{ a: 1 }] } },
  { doc: doc('Makemv'), name: 'setsv not supported', spl: `${mk('s="a b"')} | makemv setsv=true s`, error: /setsv.*not supported/ },
]);

cases('mvexpand', [
  { doc: doc('Mvexpand'), spl: `${mk('x=split("a,b,c", ","), k=1')} | mvexpand x | table k x`, expected: { rows: [{ k: 1, x: 'a' }, { k: 1, x: 'b' }, { k: 1, x: 'c' }] } },
  { doc: doc('Mvexpand'), spl: `${mk('x=split("a,b,c", ",")')} | mvexpand x limit=2 | table x`, expected: { rows: [{ x: 'a' }, { x: 'b' }] } },
  { doc: doc('Mvexpand'), name: 'order kept across rows', spl: '| makeresults count=2 | streamstats count as n | eval x=split(n.",z", ",") | mvexpand x | table n x', expected: { rows: [{ n: 1, x: '1' }, { n: 1, x: 'z' }, { n: 2, x: '2' }, { n: 2, x: 'z' }] } },
  { doc: doc('Mvexpand'), name: 'a row without the field is kept', spl: '| makeresults count=2 | streamstats count as n | eval x=if(n=1, split("a,b", ","), null()) | mvexpand x | table n x', expected: { rows: [{ n: 1, x: 'a' }, { n: 1, x: 'b' }, { n: 2 }] } },
  { doc: doc('Mvexpand'), name: 'then stats counts each value', spl: `${mk('x=split("a,b,a", ",")')} | mvexpand x | stats count by x`, expected: { rows: [{ x: 'a', count: 2 }, { x: 'b', count: 1 }] } },
]);

cases('mvcombine', [
  { doc: doc('Mvcombine'), spl: '| makeresults count=3 | streamstats count as n | eval k="same" | table k n | mvcombine n', expected: { fields: ['k', 'n'], rows: [{ k: 'same', n: ['1', '2', '3'] }] } },
  { doc: doc('Mvcombine'), name: 'different other fields stay apart', spl: '| makeresults count=3 | streamstats count as n | eval k=if(n<3, "a", "b") | table k n | mvcombine n', expected: { rows: [{ k: 'a', n: ['1', '2'] }, { k: 'b', n: '3' }] } },
]);

cases('nomv', [
  { doc: doc('Nomv'), spl: `${mk('x=split("a,b", ",")')} | nomv x | eval n=mvcount(x) | table x n`, expected: { rows: [{ x: 'a\nb', n: 1 }] } },
]);

const json = '{"user": {"name": "alice", "id": 7}, "tags": ["x", "y"], "items": [{"k": 1}, {"k": 2}], "ok": true}';

cases('spath', [
  { doc: doc('Spath'), events: [{ _time: T0, _raw: json }], spl: 'search * | spath | table user.name user.id tags{} items{}.k ok', expected: { rows: [{ 'user.name': 'alice', 'user.id': '7', 'tags{}': ['x', 'y'], 'items{}.k': ['1', '2'], ok: 'true' }] } },
  { doc: doc('Spath'), name: 'path=', events: [{ _time: T0, _raw: json }], spl: 'search * | spath path=user.name | table user.name', expected: { rows: [{ 'user.name': 'alice' }] } },
  { doc: doc('Spath'), name: 'path and output', events: [{ _time: T0, _raw: json }], spl: 'search * | spath output=who path=user.name | table who', expected: { rows: [{ who: 'alice' }] } },
  { doc: doc('Spath'), name: 'positional path', events: [{ _time: T0, _raw: json }], spl: 'search * | spath items{}.k | table items{}.k', expected: { rows: [{ 'items{}.k': ['1', '2'] }] } },
  { doc: doc('Spath'), name: 'array index is 1-based', events: [{ _time: T0, _raw: json }], spl: 'search * | spath output=second path=items{2}.k | table second', expected: { rows: [{ second: '2' }] } },
  { doc: doc('Spath'), name: 'an object at the path comes out as JSON', events: [{ _time: T0, _raw: json }], spl: 'search * | spath output=u path=user | table u', expected: { rows: [{ u: '{"name":"alice","id":7}' }] } },
  { doc: doc('Spath'), name: 'input= another field', spl: `| makeresults | eval j="{\\"a\\": {\\"b\\": 5}}" | spath input=j | table a.b`, expected: { rows: [{ 'a.b': '5' }] } },
  { doc: doc('Spath'), name: 'not JSON: nothing extracted, no error', events: [{ _time: T0, _raw: 'plain text' }], spl: 'search * | spath | stats count', expected: { rows: [{ count: 1 }] } },
  { doc: doc('Spath'), name: 'XML elements and attributes', events: [{ _time: T0, _raw: '<event><user id="3">bob</user><act>login</act></event>' }], spl: 'search * | spath | table event.user event.user{@id} event.act', expected: { rows: [{ 'event.user': 'bob', 'event.user{@id}': '3', 'event.act': 'login' }] } },
]);

cases('xmlkv', [
  { doc: doc('Xmlkv'), events: [{ _time: T0, _raw: '<a><user>bob</user><n>4</n></a>' }], spl: 'search * | xmlkv | table user n', expected: { rows: [{ user: 'bob', n: '4' }] } },
]);

cases('convert', [
  { doc: doc('Convert'), spl: `${mk('t=1503619200')} | convert ctime(t) | table t`, expected: { rows: [{ t: '08/25/2017 00:00:00' }] } },
  { doc: doc('Convert'), name: 'timeformat and AS', spl: `${mk('t=1503619200')} | convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(t) AS ts | table t ts`, expected: { rows: [{ t: 1503619200, ts: '2017-08-25T00:00:00' }] } },
  { doc: doc('Convert'), name: 'mktime', spl: `${mk('s="08/25/2017 00:00:00"')} | convert mktime(s) | table s`, expected: { rows: [{ s: 1503619200 }] } },
  { doc: doc('Convert'), name: 'dur2sec', spl: `${mk('d="1+02:03:04", e="00:10:00"')} | convert dur2sec(d) dur2sec(e) | table d e`, expected: { rows: [{ d: 93784, e: 600 }] } },
  { doc: doc('Convert'), name: 'mstime', spl: `${mk('d="2:03.5"')} | convert mstime(d) | table d`, expected: { rows: [{ d: 123.5 }] } },
  { doc: doc('Convert'), name: 'memk', spl: `${mk('a="10m", b="2g", c="5k", d="7"')} | convert memk(a) memk(b) memk(c) memk(d) | table a b c d`, expected: { rows: [{ a: 10240, b: 2097152, c: 5, d: 7 }] } },
  { doc: doc('Convert'), name: 'rmunit', spl: `${mk('a="10kb", b="3.5 sec"')} | convert rmunit(a) rmunit(b) | table a b`, expected: { rows: [{ a: 10, b: 3.5 }] } },
  { doc: doc('Convert'), name: 'rmcomma', spl: `${mk('a="1,234,567"')} | convert rmcomma(a) | eval b=a+1 | table b`, expected: { rows: [{ b: 1234568 }] } },
  { doc: doc('Convert'), name: 'num drops what is not a number', spl: `${mk('a="12", b="abc"')} | convert num(a) num(b) | table a b`, expected: { rows: [{ a: 12 }] } },
  { doc: doc('Convert'), name: 'auto keeps what is not a number', spl: `${mk('a="12", b="abc"')} | convert auto(a) auto(b) | table a b`, expected: { rows: [{ a: 12, b: 'abc' }] } },
  { doc: doc('Convert'), name: 'wildcards with none() excluding a field (doc example)', spl: `${mk('a="1", b="2", c="x1"')} | convert none(b) num(*) | table a b c`, expected: { rows: [{ a: 1, b: '2' }] } },
  { doc: doc('Convert'), name: 'unknown function', spl: `${mk('a=1')} | convert foo(a)`, error: /unknown convert function/ },
]);

// field=value over a multivalue field: true when any value matches, case-insensitively (Splunk
// compares field values without case unless CASE() is used); != when none does
const mvq = `| makeresults count=3 | streamstats count as n | eval m=case(n=1, split("Query,RESPONSE", ","), n=2, split("QUERY", ","), n=3, split("query,other", ","))`;
cases('search over a multivalue field', [
  { doc: doc('Search'), name: 'typed in upper case: every spelling matches', spl: `${mvq} | search m=QUERY | table n`, expected: { rows: [{ n: 1 }, { n: 2 }, { n: 3 }] } },
  { doc: doc('Search'), name: 'mixed case typed', spl: `${mvq} | search m=qUeRy | table n`, expected: { rows: [{ n: 1 }, { n: 2 }, { n: 3 }] } },
  { doc: doc('Search'), name: 'a second value matches', spl: `${mvq} | search m=response | table n`, expected: { rows: [{ n: 1 }] } },
  { doc: doc('Search'), name: '!= keeps rows where no value matches', spl: `${mvq} | search m!=Other | table n`, expected: { rows: [{ n: 1 }, { n: 2 }] } },
  { doc: doc('Search'), name: 'CASE() matches the spelling only', spl: `${mvq} | search m=CASE(QUERY) | table n`, expected: { rows: [{ n: 2 }] } },
  { doc: doc('Search'), name: 'field=CASE(value) on a single value, wildcards allowed', spl: `| makeresults count=3 | streamstats count as n | eval s=case(n=1, "LOCALHOST", n=2, "localhost", n=3, "LOCALHOST2") | search s=CASE(LOCALHOST*) | table n`, expected: { rows: [{ n: 1 }, { n: 3 }] } },
]);
