/**
 * Hunt: DNS exfiltration / tunnelling (T1048.003, T1071.004), after seed 003 and RITA's
 * C2-over-DNS analysis. Finds the tunnel by behaviour: many unique, long, random, equally long
 * subdomains under one registered domain, asked by few hosts of the network.
 */
import type { HuntDef } from '../src/hunts/types.js';

export const hunt: HuntDef = {
  id: 'dns-exfiltration',
  title: 'DNS exfiltration and tunnelling',
  techniques: [
    { id: 'T1048.003', name: 'Exfiltration Over Unencrypted Non-C2 Protocol' },
    { id: 'T1071.004', name: 'Application Layer Protocol: DNS' },
    { id: 'T1048', name: 'Exfiltration Over Alternative Protocol' },
  ],
  hypothesis: 'An adversary is moving data out of the network encoded in DNS queries: many unique, high-entropy subdomains of one domain that few of our hosts ever ask for.',
  questions: [
    'Which data sets hold DNS queries (Stream, Zeek dns.log, Suricata)?',
    'Per registered domain and client: how many queries, how many distinct subdomains, how random and how long are they, which record types, how many fail with NXDOMAIN?',
    'Which domain looks like a tunnel once services the whole network uses (CDN, anti-virus lookups) are set aside?',
    'Which hosts sent the tunnel queries and through which resolvers?',
    'When did it start, how regular is it, and which process on the client did it?',
  ],
  params: {
    tunnel_domain: { help: 'pin the registered domain to examine instead of the top-scored one' },
    domain: { help: 'same as tunnel_domain', alias_of: 'tunnel_domain' },
  },
  steps: [
    {
      id: 'dns-sources',
      title: 'Which sourcetypes hold DNS queries?',
      why: 'Every DNS sensor fills the CIM field `query`. Read the one that sees the most clients (a sensor in front of the internal resolver sees every workstation; one at the edge sees only the resolver), so the rest of the hunt does not count the same query twice (Stream and Suricata often both see it).',
      spl: 'index=$index$ query=* | stats count dc(src) as clients by sourcetype | sort - count',
      pick: { use: 'census', with: { param: 'dns_sourcetype', all_param: 'dns_sourcetypes', prefer_field: 'clients', prefer: ['stream:dns', 'dns'] } },
    },
    {
      id: 'dns-profile',
      title: 'Every name each client asked, with resolver, record type and reply code',
      why: 'The raw material of the tunnel score: per client, resolver and query name, how often, which record types and reply codes. The picker groups names by registered domain (Public Suffix List), moves search-list suffixes (x.example.com.corp.local) to the domain meant, and scores each domain on unique subdomains, entropy, length spread, NXDOMAIN share and prevalence across the network.',
      spl: 'index=$index$ sourcetype="$dns_sourcetype$" query=* | eval q=mvindex(query,0), rtype=coalesce(record_type, mvindex(query_type,0), qtype_name), rcode=coalesce(reply_code, rcode_name) | eval nx=if(match(rcode, "(?i)nxdomain|^3$"), 1, 0) | stats count sum(nx) as nx values(rtype) as rtypes min(_time) as first by src dest q',
      pick: { use: 'dnsTunnels', with: { threshold: 0.6, min_names: 10 } },
      show: 20,
      limit: 2000000,
    },
    {
      id: 'tunnel-pairs',
      title: 'The tunnel domain per client and resolver (the seed\'s view)',
      why: 'For the top domain, the seed\'s table: per source and destination, the number of queries and of distinct names. Many queries per pair, each a new name, is the tunnel.',
      spl: 'index=$index$ sourcetype="$dns_sourcetype$" $tunnel_patterns|or:query$ | eval q=mvindex(query,0) | stats count dc(q) as unique_names min(_time) as first max(_time) as last by src dest | sort - count',
      needs: ['tunnel_domain'],
    },
    {
      id: 'tunnel-timeline',
      title: 'When the tunnel ran',
      why: 'A timechart of the tunnel queries per hour and client: a script on a timer shows as a steady comb, a person as bursts.',
      spl: 'index=$index$ sourcetype="$dns_sourcetype$" $tunnel_patterns|or:query$ | eval hour=strftime(_time, "%m-%d %H:00") | stats count by hour src | sort hour',
      needs: ['tunnel_domain'],
      chart: { x: 'hour', series: 'src', y: 'count', title: 'tunnel queries per hour by client' },
      show: 30,
    },
    {
      id: 'tunnel-process',
      title: 'Which process on the client started when the tunnel did',
      why: 'Endpoint logs (Sysmon EventCode 1, Security 4688) of the client within 15 minutes of the first tunnel query: the script or tool that talks DNS.',
      spl: 'index=$index$ (EventCode=1 OR EventCode=4688) $tunnel_client_names|or:host$ | where _time >= $tunnel_first|raw$ - 900 AND _time <= $tunnel_first|raw$ + 900 | eval cmd=coalesce(CommandLine, Process_Command_Line, process) | stats count min(_time) as first by host cmd user | sort first',
      needs: ['tunnel_domain', 'tunnel_first', 'tunnel_client_names'],
      show: 30,
    },
  ],
  diamond: {
    adversary: 'The operator of the tunnel domain (unknown; the domain and its name servers are the handle).',
    capability: 'A DNS tunnel client (a script or tool encoding data into subdomain labels) run on a compromised host.',
    infrastructure: ['tunnel_domain', 'tunnel_resolver'],
    victim: ['tunnel_client'],
  },
  detections: [
    {
      name: 'DNS tunnel: many unique subdomains from one client',
      description: 'A client asks for 100+ distinct names under one domain (last two labels) in a day with few repeats (RITA/Elastic style); exclude internal resolvers by asset category; review with the dns-exfiltration hunt.',
      spl: 'index=$index$ sourcetype="$dns_sourcetype$" query=* | eval q=lower(mvindex(query,0)), dom=mvjoin(mvindex(split(q, "."), -2, -1), "."), day=strftime(_time, "%Y-%m-%d") | stats count dc(q) as unique_names min(_time) as first by src dom day | where unique_names >= 100 AND unique_names >= count * 0.8',
      schedule: '0 * * * *',
      threshold: { field: 'unique_names', op: '>=', value: 100 },
      entities: ['src', 'dom'],
    },
    {
      name: 'DNS queries to a known tunnel domain',
      description: 'Watch-list of the domains this hunt found.',
      spl: 'index=$index$ $tunnel_patterns|or:query$ | stats count min(_time) as first by src dest',
      schedule: '*/15 * * * *',
      threshold: { field: 'count', op: '>', value: 0 },
      entities: ['src', 'dest'],
    },
  ],
  iocs: ['tunnel_domain', 'tunnel_resolver'],
};
