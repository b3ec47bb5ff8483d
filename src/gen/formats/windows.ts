/**
 * Windows events as Splunk writes them:
 *  - Sysmon (v6 schema) rendered as XmlWinEventLog: one <Event xmlns=...> element per line,
 *    single-quoted attributes, <Data Name='...'> elements, SystemTime/UtcTime in UTC.
 *  - WinEventLog:Security in the classic multi-line text form, header in the host's local time (PDT).
 */
import { systemTime, sysmonUtc, winTime } from '../time.js';

const NEEDS_ESCAPE = /[&<>'"]/;
function x(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

const SYSMON_VERSION: Record<number, number> = { 1: 5, 3: 5, 5: 3, 11: 2, 13: 2 };
const SYSMON_TASK: Record<number, number> = { 1: 1, 3: 3, 5: 5, 11: 11, 13: 13 };

export function sysmonEvent(t: number, eventId: number, recordId: number, computer: string, execPid: number, execTid: number, data: [string, string | number][]): string {
  let s = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/><EventID>${eventId}</EventID><Version>${SYSMON_VERSION[eventId] ?? 2}</Version><Level>4</Level><Task>${SYSMON_TASK[eventId] ?? eventId}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='${systemTime(t)}'/><EventRecordID>${recordId}</EventRecordID><Correlation/><Execution ProcessID='${execPid}' ThreadID='${execTid}'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${x(computer)}</Computer><Security UserID='S-1-5-18'/></System><EventData>`;
  s += `<Data Name='UtcTime'>${sysmonUtc(t)}</Data>`;
  for (const [k, v] of data) s += `<Data Name='${k}'>${x(String(v))}</Data>`;
  return s + '</EventData></Event>';
}

export interface ProcInfo {
  guid: string; pid: number; image: string; cmd: string; cwd: string; user: string; logonGuid: string; logonId: string;
  session: number; integrity: string; hashes: string;
  parent: { guid: string; pid: number; image: string; cmd: string };
}

export function sysmonProcessCreate(t: number, recordId: number, computer: string, p: ProcInfo, exec: [number, number]): string {
  return sysmonEvent(t, 1, recordId, computer, exec[0], exec[1], [
    ['ProcessGuid', p.guid], ['ProcessId', p.pid], ['Image', p.image], ['CommandLine', p.cmd], ['CurrentDirectory', p.cwd],
    ['User', p.user], ['LogonGuid', p.logonGuid], ['LogonId', p.logonId], ['TerminalSessionId', p.session], ['IntegrityLevel', p.integrity],
    ['Hashes', p.hashes], ['ParentProcessGuid', p.parent.guid], ['ParentProcessId', p.parent.pid], ['ParentImage', p.parent.image],
    ['ParentCommandLine', p.parent.cmd],
  ]);
}

export function sysmonProcessTerminate(t: number, recordId: number, computer: string, p: { guid: string; pid: number; image: string }, exec: [number, number]): string {
  return sysmonEvent(t, 5, recordId, computer, exec[0], exec[1], [['ProcessGuid', p.guid], ['ProcessId', p.pid], ['Image', p.image]]);
}

export function sysmonNetwork(t: number, recordId: number, computer: string, p: { guid: string; pid: number; image: string; user: string }, n: { proto: string; srcIp: string; srcHost: string; srcPort: number; dstIp: string; dstHost: string; dstPort: number; dstPortName: string }, exec: [number, number]): string {
  return sysmonEvent(t, 3, recordId, computer, exec[0], exec[1], [
    ['ProcessGuid', p.guid], ['ProcessId', p.pid], ['Image', p.image], ['User', p.user], ['Protocol', n.proto], ['Initiated', 'true'],
    ['SourceIsIpv6', 'false'], ['SourceIp', n.srcIp], ['SourceHostname', n.srcHost], ['SourcePort', n.srcPort], ['SourcePortName', ''],
    ['DestinationIsIpv6', 'false'], ['DestinationIp', n.dstIp], ['DestinationHostname', n.dstHost], ['DestinationPort', n.dstPort],
    ['DestinationPortName', n.dstPortName],
  ]);
}

export function sysmonFileCreate(t: number, recordId: number, computer: string, p: { guid: string; pid: number; image: string }, target: string, created: number, exec: [number, number]): string {
  return sysmonEvent(t, 11, recordId, computer, exec[0], exec[1], [
    ['ProcessGuid', p.guid], ['ProcessId', p.pid], ['Image', p.image], ['TargetFilename', target], ['CreationUtcTime', sysmonUtc(created)],
  ]);
}

export function sysmonRegistrySet(t: number, recordId: number, computer: string, p: { guid: string; pid: number; image: string }, target: string, details: string, exec: [number, number]): string {
  return sysmonEvent(t, 13, recordId, computer, exec[0], exec[1], [
    ['EventType', 'SetValue'], ['ProcessGuid', p.guid], ['ProcessId', p.pid], ['Image', p.image], ['TargetObject', target], ['Details', details],
  ]);
}

function secHeader(t: number, code: number, computer: string, record: number, category: string): string {
  return `${winTime(t)}\nLogName=Security\nSourceName=Microsoft Windows security auditing.\nEventCode=${code}\nEventType=0\nType=Information\nComputerName=${computer}\nTaskCategory=${category}\nOpCode=Info\nRecordNumber=${record}\nKeywords=Audit Success\n`;
}

export interface SecSubject { sid: string; account: string; domain: string; logonId: string }

export function sec4688(t: number, computer: string, record: number, subj: SecSubject, p: { pid: number; image: string; elevation: 1 | 2 | 3; ppid: number; cmd: string }): string {
  const el = p.elevation === 1 ? 'TokenElevationTypeDefault (1)' : p.elevation === 2 ? 'TokenElevationTypeFull (2)' : 'TokenElevationTypeLimited (3)';
  return secHeader(t, 4688, computer, record, 'Process Creation') +
    `Message=A new process has been created.\n\nSubject:\n\tSecurity ID:\t\t${subj.sid}\n\tAccount Name:\t\t${subj.account}\n\tAccount Domain:\t\t${subj.domain}\n\tLogon ID:\t\t${subj.logonId}\n\n` +
    `Process Information:\n\tNew Process ID:\t\t0x${p.pid.toString(16)}\n\tNew Process Name:\t${p.image}\n\tToken Elevation Type:\t${el}\n\tCreator Process ID:\t0x${p.ppid.toString(16)}\n\tProcess Command Line:\t${p.cmd}\n\n` +
    `Token Elevation Type indicates the type of token that was assigned to the new process in accordance with User Account Control policy.\n\n` +
    `Type 1 is a full token with no privileges removed or groups disabled.  A full token is only used if User Account Control is disabled or if the user is the built-in Administrator account or a service account.\n\n` +
    `Type 2 is an elevated token with no privileges removed or groups disabled.  An elevated token is used when User Account Control is enabled and the user chooses to start the program using Run as administrator.  An elevated token is also used when an application is configured to always require administrative privilege or to always require maximum privilege, and the user is a member of the Administrators group.\n\n` +
    `Type 3 is a limited token with administrative privileges removed and administrative groups disabled.  The limited token is used when User Account Control is enabled, the application does not require administrative privilege, and the user does not choose to start the program using Run as administrator.`;
}

export function sec4624(t: number, computer: string, record: number, n: { sid: string; account: string; domain: string; logonId: string; logonType: number; srcIp: string; srcPort: number; workstation: string; authPackage: string; logonGuid: string }): string {
  const kerb = n.authPackage === 'Kerberos';
  return secHeader(t, 4624, computer, record, 'Logon') +
    `Message=An account was successfully logged on.\n\nSubject:\n\tSecurity ID:\t\tNULL SID\n\tAccount Name:\t\t-\n\tAccount Domain:\t\t-\n\tLogon ID:\t\t0x0\n\n` +
    `Logon Type:\t\t\t${n.logonType}\n\nImpersonation Level:\t\tImpersonation\n\n` +
    `New Logon:\n\tSecurity ID:\t\t${n.sid}\n\tAccount Name:\t\t${n.account}\n\tAccount Domain:\t\t${n.domain}\n\tLogon ID:\t\t${n.logonId}\n\tLogon GUID:\t\t${n.logonGuid}\n\n` +
    `Process Information:\n\tProcess ID:\t\t0x0\n\tProcess Name:\t\t-\n\n` +
    `Network Information:\n\tWorkstation Name:\t${n.workstation}\n\tSource Network Address:\t${n.srcIp}\n\tSource Port:\t\t${n.srcPort}\n\n` +
    `Detailed Authentication Information:\n\tLogon Process:\t\t${kerb ? 'Kerberos' : 'NtLmSsp '}\n\tAuthentication Package:\t${n.authPackage}\n\tTransited Services:\t-\n\tPackage Name (NTLM only):\t${kerb ? '-' : 'NTLM V2'}\n\tKey Length:\t\t${kerb ? 0 : 128}\n\n` +
    `This event is generated when a logon session is created. It is generated on the computer that was accessed.`;
}

export function sec4634(t: number, computer: string, record: number, n: { sid: string; account: string; domain: string; logonId: string; logonType: number }): string {
  return secHeader(t, 4634, computer, record, 'Logoff') +
    `Message=An account was logged off.\n\nSubject:\n\tSecurity ID:\t\t${n.sid}\n\tAccount Name:\t\t${n.account}\n\tAccount Domain:\t\t${n.domain}\n\tLogon ID:\t\t${n.logonId}\n\n` +
    `Logon Type:\t\t\t${n.logonType}\n\nThis event is generated when a logon session is destroyed. It may be positively correlated with a logon event using the Logon ID value. Logon IDs are only unique between reboots on the same computer.`;
}

export function sec4648(t: number, computer: string, record: number, subj: SecSubject, n: { account: string; domain: string; target: string; pid: number; image: string }): string {
  return secHeader(t, 4648, computer, record, 'Logon') +
    `Message=A logon was attempted using explicit credentials.\n\nSubject:\n\tSecurity ID:\t\t${subj.sid}\n\tAccount Name:\t\t${subj.account}\n\tAccount Domain:\t\t${subj.domain}\n\tLogon ID:\t\t${subj.logonId}\n\tLogon GUID:\t\t{00000000-0000-0000-0000-000000000000}\n\n` +
    `Account Whose Credentials Were Used:\n\tAccount Name:\t\t${n.account}\n\tAccount Domain:\t\t${n.domain}\n\tLogon GUID:\t\t{00000000-0000-0000-0000-000000000000}\n\n` +
    `Target Server:\n\tTarget Server Name:\t${n.target}\n\tAdditional Information:\t${n.target}\n\n` +
    `Process Information:\n\tProcess ID:\t\t0x${n.pid.toString(16)}\n\tProcess Name:\t\t${n.image}\n\n` +
    `Network Information:\n\tNetwork Address:\t-\n\tPort:\t\t\t-\n\n` +
    `This event is generated when a process attempts to log on an account by explicitly specifying that account's credentials.  This most commonly occurs in batch-type configurations such as scheduled tasks, or when using the RUNAS command.`;
}
