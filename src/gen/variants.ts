/**
 * Variants: what the adversary looks like. `default` is the BOTS v2 story as the write-ups tell it;
 * the `lookalikes*` variants move every adversary value (addresses, domain, account, files, timing,
 * volumes, tunnel encoding) and plant benign traffic that looks like each attack stage.
 */
import { Rng } from './prng.js';

export type TunnelEncoding = 'base64' | 'hex' | 'base32' | 'base64url';

export interface Variant {
  name: string;
  /** adversary infrastructure */
  ftpServer: string; ftpDomain: string; ftpAccount: string; nameServers: [string, string]; c2: string; c2Issuer: string;
  /** victims (host names in the network) */
  stagingClient: string; secondClient: string; tunnelHost: string; deniedHosts: string[];
  victimUser: string; secondUser: string; serviceAccount: string;
  /** staging over SMB */
  stagingFlowId: string; stagingShare: string; stagingFileCount: number; stagingMeanBytes: number;
  /** attack days (Pacific): compromise + first FTP day, exfil day */
  dayCompromise: number; dayExfil: number; stagingStartDay: number;
  /** FTP */
  downloadScript: string; uploadScript: string; singleScript: string;
  downloads: string[]; credentialFile: string; failedFile: string;
  tx2Count: number; tx3Count: number; tx3Repeats: number; tx2Minutes: number; tx3Minutes: number;
  threatFile: string;
  /** DNS tunnel */
  tunnelScript: string; tunnelEncoding: TunnelEncoding; tunnelLabelLen: number; tunnelEveryMin: number;
  tunnelPerRun: [number, number]; tunnelEndDay: number; tunnelResolvers: { ip: string; weight: number }[];
  /** exfil file names: numbered and descriptive */
  numberedPrefixDigits: [number, number];
  descriptiveFiles: string[];
  /** benign look-alikes */
  lookalikes: { heavyBackup: boolean; cdn16: boolean; avService: boolean; internalFtp: boolean; scannerUploads: boolean };
}

const BEER_PDFS = [
  'topsecretyeast.pdf', 'Old German Ale.pdf', 'Old Bavarian Lager.pdf', 'Old Bavarian Lager Yeast WLP920.pdf', 'Oktoberfest Märzen WLP820.pdf',
  'Octoberfest Marzen Lager.pdf', 'Octoberfest Lager Blend 2633.pdf', 'Nottingham.pdf', 'Nottingham Yeast.pdf', 'Nottingham Ale Yeast.pdf',
  'American Microbrewery Ale #1.pdf', 'American Ale Yeast 1056.pdf', 'American Lager WLP840.pdf', 'Belgian Saison I WLP565.pdf', 'Belgian Wit Ale WLP400.pdf',
  'British Ale Yeast 1098.pdf', 'California Lager WLP810.pdf', 'Czech Budejovice Lager WLP802.pdf', 'Dusseldorf Alt WLP036.pdf', 'East Coast Ale WLP008.pdf',
  'Edinburgh Scottish Ale WLP028.pdf', 'English Bitter WLP002.pdf', 'German Ale Kolsch WLP029.pdf', 'Hefeweizen IV WLP380.pdf', 'Irish Ale Yeast 1084.pdf',
  'London Ale III 1318.pdf', 'Munich Lager 2308.pdf', 'Pilsen Lager 2007.pdf', 'Ringwood Ale 1187.pdf', 'Safale US-05.pdf', 'Saflager W-34-70.pdf',
  'Trappist High Gravity 3787.pdf', 'Vermont Ale WLP4000.pdf', 'Weihenstephan Weizen 3068.pdf', 'Whitbread Ale 1099.pdf', 'Frothly Pale Ale recipe.pdf',
  'Frothly IPA mash schedule.pdf', 'Frothly Stout hop bill.pdf', 'Yeast propagation SOP.pdf', 'Fermentation log template.pdf',
];

const APPLE_FILES = [
  'Cider blend matrix 2017.xlsx', 'Orchard yield forecast.xlsx', 'Barrel inventory Q3.xlsx', 'Supplier price list 2017.pdf', 'Distributor margins.xlsx',
  'Hop contract Yakima.pdf', 'Malt contract Great Western.pdf', 'Payroll August 2017.xlsx', 'Board deck Q2 2017.pdf', 'Acquisition target list.xlsx',
  'Canning line capex.pdf', 'Taproom expansion plan.pdf', 'Brand guidelines 2017.pdf', 'Recipe costing master.xlsx', 'Customer list West.xlsx',
];

export function makeVariant(name: string, seed: string): Variant {
  const base: Variant = {
    name: 'default',
    ftpServer: '160.153.91.7', ftpDomain: 'hildegardsfarm.com', ftpAccount: 'admin@hildegardsfarm.com',
    nameServers: ['208.109.255.42', '216.69.185.42'], c2: '45.77.65.211', c2Issuer: 'C = US',
    stagingClient: 'wrk-btun', secondClient: 'wrk-klagerf', tunnelHost: 'venus', deniedHosts: ['venus', 'mercury'],
    victimUser: 'billy.tun', secondUser: 'kevin.lagerfield', serviceAccount: 'service3',
    stagingFlowId: 'd7370639-8ca9-40d3-a5f8-dd6547d4ff99', stagingShare: '\\\\venus\\shared', stagingFileCount: 712, stagingMeanBytes: 1_780_000,
    dayCompromise: 23, dayExfil: 25, stagingStartDay: 22,
    downloadScript: 'winsys32.dll', uploadScript: 'winsys64.dll', singleScript: 'singlefile.dll',
    downloads: ['psexec.exe', 'nc.exe', 'wget64.exe', 'winsys64.dll', 'python-2.7.6.amd64.msi', 'dns.py', '나는_데이비드를_사랑한다.hwp'],
    credentialFile: 'frothly_passwords.kdbx', failedFile: 'topsecretyeast.pdf',
    tx2Count: 213, tx3Count: 496, tx3Repeats: 60, tx2Minutes: 10, tx3Minutes: 23,
    threatFile: 'American Microbrewery Ale #1.pdf',
    tunnelScript: 'dns.py', tunnelEncoding: 'base64', tunnelLabelLen: 16, tunnelEveryMin: 10, tunnelPerRun: [2, 4], tunnelEndDay: 29,
    tunnelResolvers: [{ ip: '8.8.8.8', weight: 60 }, { ip: '208.109.255.42', weight: 21 }, { ip: '216.69.185.42', weight: 19 }],
    numberedPrefixDigits: [3, 5],
    descriptiveFiles: BEER_PDFS,
    lookalikes: { heavyBackup: false, cdn16: false, avService: false, internalFtp: false, scannerUploads: false },
  };
  if (name === 'default') return base;
  if (!name.startsWith('lookalikes')) throw new Error(`unknown variant "${name}" (known: default, lookalikes, lookalikes-hex, lookalikes-base64url)`);
  const rng = new Rng(seed + '/variant/' + name);
  const enc: TunnelEncoding = name.endsWith('-hex') ? 'hex' : name.endsWith('-base64url') ? 'base64url' : 'base32';
  return {
    ...base,
    name,
    ftpServer: '107.180.46.211', ftpDomain: 'mapletreeorchards.com', ftpAccount: 'orders@mapletreeorchards.com',
    nameServers: ['97.74.104.26', '173.201.72.26'], c2: '104.238.176.58', c2Issuer: 'O = Internet Widgits Pty Ltd',
    stagingClient: 'wrk-rwong', secondClient: 'wrk-spatel', tunnelHost: 'mars', deniedHosts: ['mars', 'mercury'],
    victimUser: 'rachel.wong', secondUser: 'sam.patel', serviceAccount: 'svc_print',
    stagingFlowId: rng.uuid(), stagingShare: '\\\\venus\\finance', stagingFileCount: 540, stagingMeanBytes: 1_450_000,
    dayCompromise: 15, dayExfil: 17, stagingStartDay: 14,
    downloadScript: 'msupd.cfg', uploadScript: 'msupd64.cfg', singleScript: 'one.cfg',
    downloads: ['PsExec64.exe', 'ncat.exe', 'curl.exe', 'msupd64.cfg', 'python-2.7.13.amd64.msi', 'resolve.py', 'readme.txt'],
    credentialFile: 'it_vault_backup.kdbx', failedFile: 'Acquisition target list.xlsx',
    tx2Count: 168, tx3Count: 352, tx3Repeats: 40, tx2Minutes: 8, tx3Minutes: 19,
    threatFile: 'Board deck Q2 2017.pdf',
    tunnelScript: 'resolve.py', tunnelEncoding: enc, tunnelLabelLen: enc === 'hex' ? 24 : enc === 'base32' ? 26 : 22,
    tunnelEveryMin: 7, tunnelPerRun: [3, 6], tunnelEndDay: 21,
    tunnelResolvers: [{ ip: '8.8.8.8', weight: 70 }, { ip: '97.74.104.26', weight: 16 }, { ip: '173.201.72.26', weight: 14 }],
    numberedPrefixDigits: [4, 6],
    descriptiveFiles: APPLE_FILES,
    lookalikes: { heavyBackup: true, cdn16: true, avService: true, internalFtp: true, scannerUploads: true },
  };
}

export const VARIANTS = ['default', 'lookalikes', 'lookalikes-hex', 'lookalikes-base64url'];
