// E4 GET /reports/spending?from=...&to=...: one calendar month against the budgets.
import http from 'k6/http';
import { BASE, monthQuery, user } from './lib.js';

export { options, handleSummary } from './lib.js';

export default function () {
  http.get(`${BASE}/reports/spending?${monthQuery()}`, user().params);
}
