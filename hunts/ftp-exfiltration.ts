/**
 * Hunt: FTP exfiltration (T1048.003), after seed 002 (the workshop's FTP Exfiltration hunt).
 * Internal hosts uploading to an external FTP server few of our hosts use, sessions clustered into
 * transmissions, credential files and failed transfers flagged, the account and the process side.
 */
import type { HuntDef } from '../src/hunts/types.js';

const SESSION = 'sess=coalesce(flow_id, uid, src.":".src_port)';

export const hunt: HuntDef = {
  id: 'ftp-exfiltration',
  title: 'FTP exfiltration',
  techniques: [{ id: 'T1048.003', name: 'Exfiltration Over Unencrypted Non-C2 Protocol' }],
  hypothesis: 'Data is leaving the network over FTP: an internal host uploads files to an external server that the rest of the network does not use.',
  questions: [
    'Which data sources (sourcetypes) see FTP?',
    'What do the flows between sources and destinations look like: who talks FTP to the Internet, uploading or downloading?',
    'Which FTP commands were issued, and which files moved (RETR vs STOR), with which reply codes?',
    'Which user account logged in to the FTP server?',
    'When did it happen: how do the sessions cluster into transmissions, how many files in each, which failed?',
    'What on the endpoints ran FTP (ftp.exe -s: scripts)?',
  ],
  params: {
    exfil_dests: { help: 'pin the FTP server(s) to examine (comma-separated) instead of picking them from the data' },
    dest: { help: 'same as exfil_dests', alias_of: 'exfil_dests' },
  },
  steps: [
    {
      id: 'ftp-sources',
      title: 'Which sourcetypes see FTP?',
      why: 'FTP shows up in protocol logs (Stream ftp, Zeek ftp.log, Suricata), in flow and firewall logs (conn.log, pan:traffic) and on endpoints (Sysmon network connections). The protocol log with the most FTP commands (commands with their replies count double) is read next; the others corroborate.',
      spl: 'index=$index$ (app=ftp OR app_proto=ftp OR dest_port=21) | eval cmd=if(isnotnull(coalesce(method, command)), 1, 0) * if(isnotnull(coalesce(reply_code, reply_content, reply_msg)), 2, 1) | stats count dc(src) as sources dc(dest) as destinations sum(cmd) as commands by sourcetype | sort - count',
      pick: { use: 'census', with: { param: 'ftp_sourcetype', all_param: 'ftp_sourcetypes', prefer_field: 'commands', prefer: ['stream:ftp', 'ftp'] } },
    },
    {
      id: 'ftp-pairs',
      title: 'Who talks FTP to whom, uploading or downloading?',
      why: 'Per client and server: sessions, uploads (STOR/STOU/APPE), downloads (RETR), distinct uploaded files and the accounts used. Uploads from inside to an Internet server that few of our hosts use are the candidates; an internal FTP drop the whole office uses, or a supplier we only download from, rank below.',
      spl: `index=$index$ sourcetype="$ftp_sourcetype$" | eval m=upper(coalesce(method, command)), up=if(m="STOR" OR m="STOU" OR m="APPE", 1, 0), down=if(m="RETR", 1, 0), upfile=if(up=1, coalesce(filename, method_parameter), null()), acct=if(m="USER", coalesce(method_parameter, user), user), ${SESSION} | stats count dc(sess) as sessions sum(up) as uploads sum(down) as downloads dc(upfile) as upload_files values(upfile) as upload_names values(acct) as accounts by src dest | sort - uploads`,
      pick: { use: 'ftpPairs' },
    },
    {
      id: 'ftp-conversation',
      title: 'The FTP conversation with the candidate servers, in time order',
      why: 'Every command and reply to the candidate servers (the seed drops PORT, TYPE and NLST for reading; the picker keeps them to follow sessions). Sessions of one client less than two minutes apart form one transmission; each transmission is counted in files, repeats and failures (4xx/5xx replies, "0 kbytes uploaded").',
      spl: `index=$index$ sourcetype="$ftp_sourcetype$" $exfil_dests|or:dest$ | eval ${SESSION}, method=coalesce(method, command) | table _time src dest sess method method_parameter filename reply_code reply_content user | sort 0 _time`,
      needs: ['exfil_dests'],
      pick: { use: 'ftpTransmissions', with: { gap_seconds: 120 } },
      limit: 500000,
    },
    {
      id: 'ftp-timeline',
      title: 'When: FTP events per hour and client/server pair',
      why: 'The workshop\'s timechart of src." ".dest: the clusters (tool downloads on one day, uploads on another) stand out.',
      spl: 'index=$index$ sourcetype="$ftp_sourcetype$" $exfil_dests|or:dest$ | eval hour=strftime(_time, "%m-%d %H:00"), pair=src." ".dest | stats count by hour pair | sort hour',
      needs: ['exfil_dests'],
      chart: { x: 'hour', series: 'pair', y: 'count', title: 'FTP events per hour by src dest' },
      show: 40,
    },
    {
      id: 'ftp-all-sensors',
      title: 'Every sensor that saw the candidate servers',
      why: 'Firewall, IDS and endpoint records of the same destination: hosts that tried and were blocked, the NAT address, corroboration of the protocol log.',
      spl: 'index=$index$ ($exfil_dests|or:dest$ OR $exfil_dests|or:src$) | eval action=coalesce(action, vendor_action) | stats count values(action) as actions min(_time) as first max(_time) as last by sourcetype src dest | sort - count',
      needs: ['exfil_dests'],
      show: 40,
    },
    {
      id: 'ftp-processes',
      title: 'The process side: what ran ftp.exe, with which script',
      why: 'Sysmon process creation (EventCode 1) and Security 4688: ftp.exe -s:<file> runs a script of FTP commands; a script named like a DLL is hiding what it is.',
      spl: 'index=$index$ (EventCode=1 OR EventCode=4688) | eval cmd=coalesce(CommandLine, Process_Command_Line, process), image=lower(coalesce(Image, New_Process_Name, process_name, process)) | where like(image, "%ftp.exe%") OR like(lower(cmd), "%ftp.exe%") OR like(lower(cmd), "%ftp -%") | stats count min(_time) as first by sourcetype host user cmd | sort first',
      pick: { use: 'ftpProcesses' },
      show: 40,
    },
  ],
  diamond: {
    adversary: 'Whoever controls the FTP account and server (unknown; the account and server are the handle).',
    capability: 'Scripted ftp.exe (-s: command files disguised as DLLs) uploading staged documents and a credential store.',
    infrastructure: ['exfil_destination', 'exfil_account'],
    victim: ['exfil_source', 'exfil_file'],
  },
  detections: [
    {
      name: 'FTP upload to the Internet',
      description: 'An internal host stores files on an external FTP server (Elastic "FTP Activity to the Internet", narrowed to uploads).',
      spl: 'index=$index$ (method=STOR OR method=STOU OR method=APPE OR command=STOR) | where NOT (cidrmatch("10.0.0.0/8", dest) OR cidrmatch("172.16.0.0/12", dest) OR cidrmatch("192.168.0.0/16", dest)) | stats count dc(filename) as files min(_time) as first by src dest',
      schedule: '*/15 * * * *',
      threshold: { field: 'count', op: '>', value: 0 },
      entities: ['src', 'dest'],
    },
    {
      name: 'ftp.exe with a script not named like a script',
      description: 'ftp.exe -s: pointing at a .dll/.exe/.cfg file: scripted FTP hiding as a binary.',
      spl: 'index=$index$ (EventCode=1 OR EventCode=4688) | eval cmd=coalesce(CommandLine, Process_Command_Line, process) | where like(lower(cmd), "%ftp%-s:%") AND NOT like(lower(cmd), "%.txt%") | stats count min(_time) as first by host cmd',
      schedule: '*/15 * * * *',
      threshold: { field: 'count', op: '>', value: 0 },
      entities: ['host'],
    },
    {
      name: 'FTP to a known exfiltration server',
      description: 'Watch-list of the servers this hunt found.',
      spl: 'index=$index$ $exfil_dests|or:dest$ | stats count min(_time) as first by sourcetype src dest',
      schedule: '*/15 * * * *',
      threshold: { field: 'count', op: '>', value: 0 },
      entities: ['src', 'dest'],
    },
  ],
  iocs: ['exfil_destination', 'exfil_account'],
};
