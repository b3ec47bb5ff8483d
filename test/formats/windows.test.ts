import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SAMPLES, readText, runFile, runText } from './helpers.js';
import { windowsJson, windowsXml, winEventText } from '../../src/ingest/formats/windows.js';
import { detectFormat } from '../../src/ingest/formats/index.js';

const MD = join(SAMPLES, 'windows/mdecrevoisier');
const SB = join(SAMPLES, 'windows/sbousseaden');

test('windows XML: every <Event> of every sample read, none quarantined', async () => {
  const files = [
    ['ID4688-Network_share_manipulation_via_commandline.xml', 3],
    ['ID5145-user_file-credentials-browser_dump_via_network_share.xml', 349],
    ['LM_5145_Remote_FileCopy.xml', 869],
    ['smbmap_upload_exec_sysmon.xml', 27],
  ] as const;
  for (const [f, n] of files) {
    const path = join(f.startsWith('ID') ? MD : SB, f);
    const r = await runFile(path);
    assert.equal(r.format?.id, 'windows-xml', f);
    assert.equal(r.events.length, n, f);
    assert.equal(r.quarantined.length, 0, f);
    assert.equal(r.events.length, (readText(path).match(/<Event xmlns/g) ?? []).length);
  }
});

test('windows XML Security 4688: System and EventData fields, CIM process names', async () => {
  const r = await runFile(join(MD, 'ID4688-Network_share_manipulation_via_commandline.xml'));
  const e = r.events[1];
  assert.equal(e.sourcetype, 'XmlWinEventLog:Security');
  assert.equal(e.host, e.fields.Computer);
  assert.equal(e.time, Date.parse('2021-10-19T14:45:18.182Z') * 1000 + 919);
  assert.equal(e.fields.EventCode, 4688);
  assert.equal(e.fields.EventRecordID, 60412);
  assert.equal(e.fields.NewProcessName, 'C:\\Windows\\System32\\net.exe');
  assert.equal(e.fields.CommandLine, 'net  share');
  assert.equal(e.fields.Provider_Name, 'Microsoft-Windows-Security-Auditing');
  assert.equal(e.fields.Channel, 'Security');
  assert.equal(e.fields.process, 'net  share');
  assert.equal(e.fields.app, 'net.exe');
  assert.ok(e.raw.startsWith('<Event xmlns=') && e.raw.endsWith('</Event>'));
});

test('windows XML Security 5145: share, target, source address; multi-line Data values', async () => {
  const r = await runFile(join(SB, 'spoolsample_5145.xml'));
  const f = r.events[0].fields;
  assert.equal(f.EventCode, 5145);
  assert.equal(f.ShareName, '\\\\*\\IPC$');
  assert.equal(f.RelativeTargetName, 'spoolss');
  assert.equal(f.IpAddress, '10.0.2.17');
  assert.equal(f.IpPort, 51009);
  assert.equal(f.ShareLocalPath, undefined);
  assert.match(String(f.AccessList), /^%%1538\n\t+%%1541/);
  assert.equal(f.src_ip, '10.0.2.17');
  assert.equal(f.src_port, 51009);
  assert.equal(f.file_path, 'spoolss');
  assert.equal(f.user, 'IEUser');
});

test('windows XML Sysmon: EventDescription, network and file events with CIM names', async () => {
  const r = await runFile(join(SB, 'smbmap_upload_exec_sysmon.xml'));
  assert.ok(r.events.every((e) => e.sourcetype === 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational'));
  const net = r.events[0];
  assert.equal(net.fields.EventCode, 3);
  assert.equal(net.fields.EventDescription, 'Network connection detected');
  assert.equal(net.fields.DestinationPort, 445);
  assert.equal(net.fields.dest_port, 445);
  assert.equal(net.fields.src_ip, '10.0.2.15');
  assert.equal(net.fields.transport, 'tcp');
  const proc = r.events.find((e) => e.fields.EventCode === 1)!;
  assert.equal(proc.fields.EventDescription, 'Process Create');
  assert.equal(proc.fields.process, proc.fields.CommandLine);
  assert.equal(proc.fields.parent_process, proc.fields.ParentCommandLine);
  const file = r.events.find((e) => e.fields.EventCode === 11)!;
  assert.equal(file.fields.file_path, file.fields.TargetFilename);
  assert.equal(file.fields.filename, String(file.fields.TargetFilename).split('\\').pop());
});

test('windows XML: Splunk one-per-line form, several events on a line, junk and truncation', () => {
  const ev = (id: number, t: string) => `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/><EventID>${id}</EventID><TimeCreated SystemTime='${t}'/><EventRecordID>7</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>wrk-btun.frothly.local</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='Image'>C:\\Windows\\System32\\ftp.exe</Data><Data Name='CommandLine'>"C:\\Windows\\system32\\ftp.exe"  -i -s:winsys64.dll</Data><Data Name='User'>FROTHLY\\billy.tun</Data></EventData></Event>`;
  const text = [
    ev(1, '2017-08-26T05:42:06.123456700Z'),
    ev(1, '2017-08-26T05:42:07Z') + ev(5, '2017-08-26T05:42:08Z'),
    'garbage line',
    ev(1, '2017-08-26T05:42:09Z').slice(0, 200),
  ].join('\n');
  const r = runText(windowsXml, text, { fileName: 'sysmon.xml' });
  assert.equal(r.events.length, 3);
  assert.equal(r.events[0].time, Date.parse('2017-08-26T05:42:06.123Z') * 1000 + 456);
  assert.equal(r.events[0].fields.CommandLine, '"C:\\Windows\\system32\\ftp.exe"  -i -s:winsys64.dll');
  assert.equal(r.events[0].fields.user, 'FROTHLY\\billy.tun');
  assert.equal(r.events[0].host, 'wrk-btun.frothly.local');
  assert.equal(r.events[2].fields.EventDescription, 'Process terminated');
  assert.equal(r.quarantined.length, 2);
  assert.equal(r.quarantined[0].reason, 'windows-xml: text outside any <Event> element');
  assert.equal(r.quarantined[1].reason, 'windows-xml: truncated <Event> (input ended before </Event>)');
  assert.equal(r.quarantined[1].line, 4);
});

const BOTS_4688 = `08/23/2017 08:33:29 PM
LogName=Security
SourceName=Microsoft Windows security auditing.
EventCode=4688
EventType=0
Type=Information
ComputerName=wrk-btun.frothly.local
TaskCategory=Process Creation
OpCode=Info
RecordNumber=57321
Keywords=Audit Success
Message=A new process has been created.

Subject:
	Security ID:		FROTHLY\\billy.tun
	Account Name:		billy.tun
	Account Domain:		FROTHLY
	Logon ID:		0x25276

Process Information:
	New Process ID:		0x1168
	New Process Name:	C:\\Windows\\System32\\netsh.exe
	Token Elevation Type:	TokenElevationTypeFull (2)
	Creator Process ID:	0xe80
	Process Command Line:	"C:\\Windows\\system32\\netsh.exe"  advfirewall set allprofiles state off

Token Elevation Type indicates the type of token that was assigned to the new process in accordance with User Account Control policy.
`;

test('classic WinEventLog:Security text (BOTS v2 4688) with --tz', () => {
  const text = BOTS_4688 + '\n' + BOTS_4688.replace('08:33:29 PM', '08:33:30 PM').replace('57321', '57322');
  assert.equal(detectFormat(text, 'security.log')?.id, 'wineventlog');
  const r = runText(winEventText, text, { tz: 'America/Los_Angeles' });
  assert.equal(r.quarantined.length, 0);
  assert.equal(r.events.length, 2);
  const e = r.events[0];
  assert.equal(e.sourcetype, 'WinEventLog:Security');
  assert.equal(e.host, 'wrk-btun.frothly.local');
  assert.equal(e.time, Date.parse('2017-08-24T03:33:29Z') * 1000);
  assert.equal(e.fields.EventCode, 4688);
  assert.equal(e.fields.RecordNumber, 57321);
  assert.equal(e.fields.TaskCategory, 'Process Creation');
  assert.equal(e.fields.Security_ID, 'FROTHLY\\billy.tun');
  assert.equal(e.fields.Account_Name, 'billy.tun');
  assert.equal(e.fields.New_Process_ID, '0x1168');
  assert.equal(e.fields.New_Process_Name, 'C:\\Windows\\System32\\netsh.exe');
  assert.equal(e.fields.Token_Elevation_Type, 'TokenElevationTypeFull (2)');
  assert.equal(e.fields.Creator_Process_ID, '0xe80');
  assert.equal(e.fields.Process_Command_Line, '"C:\\Windows\\system32\\netsh.exe"  advfirewall set allprofiles state off');
  assert.equal(e.fields.CommandLine, e.fields.Process_Command_Line);
  assert.equal(e.fields.Image, 'C:\\Windows\\System32\\netsh.exe');
  assert.match(String(e.fields.Message), /^A new process has been created\.\n\nSubject:/);
  assert.equal(e.fields.process, e.fields.Process_Command_Line);
  assert.equal(e.fields.user, 'billy.tun');
  assert.equal(e.raw.split('\n')[0], '08/23/2017 08:33:29 PM');
  assert.equal(r.events[1].fields.RecordNumber, 57322);
  // the first event ends where the second begins
  assert.equal(r.offsets[0], Buffer.byteLength(BOTS_4688.replace(/\n$/, '')) + 2);
});

test('classic text: repeated keys become multivalues (4648: two Account Name lines); junk before first header', () => {
  const t = `junk\n08/23/2017 08:55:14 PM\nLogName=Security\nEventCode=4648\nComputerName=wrk-btun.frothly.local\nMessage=A logon was attempted using explicit credentials.\n\nSubject:\n\tAccount Name:\t\tbilly.tun\n\nAccount Whose Credentials Were Used:\n\tAccount Name:\t\tservice3\n\tAccount Domain:\t\tFROTHLY.LOCAL\n\nTarget Server:\n\tTarget Server Name:\tmercury.frothly.local\n`;
  const r = runText(winEventText, t, { tz: 'UTC' });
  assert.equal(r.quarantined[0].reason, 'wineventlog: line before the first "MM/DD/YYYY hh:mm:ss AM" event header');
  assert.deepEqual(r.events[0].fields.Account_Name, ['billy.tun', 'service3']);
  assert.equal(r.events[0].fields.Target_Server_Name, 'mercury.frothly.local');
});

test('Winlogbeat 8 (ECS), Winlogbeat 6 and NXLog JSON give the XML field names and sourcetype', () => {
  const wlb8 = JSON.stringify({
    '@timestamp': '2019-04-30T20:26:51.793Z', event: { code: '1', provider: 'Microsoft-Windows-Sysmon' },
    host: { name: 'IEWIN7' }, message: 'Process Create', winlog: {
      channel: 'Microsoft-Windows-Sysmon/Operational', computer_name: 'IEWIN7', event_id: '1', record_id: 9804,
      provider_name: 'Microsoft-Windows-Sysmon', event_data: { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami', ParentImage: 'C:\\x\\p.exe', ParentCommandLine: 'p.exe', User: 'IEWIN7\\IEUser', ProcessId: '1234' },
    },
  });
  const wlb6 = JSON.stringify({ '@timestamp': '2017-08-26T05:42:06.000Z', computer_name: 'venus', event_id: 4688, log_name: 'Security', record_number: '42', source_name: 'Microsoft-Windows-Security-Auditing', event_data: { NewProcessName: 'C:\\python27\\python.exe', CommandLine: '"C:\\python27\\python.exe"  dns.py', SubjectUserName: 'service3' } });
  const nx = JSON.stringify({ EventTime: '2019-04-30 13:26:51', Hostname: 'IEWIN7', EventID: 3, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', RecordNumber: 9805, DestinationIp: '10.0.2.18', DestinationPort: '445', Protocol: 'tcp', SourceIp: '10.0.2.15' });
  assert.equal(detectFormat(wlb8, 'winlogbeat.json')?.id, 'windows-json');
  assert.equal(detectFormat(nx, 'nxlog.json')?.id, 'windows-json');
  const r = runText(windowsJson, [wlb8, wlb6, nx, '{"foo":1}'].join('\n'), { tz: 'America/Los_Angeles' });
  assert.equal(r.events.length, 3);
  const [a, b, c] = r.events;
  assert.equal(a.sourcetype, 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational');
  assert.equal(a.fields.EventCode, 1);
  assert.equal(a.fields.CommandLine, 'cmd /c whoami');
  assert.equal(a.fields.ProcessId, 1234);
  assert.equal(a.fields['winlog.event_data.Image'], 'C:\\Windows\\System32\\cmd.exe');
  assert.equal(a.fields.EventDescription, 'Process Create');
  assert.equal(a.fields.process, 'cmd /c whoami');
  assert.equal(a.fields.parent_process, 'p.exe');
  assert.equal(a.host, 'IEWIN7');
  assert.equal(a.time, Date.parse('2019-04-30T20:26:51.793Z') * 1000);
  assert.equal(b.sourcetype, 'XmlWinEventLog:Security');
  assert.equal(b.fields.EventCode, 4688);
  assert.equal(b.fields.RecordID, 42);
  assert.equal(b.fields.user, 'service3');
  assert.equal(c.fields.EventCode, 3);
  assert.equal(c.fields.dest_port, 445);
  assert.equal(c.time, Date.parse('2019-04-30T20:26:51Z') * 1000);
  assert.equal(r.quarantined[0].reason, 'windows-json: neither Winlogbeat (winlog/event_data) nor NXLog (EventID/EventTime) fields');
});

test('the fast XML reader builds the same objects as fast-xml-parser on every sample event', async () => {
  const { XMLParser } = await import('fast-xml-parser');
  const { parseXmlFast } = await import('../../src/ingest/formats/xmlfast.js');
  const ref = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: false, isArray: (n: string) => n === 'Data' || n === 'Binary' });
  const strip = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(strip);
    if (o && typeof o === 'object') {
      const r: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) if (!(k === '#text' && typeof v === 'string' && v.trim() === '' && Object.keys(o).some((x) => !x.startsWith('@') && x !== '#text'))) r[k] = strip(v);
      return r;
    }
    // fast-xml-parser leaves numeric character references undecoded; XML says to decode them
    return typeof o === 'string' ? o.replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d))) : o;
  };
  let n = 0;
  for (const f of ['LM_5145_Remote_FileCopy.xml', 'smbmap_upload_exec_sysmon.xml', 'LM_NewShare_Added_Sysmon_12_13.xml']) {
    const events = readText(join(SB, f)).match(/<Event xmlns[\s\S]*?<\/Event>/g)!;
    for (const ev of events) {
      assert.deepEqual(strip(parseXmlFast(ev)), strip(ref.parse(ev)));
      n++;
    }
  }
  assert.equal(n, 899);
  assert.equal(parseXmlFast('<!DOCTYPE x><Event/>'), undefined);
  assert.equal(parseXmlFast('<Event><System></Event>'), undefined);
});
