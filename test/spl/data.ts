/** Shared small event sets for the conformance cases. */
import { T0, type TestEvent } from './harness.js';

export const doc = (cmd: string) => `https://docs.splunk.com/Documentation/Splunk/9.4.0/SearchReference/${cmd}`;

/** Web access events: host, status, bytes, clientip; one minute apart, newest last in time. */
export const web: TestEvent[] = [
  { _time: T0 + 0, host: 'www1', status: '200', bytes: 100, clientip: '10.0.0.1', method: 'GET' },
  { _time: T0 + 60, host: 'www2', status: '404', bytes: 50, clientip: '10.0.0.2', method: 'GET' },
  { _time: T0 + 120, host: 'www1', status: '200', bytes: 300, clientip: '10.0.0.1', method: 'POST' },
  { _time: T0 + 180, host: 'www3', status: '500', bytes: 10, clientip: '10.0.0.3', method: 'GET' },
  { _time: T0 + 240, host: 'www1', status: '404', bytes: 20, clientip: '10.0.0.2', method: 'GET' },
  { _time: T0 + 300, host: 'www2', status: '200', bytes: 500, clientip: '10.0.0.1', method: 'GET' },
];

/** Three events with a missing field in one. */
export const sparse: TestEvent[] = [
  { _time: T0 + 1, a: 'x', b: 1 },
  { _time: T0 + 2, a: 'y' },
  { _time: T0 + 3, b: 3 },
];
