/**
 * Hunt: data staging over SMB (T1074), after seeds 000/001 (the workshop's Data Staging hunt).
 * An internal host reads far more from a file server than that network — and that pair — normally
 * does, and later sends the same files out: the link between the two is the finding.
 */
import type { HuntDef } from '../src/hunts/types.js';

const OFFICE = '(filename="*.pdf" OR filename="*.doc" OR filename="*.docx" OR filename="*.xls" OR filename="*.xlsx" OR filename="*.ppt" OR filename="*.pptx" OR filename="*.tgz" OR filename="*.zip" OR filename="*.7z" OR filename="*.rar" OR filename="*.tar" OR filename="*.gz")';
const INTERNAL_DEST = '(cidrmatch("10.0.0.0/8", dest) OR cidrmatch("172.16.0.0/12", dest) OR cidrmatch("192.168.0.0/16", dest))';

export const hunt: HuntDef = {
  id: 'data-staging',
  title: 'Data staging over SMB',
  techniques: [{ id: 'T1074', name: 'Data Staged' }, { id: 'T1074.002', name: 'Remote Data Staging' }],
  hypothesis: 'An adversary is gathering files from our file servers in one place inside the network before taking them out.',
  questions: [
    'Which data sets (sourcetypes) see office documents and archives move?',
    'Which internal pairs move them, and what does their traffic look like over time?',
    'Which pair and flow read far more than this network — and that pair — normally does?',
    'Which files and commands are in that flow?',
    'Does the destination host later send the same files out (FTP, HTTP or anything else)?',
    'Which accounts were used?',
  ],
  params: {
    staging_flows: { help: 'pin the SMB session(s) (flow_id or Zeek uid) to examine instead of the outlier' },
    flow_id: { help: 'same as staging_flows', alias_of: 'staging_flows' },
  },
  steps: [
    {
      id: 'office-sources',
      title: 'Which sourcetypes mention office documents and archives?',
      why: 'The seed searches the raw terms (.pdf OR .tgz OR .doc OR .xls); the CIM field filename gives the same answer without scanning every event. The sourcetype with the most internal file movements (SMB in an office network) is read next.',
      spl: `index=$index$ ${OFFICE} | eval internal=if(${INTERNAL_DEST}, 1, 0) | stats count sum(internal) as internal_events dc(src) as sources dc(dest) as destinations by sourcetype | sort - count`,
      pick: { use: 'census', with: { param: 'smb_sourcetype', all_param: 'office_sourcetypes', prefer_field: 'internal_events', prefer: ['smb'] } },
    },
    {
      id: 'office-pairs',
      title: 'Which internal pairs move office files?',
      why: 'Clients and servers exchanging office documents, with owners from the asset list: who normally talks to the file servers.',
      spl: `index=$index$ sourcetype="$smb_sourcetype$" ${OFFICE} | stats count dc(filename) as files by src dest | sort - count`,
      show: 40,
    },
    {
      id: 'smb-timeline',
      title: 'SMB reads per day and pair',
      why: 'The seed\'s timechart of src." ".dest: a pair that suddenly reads far more on a few days stands out from the daily office rhythm.',
      spl: 'index=$index$ sourcetype="$smb_sourcetype$" | eval day=strftime(_time, "%m-%d"), uniq=src." ".dest, mb=bytes_out/1048576 | stats sum(mb) as mb_read count by day uniq | sort day',
      chart: { x: 'day', series: 'uniq', y: 'mb_read', title: 'MB read over SMB per day by src dest' },
      show: 40,
    },
    {
      id: 'smb-bytes-source',
      title: 'Which sourcetype carries SMB byte counts?',
      why: 'Stream SMB records bytes per command; Zeek smb_files.log has names but no bytes, so the volume comes from conn.log (uid ties the two). Prefer the sourcetype with both bytes and file names on SMB ports; flow logs of other sensors (firewall, IDS) see the same sessions and are not added on top.',
      spl: 'index=$index$ (dest_port=445 OR dest_port=139 OR sourcetype="$smb_sourcetype$") | eval w=if(isnotnull(bytes_out), 1, 0) * if(isnotnull(filename), 2, 1) | stats count sum(w) as weight by sourcetype | sort - weight',
      pick: { use: 'census', with: { param: 'smb_bytes_sourcetype', prefer_field: 'weight', prefer: ['smb', 'conn'] } },
    },
    {
      id: 'smb-flows',
      title: 'Which flow reads more than its network and its own history?',
      why: 'Per SMB session (flow_id, Zeek uid): bytes read from server to client. Robust z-scores (median and MAD of log bytes) against all internal flows and against the same pair\'s other flows; a flow must stand out on both (a nightly backup that always reads gigabytes is normal for its own pair). No fixed byte count.',
      spl: 'index=$index$ sourcetype="$smb_bytes_sourcetype$" (dest_port=445 OR dest_port=139 OR sourcetype="$smb_sourcetype$") | eval flow=coalesce(flow_id, uid, src.":".src_port."-".dest), rb=if(isnull(command) OR like(lower(command), "%read%"), bytes_out, 0) | stats count sum(rb) as read_bytes sum(bytes_out) as bytes_out sum(bytes_in) as bytes_in dc(filename) as files min(_time) as first max(_time) as last by src dest flow',
      pick: { use: 'stagingOutliers', with: { z: 3.5 } },
      limit: 1000000,
    },
    {
      id: 'flow-commands',
      title: 'The commands in the outlier flow',
      why: 'The seed\'s breakdown of the flow by command: reads carry the data (mb_out = server to client), creates and closes bracket each file.',
      spl: 'index=$index$ (sourcetype="$smb_sourcetype$" OR sourcetype="$smb_bytes_sourcetype$") $staging_flow_filter|raw$ | eval command=coalesce(command, action, sourcetype), bi=tonumber(bytes_in), bo=tonumber(bytes_out) | stats count sum(bi) as b_in sum(bo) as b_out dc(filename) as files values(user) as users by command src dest | eval mb_in=round((b_in/1024/1024),2), mb_out=round((b_out/1024/1024),2) | fields - b_in b_out | sort - count',
      needs: ['staging_flows'],
    },
    {
      id: 'flow-files',
      title: 'The files in the outlier flow',
      why: 'Every file the flow touched, with the bytes read: what was staged.',
      spl: 'index=$index$ sourcetype="$smb_sourcetype$" $staging_flow_filter|raw$ filename=* | stats count sum(bytes_out) as bytes_out min(_time) as first by filename | sort - bytes_out',
      needs: ['staging_flows'],
      pick: { use: 'stagedFiles' },
      limit: 1000000,
      show: 30,
    },
    {
      id: 'exfil-link',
      title: 'Did the staging host send the same files out?',
      why: 'Every later record of a file name leaving the staging host, in any sourcetype (FTP STOR, HTTP uploads, IDS file logs): a staged file that leaves is the link between staging and exfiltration.',
      spl: 'index=$index$ $staging_hosts|or:src$ (filename=* OR file_name=* OR uri_path=*) | eval f=coalesce(filename, file_name, uri_path) | stats count min(_time) as first by sourcetype dest f',
      needs: ['staging_hosts', 'staged_files'],
      pick: { use: 'stagingLink' },
      limit: 1000000,
      show: 30,
    },
  ],
  diamond: {
    adversary: 'An operator with a foothold on the staging host (unknown; see the FTP and DNS hunts for the infrastructure).',
    capability: 'Bulk copy of documents from a file share to a workstation (SMB reads), followed by upload.',
    infrastructure: ['staging_host', 'staging_flow'],
    victim: ['staging_source', 'staged_file'],
  },
  detections: [
    {
      name: 'SMB read volume outlier for a client/server pair',
      description: 'A pair reads more in a day than 10× its own daily median over the search window (run over 30 days; review with the data-staging hunt).',
      spl: 'index=$index$ sourcetype="$smb_sourcetype$" | eval day=strftime(_time, "%Y-%m-%d") | stats sum(bytes_out) as bytes by src dest day | eventstats median(bytes) as med by src dest | where bytes > 10 * med AND bytes > 104857600',
      schedule: '0 6 * * *',
      threshold: { field: 'bytes', op: '>', value: 104857600 },
      entities: ['src', 'dest'],
    },
    {
      name: 'Bulk file upload to an external address',
      description: 'A host uploads 10+ distinct files to an external address (FTP STOR, HTTP POST): the exfiltration half of staging; re-run the data-staging hunt to see whether they were read over SMB first.',
      spl: 'index=$index$ (method=STOR OR http_method=POST) filename=* | where NOT (cidrmatch("10.0.0.0/8", dest) OR cidrmatch("172.16.0.0/12", dest) OR cidrmatch("192.168.0.0/16", dest)) | stats count dc(filename) as files by src dest',
      schedule: '*/30 * * * *',
      threshold: { field: 'files', op: '>=', value: 10 },
      entities: ['src', 'dest'],
    },
  ],
  iocs: ['staging_host', 'staging_flow'],
};
