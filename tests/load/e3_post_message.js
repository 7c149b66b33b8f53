// E3 POST /chats/{id}/messages: a user message in a chat the caller is a member of.
import http from 'k6/http';
import { BASE, MESSAGE, chatOf, jsonParams, user } from './lib.js';

export { options, handleSummary } from './lib.js';

export default function () {
  const u = user();
  http.post(`${BASE}/chats/${chatOf(u.u)}/messages`, MESSAGE, jsonParams(u));
}
