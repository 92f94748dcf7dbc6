// The official TypeScript SDK client drives `tg mcp`: the handshake, every tool, and the
// error cases, with the client validating each result against the tool's outputSchema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSandbox, McpError, ErrorCode, SDK_VERSION, LATEST_PROTOCOL_VERSION } from './harness.mjs';

const call = (c, name, args = {}) => c.callTool({ name, arguments: args });

test(`handshake with SDK ${SDK_VERSION} (protocol ${LATEST_PROTOCOL_VERSION})`, () =>
  withSandbox(async (sb, connect) => {
    const c = await connect();
    assert.equal(c.getServerVersion().name, 'tg');
    assert.ok(c.getServerCapabilities().tools);
    assert.match(c.getInstructions(), /tg_claim_next/);
    await c.ping();
    assert.deepEqual(c.tools.map((t) => t.name), [
      'tg_status', 'tg_next', 'tg_show', 'tg_context', 'tg_start', 'tg_done', 'tg_note',
      'tg_block', 'tg_claim_next', 'tg_heartbeat', 'tg_release', 'tg_diff', 'tg_undo']);
    for (const t of c.tools) {
      assert.equal(t.inputSchema.type, 'object');
      assert.equal(t.outputSchema.type, 'object');
    }
    const bytes = Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: c.tools } }));
    assert.ok(bytes < 6144, `tools/list is ${bytes} bytes`);
  }));

test('every tool, through the SDK', () =>
  withSandbox(async (sb, connect) => {
    const plan = sb.plan('Release');
    const a = sb.task(plan, 'Schema'), b = sb.task(plan, 'Parser'), d = sb.task(plan, 'Docs');
    const c = await connect({ agent: 'alice' });
    const ok = async (name, args) => {
      const r = await call(c, name, args);
      assert.equal(r.isError, false, `${name}: ${JSON.stringify(r.structuredContent)}`);
      assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent);
      return r.structuredContent;
    };
    assert.equal((await ok('tg_block', { taskId: b, blockerTaskId: a, reason: 'needs the schema' })).status, 'blocked');
    assert.equal((await ok('tg_status', {})).status_counts.blocked, 1);
    assert.deepEqual((await ok('tg_next', { planId: 'Release' })).tasks.map((t) => t.hash_id), [a, d]);
    assert.equal((await ok('tg_next', { limit: 1 })).tasks.length, 1);
    assert.equal((await ok('tg_show', { taskId: b })).blocked_by[0], a);
    assert.equal((await ok('tg_context', { taskId: b })).immediate_blockers[0].hash_id, a);
    assert.equal((await ok('tg_start', { taskId: a, lease: '30m' })).status, 'doing');
    assert.equal((await ok('tg_note', { taskId: a, message: 'columns agreed' })).changed, true);
    assert.ok((await ok('tg_heartbeat', { taskId: a })).lease_expires_at);
    const done = await ok('tg_done', { taskId: a, evidence: 'migrations pass', checks: { unit: 'pass' } });
    assert.equal(done.status, 'done');
    assert.equal(done.plan_completed, false);
    const claimed = await ok('tg_claim_next', { agent: 'bob' });
    assert.equal(claimed.task.hash_id, b, 'the unblocked task is the most important');
    assert.equal(claimed.task.claimed_by, 'bob');
    assert.equal((await ok('tg_release', { taskId: b, agent: 'bob' })).status, 'todo');
    assert.equal(sb.tg('show', b).status, 'todo', 'the CLI sees what the server wrote');
  }));

test('refusals are tool errors with the CLI codes, and validate against outputSchema', () =>
  withSandbox(async (sb, connect) => {
    const plan = sb.plan('P');
    const a = sb.task(plan, 'A');
    const c = await connect({ agent: 'alice' });
    const refused = async (name, args) => {
      const r = await call(c, name, args);
      assert.equal(r.isError, true, `${name} should be refused`);
      assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent);
      return r.structuredContent.error;
    };
    assert.equal((await refused('tg_show', { taskId: 'tg-ffffff' })).code, 'TASK_NOT_FOUND');
    assert.equal((await refused('tg_done', { taskId: a, evidence: 'x' })).code, 'INVALID_TRANSITION');
    assert.equal((await refused('tg_done', { taskId: a })).code, 'VALIDATION_FAILED');
    assert.match((await refused('tg_show', { task_id: a })).message, /did you mean 'taskId'/);
    assert.equal((await refused('tg_next', { planId: 'No such plan' })).code, 'PLAN_NOT_FOUND');
    assert.equal((await refused('tg_start', { taskId: a, lease: 'forever' })).code, 'VALIDATION_FAILED');
    await call(c, 'tg_start', { taskId: a });
    const held = await refused('tg_start', { taskId: a, agent: 'bob' });
    assert.equal(held.code, 'TASK_ALREADY_CLAIMED');
    assert.match(held.message, /alice/);
    assert.equal((await refused('tg_block', { taskId: a, blockerTaskId: a })).code, 'CYCLE_DETECTED');
    await assert.rejects(call(c, 'tg_nope'), (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams);
  }));

test('a server started before the graph exists reports NOT_INITIALIZED, then works', () =>
  withSandbox(async (sb, connect) => {
    const c = await connect({ env: { TG_DIR: sb.env.HOME } });  // no .taskgraph/ there yet
    const r = await call(c, 'tg_status');
    assert.equal(r.isError, true);
    assert.equal(r.structuredContent.error.code, 'NOT_INITIALIZED');
    await c.ping();
  }));
