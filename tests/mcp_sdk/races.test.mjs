// Many `tg mcp` servers on one graph at once, through the SDK: claims stay exclusive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSandbox } from './harness.mjs';

test('two servers race tg_start on one task: exactly one wins', () =>
  withSandbox(async (sb, connect) => {
    const plan = sb.plan('Race');
    for (let round = 0; round < 5; round++) {
      const t = sb.task(plan, `Contested ${round}`);
      const [x, y] = await Promise.all([connect({ agent: `x${round}` }), connect({ agent: `y${round}` })]);
      const results = await Promise.all([x, y].map((c) => c.callTool({ name: 'tg_start', arguments: { taskId: t } })));
      const winners = results.filter((r) => !r.isError);
      assert.equal(winners.length, 1, JSON.stringify(results.map((r) => r.structuredContent)));
      const loser = results.find((r) => r.isError);
      assert.equal(loser.structuredContent.error.code, 'TASK_ALREADY_CLAIMED');
      assert.equal(sb.tg('show', t).status, 'doing');
    }
  }));

test('8 servers call tg_claim_next at once: 8 different tasks', () =>
  withSandbox(async (sb, connect) => {
    const plan = sb.plan('Swarm');
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push(sb.task(plan, `Work ${i}`));
    const clients = await Promise.all([...Array(8).keys()].map((i) => connect({ agent: `agent-${i}` })));
    const results = await Promise.all(clients.map((c) => c.callTool({ name: 'tg_claim_next', arguments: {} })));
    const claimed = results.map((r) => {
      assert.equal(r.isError, false, JSON.stringify(r.structuredContent));
      return r.structuredContent.task.hash_id;
    });
    assert.equal(new Set(claimed).size, 8, `claimed ${claimed}`);
    for (const id of claimed) assert.ok(ids.includes(id));
    const doing = sb.tg('status', '--tasks').filter((t) => t.status === 'doing');
    assert.deepEqual(doing.map((t) => t.claimed_by).sort(), [...Array(8).keys()].map((i) => `agent-${i}`).sort());
    // The two left over go to the next callers; after that nothing is runnable.
    const more = await Promise.all(clients.slice(0, 3).map((c) => c.callTool({ name: 'tg_claim_next', arguments: {} })));
    assert.equal(more.filter((r) => r.structuredContent.task === null).length, 1);
  }));
