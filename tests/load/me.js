// GET /me: the stand-in simple read (one primary-key lookup). Template for a new read scenario.
import http from 'k6/http';
import { BASE, user } from './lib.js';

export { options, handleSummary } from './lib.js';

export default function () {
  http.get(`${BASE}/me`, user().params);
}
