// E5 POST /auth/login: argon2id verification, then one session and one audit row.
import http from 'k6/http';
import { BASE, user } from './lib.js';

export { options, handleSummary } from './lib.js';

const PASSWORD = __ENV.PASSWORD;
const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };

export default function () {
  const body = JSON.stringify({ email: user().email, password: PASSWORD });
  http.post(`${BASE}/auth/login`, body, JSON_HEADERS);
}
