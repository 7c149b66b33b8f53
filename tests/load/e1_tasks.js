// E1 GET /tasks?completed=false&limit=50: the caller's open tasks, one keyset page.
import http from 'k6/http';
import { BASE, user } from './lib.js';

export { options, handleSummary } from './lib.js';

export default function () {
  http.get(`${BASE}/tasks?completed=false&limit=50`, user().params);
}
