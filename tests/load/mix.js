// Mixed: 80% reads (E1 30%, E2 30%, E4 20%), 20% writes (E3 15%, POST /tasks 5%), users drawn uniformly.
// The weights match the pgbench scripts of the `mix` scenario (service/bench/scenarios.py).
import http from 'k6/http';
import { BASE, MESSAGE, TASK, chatOf, jsonParams, monthQuery, user } from './lib.js';

export { options, handleSummary } from './lib.js';

export default function () {
  const u = user();
  const r = Math.random() * 100;
  if (r < 30) {
    http.get(`${BASE}/tasks?completed=false&limit=50`, u.params);
  } else if (r < 60) {
    http.get(`${BASE}/chats/${chatOf(u.u)}/messages?limit=50`, u.params);
  } else if (r < 80) {
    http.get(`${BASE}/reports/spending?${monthQuery()}`, u.params);
  } else if (r < 95) {
    http.post(`${BASE}/chats/${chatOf(u.u)}/messages`, MESSAGE, jsonParams(u));
  } else {
    http.post(`${BASE}/tasks`, TASK, jsonParams(u));
  }
}
