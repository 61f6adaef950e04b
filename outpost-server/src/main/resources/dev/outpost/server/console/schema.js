// The tables overview (GET /outpost/v1/tables), when the server has it: null on 404 (not available), else
// {schema, tables}; an answer that is not ok otherwise is returned as {error}.
import {call, problem} from './api.js';

export const SYSTEM = ['id', 'createdAt', 'updatedAt', 'version', 'deleted'];

export async function overview() {
  const answer = await call('GET', '/outpost/v1/tables');
  if (answer.status === 404) return null;
  if (!answer.ok || !answer.json) return {error: problem(answer), status: answer.status};
  return answer.json;
}

/** A table's entry in the overview, matched case-insensitively, or null. */
export function entry(tables, name) {
  if (!tables || !Array.isArray(tables.tables)) return null;
  return tables.tables.find((t) => String(t.name).toLowerCase() === name.toLowerCase()) || null;
}

/** The type of a column for the editor: from the overview, else from a value seen. */
export function typeOf(value) {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  if (value !== null && typeof value === 'object') return 'json';
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value)) return 'date';
  return 'string';
}
