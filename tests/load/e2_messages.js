// E2 GET /chats/{id}/messages?limit=50: the newest page of a chat the caller is a member of.
import http from 'k6/http';
import { BASE, chatOf, user } from './lib.js';

export { options, handleSummary } from './lib.js';

export default function () {
  const u = user();
  http.get(`${BASE}/chats/${chatOf(u.u)}/messages?limit=50`, u.params);
}
