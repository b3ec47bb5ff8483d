/**
 * The shape every format parser hands to the ingest driver, and the driver to the store.
 * Field values are already flattened to Splunk field names (`a.b`, `answers{}.data`).
 */

/** One value of a field. Booleans stay booleans; the store keeps them as text ("true"/"false"). */
export type Scalar = string | number | boolean;
/** A field value: a scalar, or a multivalue (Splunk's MV field: an ordered list of scalars). */
export type FieldValue = Scalar | Scalar[];

export interface EventRecord {
  /** Event time in epoch microseconds, or undefined when the event carries none (the driver then uses ingest time). */
  time?: number;
  /** The sourcetype the parser decided on (e.g. "stream:dns", "zeek:conn", "suricata", "pan:traffic"). */
  sourcetype: string;
  /** host/source when the event names them (HEC, syslog header, Windows Computer); else the driver's default. */
  host?: string;
  source?: string;
  /** The event exactly as it was read (one line, or the lines of one multi-line event). */
  raw: string;
  /** Extracted fields, already flattened; CIM aliases are added by the driver (see cim.ts). */
  fields: Record<string, FieldValue>;
}

/** An input record that could not be read as an event: kept, never dropped. */
export interface Quarantined {
  /** 1-based line number of the record's first line, when the input is line-based. */
  line?: number;
  /** Byte offset just after the record in its file. */
  offset: number;
  reason: string;
  text: string;
}
