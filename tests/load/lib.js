// Shared by every scenario script: the run's settings, the bench users and their tokens, the summary.
//
// The bench runner (python -m service bench) sets these environment variables:
//   BASE_URL      http://127.0.0.1:<port> of the server under test (loopback only)
//   USERS_FILE    users.json written by service/bench/dataset.py: [{u, email, token}, ...]
//   VUS           concurrent connections (virtual users)
//   DURATION      time bound, e.g. "20s"
//   MAX_REQUESTS  request bound (iterations shared by all VUs)
//   SUMMARY_FILE  where handleSummary writes k6's end-of-test summary as JSON
//   USERS, ...    the data set's counts (dataset.py Facts.variables, upper-cased), e.g. __ENV.CHATS
import { SharedArray } from 'k6/data';

export const BASE = __ENV.BASE_URL || 'http://127.0.0.1:8000';
if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(BASE)) {
  throw new Error(`BASE_URL must be a loopback address, got ${BASE}`);
}

const USERS = new SharedArray('users', () => JSON.parse(open(__ENV.USERS_FILE)));

export const options = {
  discardResponseBodies: true, // status codes are enough; reading bodies costs the generator CPU
  systemTags: ['status', 'method', 'name'], // fewer tags per sample: less work in the generator
  noCookiesReset: true,
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(99)', 'max'],
  scenarios: {
    main: {
      executor: 'shared-iterations',
      vus: parseInt(__ENV.VUS || '8', 10),
      iterations: parseInt(__ENV.MAX_REQUESTS || '100000', 10),
      maxDuration: __ENV.DURATION || '10s',
      gracefulStop: '2s',
    },
  },
};

// A user drawn uniformly from 1..users, as pgbench's `\set u random(1, :users)`.
export function user() {
  const u = USERS[Math.floor(Math.random() * USERS.length)];
  // data: the user's entry of users.json, with what the fillers added for this user (Facts.per_user).
  return { u: u.u, email: u.email, data: u, params: { headers: { Authorization: `Bearer ${u.token}` } } };
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY_FILE || 'summary.json']: JSON.stringify(data) };
}

const NUSERS = parseInt(__ENV.USERS || '1000', 10);
const YEAR = parseInt(__ENV.YEAR || '2025', 10);

// A chat user u belongs to (one of the four it owns), as pgbench's
// `\set k random(0, 3)` and `\set c :u + :users * :k`; the id is bench_uuid's twin chat_uuid(c).
export function chatOf(u) {
  const c = u + NUSERS * Math.floor(Math.random() * 4);
  return `00000000-0000-4000-9000-${c.toString(16).padStart(12, '0')}`;
}

// One calendar month of the data set's year, as pgbench's `\set m random(1, 12)`: ?from=...&to=...
export function monthQuery() {
  const m = 1 + Math.floor(Math.random() * 12);
  const last = new Date(Date.UTC(YEAR, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return `from=${YEAR}-${mm}-01&to=${YEAR}-${mm}-${last}`;
}

export const MESSAGE = JSON.stringify({ content: 'Load test message' });
export const TASK = JSON.stringify({ title: 'Load test task' });

// Request params with the user's token and a JSON content type, for POSTs.
export function jsonParams(u) {
  return { headers: { Authorization: u.params.headers.Authorization, 'Content-Type': 'application/json' } };
}
