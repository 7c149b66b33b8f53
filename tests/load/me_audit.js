// GET /me/audit?limit=50: the stand-in paginated read (first page, limit + 1 rows by index).
import http from 'k6/http';
import { BASE, user } from './lib.js';

export { options, handleSummary } from './lib.js';

export default function () {
  http.get(`${BASE}/me/audit?limit=50`, user().params);
}
