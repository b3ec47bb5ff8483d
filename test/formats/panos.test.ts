import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SAMPLES, readText, runFile, runText } from './helpers.js';
import { PAN_FIELDS, panos, parseSyslogHeader, splitPanCsv } from '../../src/ingest/formats/panos.js';
import { detectFormat } from '../../src/ingest/formats/index.js';

const P = join(SAMPLES, 'panos');
const LA = 'America/Los_Angeles';

test('pan-os samples: every line read, sourcetypes by log type', async () => {
  const expect: Record<string, Record<string, number>> = {
    'pan_adversaries.samplelog': { 'pan:threat': 5, 'pan:traps4': 1 },
    'pan_correlation.samplelog': { 'pan:correlation': 8 },
    'pan_endpoint.samplelog': { 'pan:traps4': 45 },
    'pan_globalprotect.samplelog': { 'pan:system': 37, 'pan:traffic': 39 },
    'pan_incident_data_config.samplelog': { 'pan:config': 37, 'pan:system': 103 },
  };
  for (const [file, want] of Object.entries(expect)) {
    const r = await runFile(join(P, file), { tz: LA });
    assert.equal(r.format?.id, 'pan-os', file);
    assert.equal(r.quarantined.length, 0, file);
    const got: Record<string, number> = {};
    for (const e of r.events) got[e.sourcetype] = (got[e.sourcetype] ?? 0) + 1;
    assert.deepEqual(got, want, file);
  }
});

test('pan:traffic (PAN-OS 7/8 layout, double syslog header): values by documented position', async () => {
  const r = await runFile(join(P, 'pan_globalprotect.samplelog'), { tz: LA });
  const e = r.events.find((x) => x.sourcetype === 'pan:traffic')!;
  const cols = e.raw.slice(e.raw.indexOf('1,2016')).split(',');
  assert.equal(e.host, 'BD-Panorama');
  assert.equal(e.fields.generated_time, cols[6]);
  assert.equal(e.time, Date.parse('2016-02-25T05:42:31Z') * 1000); // 21:42:31 PST
  assert.equal(e.fields.src_ip, '192.168.55.101');
  assert.equal(e.fields.dest_ip, '8.8.8.8');
  assert.equal(e.fields.rule, 'Permit All');
  assert.equal(e.fields.src_user, 'tng\\picard');
  assert.equal(e.fields.app, 'dns');
  assert.equal(e.fields.src_port, 53909);
  assert.equal(e.fields.dest_port, 53);
  assert.equal(e.fields.protocol, 'udp');
  assert.equal(e.fields.action, 'allow');
  assert.equal(e.fields.bytes, 74);
  assert.equal(e.fields.bytes_out, 74);
  assert.equal(e.fields.bytes_in, 0);
  assert.equal(e.fields.session_end_reason, 'aged-out');
  assert.equal(e.fields.dvc_name, 'PA-VM');
  assert.equal(e.fields.action_source, 'from-policy');
  // CIM
  assert.equal(e.fields.src, '192.168.55.101');
  assert.equal(e.fields.dest, '8.8.8.8');
  assert.equal(e.fields.transport, 'udp');
  assert.equal(e.fields.user, 'tng\\picard');
});

test('pan:traffic BOTS v2 line (PAN-OS 7.0, 46 columns) with --tz', () => {
  const line = 'Aug 23 21:16:41 10.0.1.1  1,2017/08/23 21:16:40,009401015183,TRAFFIC,deny,1,2017/08/23 21:16:40,10.0.1.100,160.153.91.7,71.39.18.125,160.153.91.7,block outbound FTP,,,ftp,vsys1,Inside,Outside,ethernet1/2,ethernet1/1,Jupiter,2017/08/23 21:16:40,37544,1,55464,21,53487,21,0x400000,tcp,deny,512,126,386,4,2017/08/23 21:16:41,0,any,0,2230230,0x0,10.0.0.0-10.255.255.255,US,0,2,2';
  const r = runText(panos, line, { tz: LA });
  const e = r.events[0];
  assert.equal(e.sourcetype, 'pan:traffic');
  assert.equal(e.host, '10.0.1.1');
  assert.equal(e.time, Date.parse('2017-08-24T04:16:40Z') * 1000);
  assert.equal(e.fields.src_translated_ip, '71.39.18.125');
  assert.equal(e.fields.rule, 'block outbound FTP');
  assert.equal(e.fields.log_forwarding_profile, 'Jupiter');
  assert.equal(e.fields.session_id, 37544);
  assert.equal(e.fields.src_translated_port, 53487);
  assert.equal(e.fields.action, 'deny');
  assert.equal(e.fields.bytes_in, 386);
  assert.equal(e.fields.packets_in, 2);
  assert.equal(e.fields.dest_location, 'US');
  const utc = runText(panos, line, { tz: 'UTC' });
  assert.equal(utc.events[0].time, Date.parse('2017-08-23T21:16:40Z') * 1000);
});

test('pan:traffic PAN-OS 10.x line: later columns land on their documented names', () => {
  const line = 'Oct 4 18:54:26 panmgt01p 1,2023/10/04 18:54:26,012501002341,TRAFFIC,end,2561,2023/10/04 18:54:24,10.130.146.205,124.146.215.44,134.7.244.205,124.146.215.44,Out,student\\XXXXXXXX,,ssl,vsys1,bdr-trust,bdr-untrust,ethernet1/23,ethernet1/24,SPLUNK LOG FP,2023/10/04 18:54:24,72568134,1,49583,443,50464,443,0x40441a,tcp,allow,7312,2228,5084,22,2023/10/04 18:53:52,16,business-and-economy,,7253419119627122716,0x8000000000000000,10.0.0.0-10.255.255.255,Japan,,12,10,tcp-rst-from-client,34,0,0,0,,b309-fu-fw,from-policy,,,0,,0,,N/A,0,0,0,0,90431d13-81da-4129-8bc5-ce968fa06b76,0,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,2023-10-04T18:54:25.443+08:00,,,encrypted-tunnel,networking,browser-based,4,used-by-malware able-to-transfer-file has-known-vulnerability tunnel-other-application pervasive-use,,ssl,no,no,0';
  const r = runText(panos, line, { tz: 'Australia/Perth' });
  const f = r.events[0].fields;
  assert.equal(r.events[0].host, 'panmgt01p');
  assert.equal(f.rule_uuid, '90431d13-81da-4129-8bc5-ce968fa06b76');
  assert.equal(f.high_res_timestamp, '2023-10-04T18:54:25.443+08:00');
  assert.equal(f.subcategory_of_app, 'encrypted-tunnel');
  assert.equal(f.risk_of_app, 4);
  assert.equal(f.tunneled_app, 'ssl');
  assert.equal(f.sanctioned_state_of_app, 'no');
  assert.equal(f.is_saas_of_app, 'no');
  assert.equal(f.offloaded, '0');
  assert.equal(f.flow_type, undefined);
  assert.equal(f.sequence_number, '7253419119627122716'); // beyond 2^53: exact text
  assert.equal(r.events[0].time, Date.parse('2023-10-04T10:54:24Z') * 1000);
});

test('pan:threat (PAN-OS 8 wildfire and url): file and url in misc, quoted CSV', async () => {
  const r = await runFile(join(P, 'pan_adversaries.samplelog'), { tz: 'UTC' });
  const wf = r.events[0];
  assert.equal(wf.fields.log_subtype, 'wildfire');
  assert.equal(wf.fields.misc, 'jYyzuoDGiiJrEzLa.exE');
  assert.equal(wf.fields.threat, 'Windows Dynamic Link Library (DLL)(52019)');
  assert.equal(wf.fields.severity, 'high');
  assert.equal(wf.fields.file_hash, '0201aaa8eda6dedc6c90381e225620cd33fb7b244f76bf229c3dd43feb9bdeaf');
  assert.equal(wf.fields.file_type, 'pe');
  assert.equal(wf.fields.report_id, 5757930054);
  assert.equal(wf.fields.dvc_name, 'us1');
  assert.equal(wf.fields.threat_category, 'unknown');
  assert.equal(wf.fields.content_version, 'WildFire-0-0');
  assert.equal(wf.fields.filename, 'jYyzuoDGiiJrEzLa.exE');
  const url = r.events[3];
  assert.equal(url.fields.log_subtype, 'url');
  assert.equal(url.fields.url, 'qstom.com/87thiuh3gfDGS/mydocuments.exe');
  assert.match(String(url.fields.user_agent), /^Mozilla\/4\.0 \(compatible; MSIE 7\.0;/);
  assert.equal(url.fields.http_method, 'get');
  assert.equal(url.fields.user, 'pancademo\\john.hatfield');
});

test('pan:system, pan:config (legacy and 8.0+ layouts), pan:correlation', async () => {
  const r = await runFile(join(P, 'pan_incident_data_config.samplelog'), { tz: 'UTC' });
  const cfg = r.events[0];
  assert.equal(cfg.sourcetype, 'pan:config');
  assert.equal(cfg.host, undefined);
  assert.equal(cfg.fields.cmd, 'set');
  assert.equal(cfg.fields.admin, 'admin');
  assert.equal(cfg.fields.client, 'Web');
  assert.equal(cfg.fields.result, 'Succeeded');
  assert.equal(cfg.fields.configuration_path, ' config shared local-user-database user  badguy');
  assert.equal(cfg.fields.sequence_number, 0);
  assert.equal(cfg.fields.action_flags, '0x0');
  assert.equal(cfg.fields.command, 'set');
  assert.equal(cfg.fields.user, 'admin');
  const sys = r.events.find((e) => e.sourcetype === 'pan:system')!;
  assert.ok(sys.fields.event_id);
  assert.equal(sys.fields.module, 'general');
  const modern = runText(panos, '1,2024/01/02 03:04:05,0123,CONFIG,0,0,2024/01/02 03:04:05,10.1.1.1,,edit,admin,Web,Succeeded, deviceconfig system,<before/>,<after/>,123,0x0,0,0,0,0,,fw1,,ticket 42', { tz: 'UTC' });
  assert.equal(modern.events[0].fields.before_change_detail, '<before/>');
  assert.equal(modern.events[0].fields.after_change_detail, '<after/>');
  assert.equal(modern.events[0].fields.sequence_number, 123);
  assert.equal(modern.events[0].fields.dvc_name, 'fw1');
  assert.equal(modern.events[0].fields.audit_comment, 'ticket 42');
  const c = (await runFile(join(P, 'pan_correlation.samplelog'))).events[0];
  assert.equal(c.fields.src_ip, '192.168.55.104');
  assert.equal(c.fields.src_user, 'tng\\riker');
  assert.equal(c.fields.object_name, 'beacon-heuristics');
  assert.equal(c.fields.object_id, 6005);
  assert.equal(c.fields.evidence, 'Host visited known malware URL (100 times).');
});

test('CEF lines (Traps) in PAN files', async () => {
  const r = await runFile(join(P, 'pan_endpoint.samplelog'), { tz: 'UTC' });
  const e = r.events[0];
  assert.equal(e.sourcetype, 'pan:traps4');
  assert.equal(e.fields.cef_product, 'Traps Agent');
  assert.equal(e.fields.signature_id, 'Access Violation');
  assert.equal(e.fields.severity, 9);
  assert.equal(e.fields.shost, 'SERVER2008R2QA');
  assert.equal(e.fields.msg, 'Access Violation- child process: notepad.exe');
  assert.equal(e.fields.cs2, '');
  assert.equal(e.time, Date.parse('2016-03-09T16:45:17Z') * 1000);
  const spaced = r.events.find((x) => String(x.fields.duser).includes('management'))!;
  assert.equal(spaced.fields.duser, 'picard management core');
  const adv = (await runFile(join(P, 'pan_adversaries.samplelog'))).events[1];
  assert.equal(adv.fields.duser, 'pancademo\\john.hatfield');
  assert.equal(adv.fields.Module, 'UASLR');
  assert.equal(adv.fields.user, 'pancademo\\john.hatfield');
  assert.equal(adv.fields.process, 'mydocuments.exe');
});

test('pan-os: short and foreign lines are quarantined with clear reasons; RFC 5424 header', () => {
  const text = [
    'Aug 23 21:16:41 fw 1,2017/08/23 21:16:40,0094,TRAFFIC,end,1,2017/08/23 21:16:40,10.0.0.1,10.0.0.2,,,rule',
    'hello world',
    '<14>1 2020-10-13T01:12:15.892Z fw-5424 logforwarder - panwlogs - 1,2020/10/13 01:12:03,0070,SYSTEM,general,0,2020/10/13 01:11:59,,general,,0,0,general,informational,"a, b",42,0x0',
  ].join('\n');
  const r = runText(panos, text, { tz: 'UTC' });
  assert.equal(r.quarantined.length, 2);
  assert.equal(r.quarantined[0].reason, 'pan-os: 12 columns, traffic log needs at least 40');
  assert.equal(r.quarantined[0].line, 1);
  assert.match(r.quarantined[1].reason, /^pan-os: no PAN-OS CSV record found/);
  assert.equal(r.events.length, 1);
  assert.equal(r.events[0].host, 'fw-5424');
  assert.equal(r.events[0].fields.description, 'a, b');
});

test('pan-os helpers: CSV quoting, syslog headers, field tables', () => {
  assert.deepEqual(splitPanCsv('a,"b,c",,"d ""e""",'), ['a', 'b,c', '', 'd "e"', '']);
  assert.equal(parseSyslogHeader('Apr  9 09:00:55 ', 'UTC', 2012).time, Date.parse('2012-04-09T09:00:55Z') * 1000);
  assert.equal(parseSyslogHeader('Apr 11 00:26:01 ', 'UTC', 2017).host, undefined);
  assert.equal(parseSyslogHeader('Feb 24 22:09:26 10.5.172.40 Feb 24 22:06:07 BD-Panorama ', 'UTC', 2016).host, 'BD-Panorama');
  assert.equal(PAN_FIELDS.TRAFFIC[46], 'session_end_reason');
  assert.equal(PAN_FIELDS.THREAT[31], 'misc');
  assert.equal(PAN_FIELDS.THREAT[69], 'threat_category');
  assert.equal(PAN_FIELDS.SYSTEM[14], 'description');
  assert.equal(detectFormat(readText(join(P, 'pan_correlation.samplelog')), 'x.log')?.id, 'pan-os');
});
